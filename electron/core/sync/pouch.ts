// The part of PouchDB's API sync uses, typed here (the @types/pouchdb packages widen Node's global
// types and break the rest of the build). PouchDB is loaded only when sync runs, so a collection that
// never syncs never loads it or LevelDB.
export type PouchDoc = Record<string, unknown> & { _id: string; _rev?: string; _conflicts?: string[]; _deleted?: boolean };

export interface PouchChange {
  id: string;
  seq: number | string;
  deleted?: boolean;
  doc?: PouchDoc;
}

export interface Pouch {
  info(): Promise<Record<string, unknown> & { error?: string; reason?: string }>;
  get(id: string, options?: { rev?: string; conflicts?: boolean; attachments?: boolean; binary?: boolean }): Promise<PouchDoc>;
  put(doc: PouchDoc): Promise<{ ok: boolean; id: string; rev: string }>;
  remove(id: string, rev: string): Promise<unknown>;
  bulkDocs(docs: PouchDoc[], options?: { new_edits?: boolean }): Promise<unknown[]>;
  allDocs(options: { startkey: string; endkey: string; include_docs: boolean; conflicts?: boolean }): Promise<{ rows: { id: string; doc?: PouchDoc }[] }>;
  changes(options: { since: number | string; limit: number; include_docs?: boolean; conflicts?: boolean; style?: 'all_docs' }): Promise<{
    results: (PouchChange & { changes: { rev: string }[] })[];
    last_seq: number | string;
  }>;
  /** For each document, the revisions given that this database lacks. */
  revsDiff(revs: Record<string, string[]>): Promise<Record<string, { missing?: string[] }>>;
  bulkGet(options: { docs: { id: string; rev: string }[]; revs: boolean; attachments: boolean }): Promise<{
    results: { id: string; docs: ({ ok: PouchDoc } | { error: unknown })[] }[];
  }>;
  replicate: {
    to(target: Pouch, options?: { batch_size?: number; doc_ids?: string[]; checkpoint?: false; since?: number }): Replication;
    from(source: Pouch, options?: { batch_size?: number }): Replication;
  };
  close(): Promise<void>;
  destroy(): Promise<unknown>;
}

/** A replication running: a promise of its end that also reports each batch. */
export type Replication = Promise<unknown> & {
  on(event: 'change', listener: (info: { docs_read: number; docs_written: number }) => void): Replication;
};

export type PouchConstructor = new (
  name: string,
  options?: { skip_setup?: boolean; auto_compaction?: boolean; auth?: { username: string; password: string } },
) => Pouch;

interface PouchCore extends PouchConstructor {
  plugin(plugin: unknown): PouchCore;
  adapter(name: string, adapter: unknown, preferred: boolean): void;
}

let loaded: Promise<PouchConstructor> | null = null;

/** CommonJS packages: the export is the module itself, or its default export through a bundler. */
const cjs = <T>(m: unknown): T => ((m as { default?: T }).default ?? (m as T));

/**
 * PouchDB from its parts: the core, HTTP for the server, replication, and the LevelDB store for the local
 * replica on leveldown (N-API prebuilds for every desktop platform ship inside the package, so nothing
 * is compiled). This is pouchdb-adapter-leveldb without its migration of replicas written by PouchDB 2,
 * whose dependencies state no licence; Cadence's replicas are never that old.
 */
export function loadPouch(): Promise<PouchConstructor> {
  loaded ??= Promise.all([
    import('pouchdb-core'),
    import('pouchdb-adapter-http'),
    import('pouchdb-replication'),
    import('pouchdb-adapter-leveldb-core'),
    import('leveldown'),
  ]).then(([core, http, replication, levelCore, leveldown]) => {
    const PouchDB = cjs<PouchCore>(core).plugin(cjs(http)).plugin(cjs(replication));
    const CoreLevelPouch = cjs<(this: unknown, opts: object, callback: unknown) => void>(levelCore);
    function LevelDownPouch(this: unknown, opts: object, callback: unknown) {
      CoreLevelPouch.call(this, { db: cjs(leveldown), ...opts }, callback);
    }
    LevelDownPouch.valid = () => true;
    LevelDownPouch.use_prefix = false;
    PouchDB.adapter('leveldb', LevelDownPouch, true);
    return PouchDB;
  });
  return loaded;
}
