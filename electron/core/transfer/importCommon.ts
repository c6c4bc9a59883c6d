// Pieces every import shares: one transaction around chunked async work, the skipped-notes tally,
// and deck paths tidied to what the deck table accepts.
import type { ImportSummary } from '../../../shared/contract/transfer';
import type { Db } from '../context';

/**
 * Runs `work` inside one transaction. The work may pause (to report progress and hear a cancel);
 * anything that throws, a cancel included, rolls every row back. Jobs hold the collection's gate
 * (see jobs.ts), so no other channel writes into this transaction during a pause.
 */
export async function inTransaction<T>(db: Db, work: () => Promise<T>): Promise<T> {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = await work();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
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
