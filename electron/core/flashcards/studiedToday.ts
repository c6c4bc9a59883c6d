// Answers today per deck: what the daily limits subtract. Counted from the review log (by the deck each
// card is in now; new = first answers of new cards, review = answers of review cards; learning steps
// are not limited, manual changes with rating 0 do not count) and kept per open database between calls.
//
// Answers only ever add rows to the log, so after any write the tally folds in just the rows added since
// (a range of the log's primary key), instead of re-reading the whole day's log for every card. An
// answer made on this connection says which row it added (answered()), so the next study call reads
// nothing at all for it. It is
// counted again from scratch when that would not be exact: another day, another connection wrote
// (data_version moved), a log row was deleted or changed or a card changed deck on this connection
// (temporary triggers move a counter), or the day's rows number other than counted plus added (rows
// inserted below the last id seen). A tally made inside a transaction is used but not kept.
import type { Db } from '../context';

export type Studied = Map<number, { new: number; review: number }>;

/** Change counters read together (see studyConfig.ts): total_changes() and data_version. */
export interface Counters {
  changes: number;
  dataVersion: number;
}

interface Tally {
  start: number;
  changes: number;
  dataVersion: number;
  reshaped: number;
  /** Highest log id when counted: later rows are the ones to fold in. */
  lastId: number;
  /** Log rows (any rating) reviewed at or after `start` that are in the tally. */
  rows: number;
  byDeck: Studied;
}

interface DeckRow {
  deck_id: number;
  new: number;
  review: number;
  rows: number;
}

/** The review log row an answer added, as the tally counts it. */
export interface AnsweredRow {
  id: number;
  reviewedAt: number;
  rating: number;
  stateBefore: number;
  deckId: number;
}

export interface StudiedSource {
  /** Today's answers per deck, given when the study day started and the connection's change counters. */
  read(start: number, counters: Counters): Studied;
  /**
   * An answer committed on this connection added one log row and wrote nothing else the tally reads:
   * a tally current at `before` takes the row in and is current at `after`.
   */
  answered(before: Counters, after: Counters, row: AnsweredRow): void;
}

const RESHAPED_FUNCTION = 'cadence_studied_reshaped';
const sources = new WeakMap<Db, StudiedSource>();

/** Today's answers per deck (see the top of this file), one source per open database. */
export function studiedToday(db: Db): StudiedSource {
  let source = sources.get(db);
  if (!source) {
    source = makeSource(db);
    sources.set(db, source);
  }
  return source;
}

function makeSource(db: Db) {
  let reshaped = 0;
  db.function(RESHAPED_FUNCTION, { deterministic: false }, () => {
    reshaped++;
    return null;
  });
  db.exec(`
    CREATE TEMP TRIGGER IF NOT EXISTS studied_revlog_delete AFTER DELETE ON main.revlog BEGIN SELECT ${RESHAPED_FUNCTION}(); END;
    CREATE TEMP TRIGGER IF NOT EXISTS studied_revlog_update AFTER UPDATE ON main.revlog BEGIN SELECT ${RESHAPED_FUNCTION}(); END;
    CREATE TEMP TRIGGER IF NOT EXISTS studied_card_deck AFTER UPDATE OF deck_id ON main.cards BEGIN SELECT ${RESHAPED_FUNCTION}(); END;
  `);
  const PER_DECK = `SELECT c.deck_id, sum(r.rating > 0 AND r.state_before = 0) AS new, sum(r.rating > 0 AND r.state_before = 2) AS review,
                           count(*) AS rows
                      FROM revlog r JOIN cards c ON c.id = r.card_id`;
  const countAll = db.prepare<[number], DeckRow>(`${PER_DECK} WHERE r.reviewed_at >= ? GROUP BY c.deck_id`);
  const countAdded = db.prepare<[number, number], DeckRow>(`${PER_DECK} WHERE r.id > ? AND r.reviewed_at >= ? GROUP BY c.deck_id`);
  const lastId = db.prepare<[], number>('SELECT ifnull(max(id), 0) FROM revlog').pluck();
  const logNow = db.prepare<[number], { last: number; rows: number }>(
    'SELECT (SELECT ifnull(max(id), 0) FROM revlog) AS last, (SELECT count(*) FROM revlog WHERE reviewed_at >= ?) AS rows',
  );
  let kept: Tally | null = null;

  function add(byDeck: Studied, rows: DeckRow[]): number {
    let added = 0;
    for (const r of rows) {
      const counts = byDeck.get(r.deck_id);
      if (counts) {
        counts.new += r.new;
        counts.review += r.review;
      } else {
        byDeck.set(r.deck_id, { new: r.new, review: r.review });
      }
      added += r.rows;
    }
    return added;
  }

  function fresh(start: number, counters: Counters): Tally {
    const last = lastId.get()!;
    const byDeck: Studied = new Map();
    const rows = add(byDeck, countAll.all(start));
    return { start, changes: counters.changes, dataVersion: counters.dataVersion, reshaped, lastId: last, rows, byDeck };
  }

  /** The kept tally brought up to date by the rows added since, or null when that would not be exact. */
  function folded(tally: Tally, counters: Counters): Tally | null {
    const log = logNow.get(tally.start)!;
    const byDeck: Studied = new Map([...tally.byDeck].map(([id, c]) => [id, { ...c }]));
    const rows = tally.rows + (log.last > tally.lastId ? add(byDeck, countAdded.all(tally.lastId, tally.start)) : 0);
    if (log.rows !== rows) return null;
    return { ...tally, changes: counters.changes, lastId: log.last, rows, byDeck };
  }

  function answered(before: Counters, after: Counters, row: AnsweredRow): void {
    const tally = kept;
    if (!tally || db.inTransaction) return;
    const current = tally.changes === before.changes && tally.dataVersion === before.dataVersion && tally.reshaped === reshaped;
    // Otherwise the next read folds in what it finds, or counts again, as after any other write.
    if (!current || after.dataVersion !== before.dataVersion || row.id <= tally.lastId) return;
    const byDeck: Studied = new Map(tally.byDeck);
    let rows = tally.rows;
    if (row.reviewedAt >= tally.start) {
      const had = byDeck.get(row.deckId) ?? { new: 0, review: 0 };
      const answer = row.rating > 0;
      byDeck.set(row.deckId, {
        new: had.new + (answer && row.stateBefore === 0 ? 1 : 0),
        review: had.review + (answer && row.stateBefore === 2 ? 1 : 0),
      });
      rows++;
    }
    kept = { ...tally, changes: after.changes, lastId: row.id, rows, byDeck };
  }

  const read = (start: number, counters: Counters): Studied => {
    let tally = kept;
    const unchanged = tally && tally.start === start && tally.dataVersion === counters.dataVersion && tally.reshaped === reshaped;
    if (!tally || !unchanged) tally = fresh(start, counters);
    else if (tally.changes !== counters.changes) tally = folded(tally, counters) ?? fresh(start, counters);
    if (!db.inTransaction) kept = tally;
    return tally.byDeck;
  };
  return { read, answered };
}
