// PouchDB ships no types; sync uses it through the typed facade in pouch.ts.
declare module 'pouchdb-core';
declare module 'pouchdb-adapter-http';
declare module 'pouchdb-replication';
declare module 'pouchdb-adapter-leveldb-core';
declare module 'leveldown';
