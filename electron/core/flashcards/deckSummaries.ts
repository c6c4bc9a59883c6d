import type { DeckSummary } from '../../../shared/contract/decks';
import type { CoreContext, Db } from '../context';
import { makeStudyQueue } from './queue';
import { reviewedRecallSql } from './retrievability';

interface RecallRow {
  deck_id: number;
  recall_sum: number;
  reviewed: number;
}

/**
 * How long a recall pass is reused while nothing at all was written: it reads every reviewed card, and
 * in a minute a deck's mean recall moves by far less than the percent the list shows.
 */
export const RECALL_REUSE_MS = 60_000;

/**
 * The per-deck passes over every card, with the change counters they were read at (see studyConfig.ts).
 * Card totals stay exact until anything is written; recall is also tied to the clock (RECALL_REUSE_MS).
 * Kept per database, so the deck list, Today and the study chooser share them.
 */
interface Passes {
  changes: number;
  dataVersion: number;
  totals: Map<number, number>;
  recall: { at: number; byDeck: Map<number, RecallRow> } | null;
}
const kept = new WeakMap<Db, Passes>();

/**
 * The deck list with the counts studying each deck would show today: its own and its subdecks' cards,
 * daily limits applied exactly as the study queue applies them, and the mean probability of recall of
 * the reviewed cards in the tree. A fixed number of statements whatever the number of decks, never a
 * query per deck: what each deck could show today (the study queue's own counts: index ranges, new and
 * review counts stopped at the highest limit), and, unless kept from an earlier call with nothing
 * written since, cards per deck (a count over an index) and one pass over the reviewed cards for recall.
 */
export function makeDeckSummaries(ctx: CoreContext) {
  const { db } = ctx;
  const queue = makeStudyQueue(db);
  const totalsOf = db.prepare<[], { deck_id: number; n: number }>('SELECT deck_id, count(*) AS n FROM cards GROUP BY deck_id');
  const recallOf = db.prepare<{ now: number }, RecallRow>(
    `SELECT deck_id, total(${reviewedRecallSql('stability', 'last_review', '@now')}) AS recall_sum, count(*) AS reviewed
       FROM cards WHERE last_review IS NOT NULL AND stability > 0 GROUP BY deck_id`,
  );

  /** Card totals and recall per deck, read again only when something was written or the clock moved on. */
  function passes(counters: { changes: number; dataVersion: number }, now: number) {
    let p = kept.get(db);
    if (!p || p.changes !== counters.changes || p.dataVersion !== counters.dataVersion) {
      p = { changes: counters.changes, dataVersion: counters.dataVersion, totals: new Map(totalsOf.all().map((r) => [r.deck_id, r.n])), recall: null };
    }
    let recall = p.recall;
    if (!recall || now < recall.at || now >= recall.at + RECALL_REUSE_MS) {
      recall = { at: now, byDeck: new Map(recallOf.all({ now }).map((r) => [r.deck_id, r])) };
      p = { ...p, recall };
    }
    // Read inside a transaction that may still roll back: used, not kept.
    if (!db.inTransaction) kept.set(db, p);
    return { totals: p.totals, recalled: recall.byDeck };
  }

  function list(): DeckSummary[] {
    const read = queue.snapshot();
    const { config } = read;
    const day = queue.dayOf(ctx.clock.now(), config.rolloverHour);
    const inputs = queue.limitInputs(day, read);
    const own = queue.ownCounts(config.all, day, read);
    const { totals, recalled } = passes(read, day.now);

    return config.decks.map((deck) => {
      const tree = config.subtree(deck.id)!.decks;
      const counts = queue.treeCounts(deck.id, inputs, own);
      let cards = 0;
      let recallSum = 0;
      let reviewed = 0;
      for (const d of tree) {
        cards += totals.get(d.id) ?? 0;
        const r = recalled.get(d.id);
        recallSum += r?.recall_sum ?? 0;
        reviewed += r?.reviewed ?? 0;
      }
      return {
        ...deck,
        counts: { total: cards, newDue: counts.new, learningDue: counts.learning, reviewDue: counts.review },
        retrievability: reviewed > 0 ? recallSum / reviewed : null,
      };
    });
  }

  return { list };
}
