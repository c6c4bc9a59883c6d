// A card's scheduling state recomputed from its whole review log, in time order, through the app's
// FSRS scheduler: what every machine does after merging reviews made elsewhere, so all of them arrive
// at the same due dates (FSRS fuzz is seeded from each review, not from the machine).
import type { Grade } from 'ts-fsrs';
import type { Db } from '../context';
import type { SchedulerCache, SchedulingRow } from '../flashcards/scheduler';
import type { PresetStore } from '../flashcards/presets';
import type { RevlogRow } from '../flashcards/study';

type LogRow = Pick<RevlogRow, 'id' | 'reviewed_at' | 'rating' | 'state_after' | 'due_after' | 'stability_after' | 'difficulty_after' | 'scheduled_days_after' | 'learning_steps_after'>;

/** A card never answered (its due is its creation time, as a new card's is). */
const NEW_CARD: Omit<SchedulingRow, 'due'> = {
  state: 0,
  stability: 0,
  difficulty: 0,
  scheduled_days: 0,
  learning_steps: 0,
  reps: 0,
  lapses: 0,
  last_review: null,
};

export function makeReplay(db: Db, schedulers: SchedulerCache, presets: PresetStore) {
  const selectCard = db.prepare<[number], { deck_id: number; created_at: number }>('SELECT deck_id, created_at FROM cards WHERE id = ?');
  // Ties (two machines answering in the same millisecond) are broken by what the reviews say, never by
  // local row ids, which differ between machines.
  const selectLog = db.prepare<[number], LogRow>(
    `SELECT id, reviewed_at, rating, state_after, due_after, stability_after, difficulty_after, scheduled_days_after,
            learning_steps_after
       FROM revlog WHERE card_id = ? ORDER BY reviewed_at, rating, duration_ms`,
  );
  const updateLog = db.prepare(
    `UPDATE revlog SET state_before = @state, due_before = @due, stability_before = @stability, difficulty_before = @difficulty,
            scheduled_days_before = @scheduled_days, learning_steps_before = @learning_steps, reps_before = @reps,
            lapses_before = @lapses, last_review_before = @last_review,
            state_after = @a_state, due_after = @a_due, stability_after = @a_stability, difficulty_after = @a_difficulty,
            scheduled_days_after = @a_scheduled_days, learning_steps_after = @a_learning_steps
      WHERE id = @id`,
  );
  const updateCard = db.prepare(
    `UPDATE cards SET state = @state, due = @due, stability = @stability, difficulty = @difficulty,
            scheduled_days = @scheduled_days, learning_steps = @learning_steps, reps = @reps, lapses = @lapses,
            last_review = @last_review
      WHERE id = @id`,
  );

  /** Recomputes one card (call inside the transaction that changed its log). */
  function replayCard(cardId: number): void {
    const card = selectCard.get(cardId);
    if (!card) return;
    const log = selectLog.all(cardId);
    if (log.length === 0) {
      // Its only reviews were taken back (an undo made elsewhere): new again, as the undo left it there.
      updateCard.run({ ...NEW_CARD, due: card.created_at, id: cardId });
      return;
    }
    const preset = presets.forDeck(card.deck_id);
    let row: SchedulingRow = { ...NEW_CARD, due: log[0]!.reviewed_at };
    for (const entry of log) {
      const before = row;
      if (entry.rating === 0) {
        // A manual change (reset): its result is what it said, with the counts carried on.
        row = {
          ...before,
          state: entry.state_after,
          due: entry.due_after,
          stability: entry.stability_after,
          difficulty: entry.difficulty_after,
          scheduled_days: entry.scheduled_days_after,
          learning_steps: entry.learning_steps_after,
        };
      } else {
        row = schedulers.next(preset, before, entry.reviewed_at, entry.rating as Grade);
      }
      updateLog.run({
        ...before,
        id: entry.id,
        a_state: row.state,
        a_due: row.due,
        a_stability: row.stability,
        a_difficulty: row.difficulty,
        a_scheduled_days: row.scheduled_days,
        a_learning_steps: row.learning_steps,
      });
    }
    updateCard.run({ ...row, id: cardId });
  }

  return { replayCard };
}
