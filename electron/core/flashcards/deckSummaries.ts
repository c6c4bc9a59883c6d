import type { DeckSummary } from '../../../shared/contract/decks';
import type { CoreContext } from '../context';
import { makeStudyQueue } from './queue';
import { recallSql } from './retrievability';

interface CountRow {
  deck_id: number;
  total: number;
  new_available: number;
  learning_due: number;
  review_due: number;
}

interface RecallRow {
  deck_id: number;
  recall_sum: number;
  reviewed: number;
}

/**
 * The deck list with the counts studying each deck would show today: its own and its subdecks' cards,
 * daily limits applied exactly as the study queue applies them, and the mean probability of recall of
 * the reviewed cards in the tree. Two grouped passes over covering indexes (002), whatever the number of
 * decks: never a query per deck.
 */
export function makeDeckSummaries(ctx: CoreContext) {
  const queue = makeStudyQueue(ctx.db);
  const counts = ctx.db.prepare<{ today: number; end: number; cutoff: number }, CountRow>(
    `SELECT deck_id, count(*) AS total,
            total(state = 0 AND suspended = 0 AND ifnull(buried_day, -1) <> @today) AS new_available,
            total(state IN (1, 3) AND suspended = 0 AND due <= @cutoff AND ifnull(buried_day, -1) <> @today) AS learning_due,
            total(state = 2 AND suspended = 0 AND due < @end AND ifnull(buried_day, -1) <> @today) AS review_due
       FROM cards GROUP BY deck_id`,
  );
  const recall = ctx.db.prepare<{ now: number }, RecallRow>(
    `SELECT deck_id, total(${recallSql('stability', 'last_review', '@now')}) AS recall_sum, count(*) AS reviewed
       FROM cards WHERE last_review IS NOT NULL AND stability > 0 GROUP BY deck_id`,
  );

  function list(): DeckSummary[] {
    const day = queue.studyDay(ctx.clock.now());
    const inputs = queue.limitInputs(day);
    const own = new Map(counts.all({ today: day.today, end: day.end, cutoff: day.learnCutoff }).map((r) => [r.deck_id, r]));
    const recalled = new Map(recall.all({ now: day.now }).map((r) => [r.deck_id, r]));

    return inputs.decks.map((deck) => {
      const tree = queue.subtree(inputs.decks, deck.id);
      const limits = queue.applyLimits(tree, deck.id, inputs, (d) => ({
        new: own.get(d.id)?.new_available ?? 0,
        review: own.get(d.id)?.review_due ?? 0,
      }));
      let total = 0;
      let learning = 0;
      let recallSum = 0;
      let reviewed = 0;
      for (const d of tree) {
        const c = own.get(d.id);
        if (!c) continue;
        total += c.total;
        learning += c.learning_due;
        const r = recalled.get(d.id);
        recallSum += r?.recall_sum ?? 0;
        reviewed += r?.reviewed ?? 0;
      }
      return {
        ...deck,
        counts: {
          total,
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
