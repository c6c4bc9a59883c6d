// Pieces every import shares: one transaction around chunked async work, the skipped-notes tally,
// and deck paths tidied to what the deck table accepts.
import type { ImportSummary } from '../../../shared/contract/transfer';
import type { Db } from '../context';
import { deferTriggers } from './deferredTriggers';

/** SQLite's page cache during an import (KiB, as a negative cache_size): the rows and index pages a
 * large import touches stay in memory instead of spilling to the log before the commit. */
const IMPORT_CACHE_KIB = 256 * 1024;

/**
 * Runs `work` inside one transaction. The work may pause (to report progress and hear a cancel);
 * anything that throws, a cancel included, rolls every row back. Jobs hold the collection's gate
 * (see jobs.ts), so no other channel writes into this transaction during a pause. Search and stats
 * triggers are set aside meanwhile and their work done in bulk before the commit (deferredTriggers.ts).
 */
export async function inTransaction<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${-IMPORT_CACHE_KIB}`);
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      const triggers = deferTriggers(db);
      const result = await work();
      triggers.finish();
      db.exec('COMMIT');
      return result;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  } finally {
    if (db.open) db.pragma(`cache_size = ${cacheSize}`);
  }
}

/** Counts skipped notes by reason, keeping a few examples of each. */
export function makeSkipTally() {
  const byReason = new Map<string, { count: number; examples: string[] }>();
  let total = 0;
  return {
    add(reason: string, example: string): void {
      total++;
      const entry = byReason.get(reason) ?? { count: 0, examples: [] };
      entry.count++;
      const text = example.trim().slice(0, 80);
      if (entry.examples.length < 3 && text !== '') entry.examples.push(text);
      byReason.set(reason, entry);
    },
    total: () => total,
    list: (): ImportSummary['skipped'] => [...byReason].map(([reason, e]) => ({ reason, count: e.count, examples: e.examples })),
  };
}

/**
 * A deck path ('A::B') as the deck table accepts it: levels trimmed, control characters replaced,
 * empty levels dropped, each level at most 100 characters. `fallback` when nothing is left.
 */
export function tidyDeckPath(path: string, fallback = 'Imported'): string {
  const levels = path
    .split('::')
    // eslint-disable-next-line no-control-regex
    .map((level) => level.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 100).trim())
    .filter((level) => level !== '');
  return levels.length ? levels.join('::') : fallback;
}

/** A time stamp from a file, if it is a plausible moment (between 2000 and a day from now). */
export function plausibleTime(ms: number, now: number): number | null {
  return Number.isFinite(ms) && ms >= 946_684_800_000 && ms <= now + 86_400_000 ? Math.round(ms) : null;
}

export const CHUNK = 500;
