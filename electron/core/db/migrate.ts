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

export const migrations: Migration[] = Object.entries(files)
  .map(([file, sql]) => {
    const name = file.slice(file.lastIndexOf('/') + 1, -'.sql'.length);
    const version = Number.parseInt(name.slice(0, 3), 10);
    if (!/^\d{3}_/.test(name) || !Number.isInteger(version)) throw new Error(`Bad migration file name: ${file}`);
    return { version, name, sql };
  })
  .sort((a, b) => a.version - b.version);

migrations.forEach((m, i) => {
  if (m.version !== i + 1) throw new Error(`Migrations must be numbered 001, 002, ... without gaps; found ${m.name}`);
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
