// Pieces every import shares: one transaction around chunked async work, the skipped-notes tally,
// and deck paths tidied to what the deck table accepts.
import type { ImportSummary } from '../../../shared/contract/transfer';
import type { Db } from '../context';
import { MAX_DECK_DEPTH } from '../flashcards/decks';
import { flushEachCommit } from '../db/durable';
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
  // An import is on disk when it reports success (one flush for the whole import).
  const restoreSync = flushEachCommit(db);
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
    restoreSync();
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
 * empty levels dropped, each level at most 100 characters, at most MAX_DECK_DEPTH levels: deeper
 * levels are joined into the last allowed level's name (" / " between them), so cards stay apart from
 * the parent's but no deeper. `fallback` when nothing is left. `deep` hears of every path folded so.
 */
export function tidyDeckPath(path: string, fallback = 'Imported', deep?: DeepDeckTally): string {
  const levels = path
    .split('::')
    // eslint-disable-next-line no-control-regex
    .map((level) => level.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 100).trim())
    .filter((level) => level !== '');
  if (levels.length > MAX_DECK_DEPTH) {
    const folded = levels.slice(MAX_DECK_DEPTH - 1).join(' / ').slice(0, 100).trim();
    levels.splice(MAX_DECK_DEPTH - 1, levels.length, folded);
    deep?.add(path);
  }
  return levels.length ? levels.join('::') : fallback;
}

/** Deck paths an import had to fold to MAX_DECK_DEPTH levels, told as one warning in the summary. */
export function makeDeepDeckTally() {
  const paths = new Set<string>();
  return {
    add(path: string): void {
      paths.add(path);
    },
    /** The warning to show, or null when no path was too deep. */
    warning(): string | null {
      if (!paths.size) return null;
      const example = [...paths][0]!;
      const shown = example.length > 80 ? `${example.slice(0, 77)}...` : example;
      return `${paths.size} deck path(s) nested deeper than ${MAX_DECK_DEPTH} levels (for example "${shown}"); decks nest at most ${MAX_DECK_DEPTH} deep, so the deeper levels were joined into the name of the ${MAX_DECK_DEPTH}th.`;
    },
  };
}
export type DeepDeckTally = ReturnType<typeof makeDeepDeckTally>;

/** A time stamp from a file, if it is a plausible moment (between 2000 and a day from now). */
export function plausibleTime(ms: number, now: number): number | null {
  return Number.isFinite(ms) && ms >= 946_684_800_000 && ms <= now + 86_400_000 ? Math.round(ms) : null;
}

export const CHUNK = 500;
