// The bridge to ts-fsrs: card rows <-> ts-fsrs Cards, and one FSRS instance per distinct preset.
// All scheduling math is ts-fsrs's (fuzz on, short-term learning steps), with FSRS-6's default weights
// unless the preset has parameters fitted to the learner's own reviews (electron/core/fsrs).
// Fuzz is reproducible: ts-fsrs seeds it from the review time, the card's reps and its memory state,
// so the same card answered at the same moment always gets the same interval.
import { fsrs, generatorParameters, State, type Card, type FSRS, type Grade, type Steps } from 'ts-fsrs';
import type { Preset } from '../../../shared/contract/flashcards';

/** The scheduling columns of a card row. */
export interface SchedulingRow {
  state: number;
  due: number;
  stability: number;
  difficulty: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  last_review: number | null;
}

export type SchedulingPreset = Pick<Preset, 'desiredRetention' | 'maximumInterval' | 'learningSteps' | 'relearningSteps'> &
  Partial<Pick<Preset, 'fsrsParams'>>;

export function toFsrsCard(row: SchedulingRow): Card {
  return {
    due: new Date(row.due),
    stability: row.stability,
    difficulty: row.difficulty,
    // Deprecated in ts-fsrs and recomputed by it from last_review on every review.
    elapsed_days: 0,
    scheduled_days: row.scheduled_days,
    learning_steps: row.learning_steps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state as State,
    last_review: row.last_review === null ? undefined : new Date(row.last_review),
  };
}

export function fromFsrsCard(card: Card): SchedulingRow {
  return {
    state: card.state,
    due: card.due.getTime(),
    stability: card.stability,
    difficulty: card.difficulty,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    last_review: card.last_review ? card.last_review.getTime() : null,
  };
}

/** The ts-fsrs parameters for a preset (exported so tests can build the same scheduler independently). */
export function fsrsParameters(preset: SchedulingPreset) {
  return generatorParameters({
    enable_fuzz: true,
    enable_short_term: true,
    request_retention: preset.desiredRetention,
    maximum_interval: preset.maximumInterval,
    learning_steps: preset.learningSteps as Steps,
    relearning_steps: preset.relearningSteps as Steps,
    // Fitted parameters when the preset has them (null/undefined: ts-fsrs's FSRS-6 defaults).
    ...(preset.fsrsParams ? { w: preset.fsrsParams } : {}),
  });
}

/** FSRS instances by preset settings: building one validates and clamps parameters, so reuse it. */
export function makeSchedulerCache() {
  const cache = new Map<string, FSRS>();
  function forPreset(preset: SchedulingPreset): FSRS {
    const key = JSON.stringify([preset.desiredRetention, preset.maximumInterval, preset.learningSteps, preset.relearningSteps, preset.fsrsParams ?? null]);
    let scheduler = cache.get(key);
    if (!scheduler) {
      scheduler = fsrs(fsrsParameters(preset));
      cache.set(key, scheduler);
    }
    return scheduler;
  }

  /** The card after answering `rating` at `now`. */
  function next(preset: SchedulingPreset, row: SchedulingRow, now: number, rating: Grade): SchedulingRow {
    return fromFsrsCard(forPreset(preset).next(toFsrsCard(row), new Date(now), rating).card);
  }

  /** When the card would be due after each rating (Again, Hard, Good, Easy), as epoch ms. */
  function previewDues(preset: SchedulingPreset, row: SchedulingRow, now: number): [number, number, number, number] {
    const log = forPreset(preset).repeat(toFsrsCard(row), new Date(now));
    return [log[1].card.due.getTime(), log[2].card.due.getTime(), log[3].card.due.getTime(), log[4].card.due.getTime()];
  }

  /** A new card again: ts-fsrs's forget, keeping the reps and lapses counts (as Anki's reset does by default). */
  function forget(preset: SchedulingPreset, row: SchedulingRow, now: number): SchedulingRow {
    return fromFsrsCard(forPreset(preset).forget(toFsrsCard(row), new Date(now), false).card);
  }

  return { forPreset, next, previewDues, forget };
}
export type SchedulerCache = ReturnType<typeof makeSchedulerCache>;
