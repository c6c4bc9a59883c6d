// Opening a database that arrived inside a file (an Anki collection, a backup) from memory, never
// from a path the file chose, and checking it before anything is read from it.
import { AppError } from '../../../shared/errors';
import type { Db } from '../context';
import { openSqlite } from '../db/sqlite';
import { isDamage } from '../faults';

const HEADER = 'SQLite format 3\0';

export function isSqlite(bytes: Uint8Array): boolean {
  return bytes.length >= 100 && new TextDecoder('latin1').decode(bytes.subarray(0, 16)) === HEADER;
}

/**
 * Opens `bytes` as an in-memory database and runs an integrity check. `what` names it in messages.
 * The caller closes the returned handle.
 *
 * Anki collections declare a collation of their own ("unicase") on some name columns, which only Anki
 * has; without it SQLite cannot check those indexes or even plan a read of some tables. In this private
 * copy those columns are re-declared with SQLite's "nocase" so they can be read; those tables are read
 * through (a damaged page still fails the read) and every other table gets the full integrity check.
 */
export interface OpenBytesOptions {
  /**
   * Drop the file's own triggers and views from the private copy: for files whose tables are only read
   * (Anki collections), so no statement the file wrote can ever run, even by a read of a view.
   */
  stripTriggersAndViews?: boolean;
}

export function openDatabaseBytes(bytes: Uint8Array, what: string, options: OpenBytesOptions = {}): Db {
  if (!isSqlite(bytes)) {
    throw new AppError('unsupported', `${what} is not an SQLite database, so it cannot be read. The file is damaged or is not what its name says.`);
  }
  // A copy we own: the header is patched so a database saved in WAL mode opens from memory
  // (bytes 18-19 say 2 for WAL; 1 is the rollback journal, which is all an in-memory copy needs).
  const copy = Buffer.from(bytes);
  if (copy[18] === 2) copy[18] = 1;
  if (copy[19] === 2) copy[19] = 1;
  let db: Db | undefined;
  try {
    db = openUntrusted(copy);
    const foreign = new Set(
      db
        .prepare<[], { tbl_name: string }>("SELECT DISTINCT tbl_name FROM sqlite_master WHERE sql LIKE '%collate%unicase%'")
        .all()
        .map((r) => r.tbl_name),
    );
    if (foreign.size) db = withNocase(db);
    if (options.stripTriggersAndViews) stripTriggersAndViews(db);
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all();
    for (const { name } of tables) checkTable(db, name, what, foreign.has(name));
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof AppError) throw err;
    if (isDamage(err)) throw damaged(what);
    throw new AppError('unsupported', `${what} could not be read as a database (${(err as Error).message}).`);
  }
}

/**
 * A handle on bytes from outside. trusted_schema OFF: functions with side effects and virtual tables
 * may not be used from the file's own schema (views, triggers, defaults, generated columns), so reading
 * it can only ever run plain SQL. The handle keeps better-sqlite3's defensive mode (no unsafeMode).
 */
function openUntrusted(bytes: Buffer): Db {
  const db = openSqlite(bytes);
  db.pragma('trusted_schema = OFF');
  return db;
}

/**
 * The same database with "unicase" re-declared as "nocase" (schema text only), opened afresh.
 * Rewriting schema text needs defensive mode off for exactly one statement of ours, which touches
 * only sqlite_master (a table no trigger can be attached to).
 */
function withNocase(db: Db): Db {
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.exec("UPDATE sqlite_master SET sql = replace(replace(sql, 'unicase', 'nocase'), 'UNICASE', 'nocase') WHERE sql LIKE '%unicase%'");
    db.pragma('writable_schema = OFF');
  } finally {
    db.unsafeMode(false);
  }
  const bytes = db.serialize();
  db.close();
  return openUntrusted(bytes);
}

function stripTriggersAndViews(db: Db): void {
  const objects = db
    .prepare<[], { type: 'trigger' | 'view'; name: string }>("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')")
    .all();
  for (const { type, name } of objects) db.exec(`DROP ${type === 'trigger' ? 'TRIGGER' : 'VIEW'} IF EXISTS "${name.replace(/"/g, '""')}"`);
}

function checkTable(db: Db, table: string, what: string, readOnly: boolean): void {
  const quoted = `"${table.replace(/"/g, '""')}"`;
  if (readOnly) {
    for (const row of db.prepare(`SELECT * FROM ${quoted}`).iterate()) void row;
    return;
  }
  const rows = db.prepare(`PRAGMA integrity_check(${quoted})`).all() as { integrity_check: string }[];
  if (rows.length !== 1 || rows[0]?.integrity_check !== 'ok') throw damaged(what);
}

function damaged(what: string): AppError {
  return new AppError('unsupported', `${what} is damaged: its database failed the integrity check. Export it again; nothing was changed.`);
}
