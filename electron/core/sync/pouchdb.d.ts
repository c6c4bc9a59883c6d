// PouchDB ships no types; sync uses it through the typed facade in pouch.ts.
declare module 'pouchdb';
