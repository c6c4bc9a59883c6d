// The SQL the FSRS worker reads a scope's review log and cards with. The scope is a JSON array of deck
// ids (bound once), so a preset's decks and a deck tree read the same way.
import { KIND } from './trainingSet';

/**
 * Review-log rows of the scope's cards, by card then time, each classified (trainingSet.ts KIND):
 * a reset is a manual entry that made the card new; cram is an answer that changed nothing (imported
 * from an Anki filtered deck that did not reschedule); other answers are learning, review or relearning
 * by the state the card was in.
 */
export const REVLOG_SQL = `
  SELECT r.card_id, r.reviewed_at, r.rating,
         CASE
           WHEN r.rating = 0 AND r.state_after = 0 THEN ${KIND.reset}
           WHEN r.rating = 0 THEN ${KIND.manual}
           WHEN r.state_after = r.state_before AND r.due_after = r.due_before
                AND r.stability_after = r.stability_before AND r.difficulty_after = r.difficulty_before THEN ${KIND.cram}
           WHEN r.state_before IN (0, 1) THEN ${KIND.learn}
           WHEN r.state_before = 2 THEN ${KIND.review}
           ELSE ${KIND.relearn}
         END AS kind
    FROM revlog r
   WHERE r.card_id IN (SELECT id FROM cards WHERE deck_id IN (SELECT value FROM json_each(?)))
   ORDER BY r.card_id, r.reviewed_at, r.id`;

export const REVLOG_COUNT_SQL = `
  SELECT count(*) FROM revlog WHERE card_id IN (SELECT id FROM cards WHERE deck_id IN (SELECT value FROM json_each(?)))`;

/**
 * The scope's cards that study can show (not suspended): their memory and when they are due. Read in
 * table order (`+deck_id` keeps SQLite off the deck index): a whole collection's cards come faster in
 * one pass than by a hundred thousand index lookups.
 */
export const CARDS_SQL = `
  SELECT state, stability, difficulty, last_review, due
    FROM cards WHERE suspended = 0 AND +deck_id IN (SELECT value FROM json_each(?))`;

/**
 * How often each first answer (of a new card) and each passing review answer was given in the scope,
 * over its latest 20,000 such answers: enough for the shares, read newest first in row order (`+card_id`
 * keeps SQLite from gathering every card's answers through the card index and sorting them).
 */
export const RATINGS_SQL = `
  SELECT first, rating, count(*) AS n FROM (
    SELECT state_before = 0 AS first, rating
      FROM revlog
     WHERE rating BETWEEN 1 AND 4 AND state_before IN (0, 2)
       AND +card_id IN (SELECT id FROM cards WHERE deck_id IN (SELECT value FROM json_each(?)))
     ORDER BY id DESC LIMIT 20000)
   GROUP BY first, rating`;
