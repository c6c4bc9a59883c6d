import type { DeckSummary } from '../../../shared/contract/decks';
import type { CoreContext } from '../context';
import { makeStudyQueue, type OwnCounts } from './queue';
import { recallSql } from './retrievability';

interface RecallRow {
  deck_id: number;
  recall_sum: number;
  reviewed: number;
}

/**
 * The deck list with the counts studying each deck would show today: its own and its subdecks' cards,
 * daily limits applied exactly as the study queue applies them, and the mean probability of recall of
 * the reviewed cards in the tree. A fixed number of statements whatever the number of decks, never a
 * query per deck: cards per deck (a count over an index, no expression per card), what each deck could
 * show today (the study queue's own counts: index ranges, new and review counts stopped at the highest
 * limit), and one pass over the reviewed cards for recall.
 */
export function makeDeckSummaries(ctx: CoreContext) {
  const queue = makeStudyQueue(ctx.db);
  const totals = ctx.db.prepare<[], { deck_id: number; n: number }>('SELECT deck_id, count(*) AS n FROM cards GROUP BY deck_id');
  const recall = ctx.db.prepare<{ now: number }, RecallRow>(
    `SELECT deck_id, total(${recallSql('stability', 'last_review', '@now')}) AS recall_sum, count(*) AS reviewed
       FROM cards WHERE last_review IS NOT NULL AND stability > 0 GROUP BY deck_id`,
  );

  function list(): DeckSummary[] {
    const read = queue.snapshot();
    const { config } = read;
    const day = queue.dayOf(ctx.clock.now(), config.rolloverHour);
    const inputs = queue.limitInputs(day, read);
    const own = queue.ownCounts(config.all, day);
    const total = new Map(totals.all().map((r) => [r.deck_id, r.n]));
    const recalled = new Map(recall.all({ now: day.now }).map((r) => [r.deck_id, r]));
    const none: OwnCounts = { new: 0, review: 0, learning: 0 };

    return config.decks.map((deck) => {
      const tree = config.subtree(deck.id)!.decks;
      const limits = queue.applyLimits(tree, deck.id, inputs, (d) => own.get(d.id) ?? none);
      let cards = 0;
      let learning = 0;
      let recallSum = 0;
      let reviewed = 0;
      for (const d of tree) {
        cards += total.get(d.id) ?? 0;
        learning += own.get(d.id)?.learning ?? 0;
        const r = recalled.get(d.id);
        recallSum += r?.recall_sum ?? 0;
        reviewed += r?.reviewed ?? 0;
      }
      return {
        ...deck,
        counts: {
          total: cards,
          newDue: queue.sum(limits.newAllowed),
          learningDue: learning,
          reviewDue: queue.sum(limits.reviewAllowed),
        },
        retrievability: reviewed > 0 ? recallSum / reviewed : null,
      };
    });
  }

  return { list };
}
