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
  get(id: string, options?: { rev?: string; conflicts?: boolean }): Promise<PouchDoc>;
  put(doc: PouchDoc): Promise<{ ok: boolean; id: string; rev: string }>;
  remove(id: string, rev: string): Promise<unknown>;
  bulkDocs(docs: PouchDoc[], options?: { new_edits?: boolean }): Promise<unknown[]>;
  changes(options: { since: number | string; limit: number; include_docs: boolean; conflicts: boolean }): Promise<{
    results: PouchChange[];
    last_seq: number | string;
  }>;
  replicate: {
    to(target: Pouch, options?: { batch_size?: number }): Promise<unknown>;
    from(source: Pouch, options?: { batch_size?: number }): Promise<unknown>;
  };
  close(): Promise<void>;
}

export type PouchConstructor = new (
  name: string,
  options?: { skip_setup?: boolean; auto_compaction?: boolean; auth?: { username: string; password: string } },
) => Pouch;

let loaded: Promise<PouchConstructor> | null = null;

export function loadPouch(): Promise<PouchConstructor> {
  // pouchdb is CommonJS: its constructor is the module itself (or its default export, through a bundler).
  loaded ??= import('pouchdb').then((m: unknown) => ((m as { default?: PouchConstructor }).default ?? (m as PouchConstructor)));
  return loaded;
}
