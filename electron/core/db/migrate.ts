import type { Db } from '../context';
import { SORT_FIELD_HASH_SQL, sortFieldHash } from '../flashcards/sortFieldHash';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Every file in ../migrations named NNN_name.sql, bundled as text at build time. A migration is never
// edited once released; a change is a new file.
const files = import.meta.glob('../migrations/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

// The file number orders the files; the schema version is the file's position (1, 2, ...), so a
// branch's migration numbered ahead of files it does not have yet still gives versions without gaps.
export const migrations: Migration[] = Object.entries(files)
  .map(([file, sql]) => {
    const name = file.slice(file.lastIndexOf('/') + 1, -'.sql'.length);
    const number = Number.parseInt(name.slice(0, 3), 10);
    if (!/^\d{3}_/.test(name) || !Number.isInteger(number)) throw new Error(`Bad migration file name: ${file}`);
    return { number, name, sql };
  })
  .sort((a, b) => a.number - b.number)
  .map(({ number, name, sql }, i, all) => {
    if (i > 0 && all[i - 1]!.number === number) throw new Error(`Two migrations share the number ${name.slice(0, 3)}`);
    return { version: i + 1, name, sql };
  });

/** The schema version this build of Cadence writes. */
export const LATEST_SCHEMA_VERSION = migrations.length;

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration above the database's version, each in its own transaction together with
 * its version bump, so a crash leaves the database at a whole version.
 */
export function migrate(db: Db, target = LATEST_SCHEMA_VERSION): { from: number; to: number } {
  const from = schemaVersion(db);
  // Functions of Cadence's own that migrations call to fill new columns from existing rows; needed
  // only when one runs, so an up-to-date collection opens without them.
  if (from < target) db.function(SORT_FIELD_HASH_SQL, { deterministic: true }, (text: unknown) => sortFieldHash(String(text ?? '')));
  for (const m of migrations) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: schemaVersion(db) };
}
