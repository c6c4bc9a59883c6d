// How Cadence knows a SQLite file is one of its own collections: the application id it writes into
// every file's header (PRAGMA application_id), or, for collections made before that, its tables.
import type { Db } from '../context';

/** "Cdnc" in the header's application-id field (bytes 68-71). */
export const CADENCE_APP_ID = 0x43646e63;

/** Tables every Cadence collection has; a file of some other program lacks them. */
export const CADENCE_TABLES = ['app_meta', 'decks', 'notes', 'cards', 'revlog', 'note_types'] as const;

export function tableNames(db: Db): Set<string> {
  return new Set(db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name));
}

export function hasCadenceTables(tables: ReadonlySet<string>): boolean {
  return CADENCE_TABLES.every((t) => tables.has(t));
}

/** -1, 0 or 1 comparing dotted version numbers ("0.10.2" > "0.9"); text after a '-' is ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split('-')[0]!.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
