// The FSRS training set built from the review log, following how the FSRS reference implementation and
// Anki build theirs (fsrs-rs, rslib/src/scheduler/fsrs/params.rs; described here, not copied):
//
// - A card's history counts from the start of its last run of learning answers (its first time through
//   the learning steps, or the first time after a reset to new). Cards whose history does not start with
//   learning (reviews of cards first studied elsewhere, with their early history missing) are left out of
//   training, since FSRS cannot know their starting memory.
// - Manual changes (reset, set due date, reschedule) and cram answers (answers that changed nothing, such
//   as Anki's filtered decks without rescheduling) are dropped.
// - Time between answers is counted in study days (the day turns over at the rollover hour), so all the
//   answers of one day are 0 days apart: same-day learning steps stay in the history (FSRS-6's short-term
//   memory model uses them) but are never predicted. Each answer that is the first of its day after an
//   earlier day is one training item: the card's history up to and including that answer.
//
// Everything here is plain data and self-contained (no imports, no module-level values), because
// worker.ts runs these functions' own source in a worker thread.

/** What a review-log row was, as the SQL in revlogQuery.ts classifies it. */
export const KIND = { learn: 0, review: 1, relearn: 2, manual: 3, reset: 4, cram: 5 } as const;

/** Review-log rows of many cards as columns, sorted by card then time. */
export interface RevlogColumns {
  cardIds: Float64Array;
  times: Float64Array;
  ratings: Uint8Array;
  kinds: Uint8Array;
  length: number;
}

/** One card's answers that count, with the day gaps between them. */
export interface CardHistory {
  cardId: number;
  ratings: number[];
  /** Study days since the previous kept answer (0 for the first). */
  deltas: number[];
  times: number[];
  /** Indices k (k >= 1, delta > 0) whose history ratings[0..k] is a training item. */
  targets: number[];
}

export interface TrainingSet {
  cards: CardHistory[];
  /** Review-log entries kept in the histories (what Anki calls the reviews used). */
  reviews: number;
  /** Training items: answers predicted from the history before them. */
  items: number;
}

/**
 * One card's kept answers between rows `start` and `end` (exclusive), or null when it has none that count.
 * `training`: only histories that begin with learning, as the optimiser needs; otherwise (a card's memory
 * state) a history may begin at its first graded answer.
 */
export function cardHistory(cols: RevlogColumns, start: number, end: number, nextDayAt: number, training: boolean): CardHistory | null {
  const LEARN = 0;
  const REVIEW = 1;
  const RELEARN = 2;
  const RESET = 4;
  const CRAM = 5;
  const DAY_MS = 86_400_000;
  const graded = (i: number) => {
    const k = cols.kinds[i]!;
    const r = cols.ratings[i]!;
    return r >= 1 && r <= 4 && (k === LEARN || k === REVIEW || k === RELEARN);
  };
  // Backwards from the newest answer: find where the last run of learning answers starts, stopping at
  // the answer before it or at a reset.
  let learnStart = -1;
  let firstGraded = -1;
  for (let i = end - 1; i >= start; i--) {
    const kind = cols.kinds[i]!;
    if (kind === CRAM) continue;
    const isGraded = graded(i);
    if (isGraded) firstGraded = i;
    if (isGraded && kind === LEARN) {
      learnStart = i;
    } else if (learnStart !== -1) {
      break;
    } else if (kind === RESET) {
      // A reset with no answer after it leaves nothing; one followed by reviews only has no learning to start from.
      if (firstGraded === -1) return null;
      break;
    }
  }
  const from = learnStart !== -1 ? learnStart : training ? -1 : firstGraded;
  if (from === -1) return null;

  const history: CardHistory = { cardId: cols.cardIds[from]!, ratings: [], deltas: [], times: [], targets: [] };
  let previousDay = 0;
  for (let i = from; i < end; i++) {
    if (!graded(i)) continue;
    const t = cols.times[i]!;
    // Whole study days before the start of the next one: equal for every answer of one study day.
    const daysAgo = Math.floor((nextDayAt - t) / DAY_MS);
    const k = history.ratings.length;
    const delta = k === 0 ? 0 : Math.max(0, previousDay - daysAgo);
    history.ratings.push(cols.ratings[i]!);
    history.deltas.push(delta);
    history.times.push(t);
    if (k > 0 && delta > 0) history.targets.push(k);
    previousDay = daysAgo;
  }
  if (history.ratings.length === 0) return null;
  if (training && history.targets.length === 0) return null;
  return history;
}

/** Every card's training history from the review log (rows sorted by card, then time). */
export function buildTrainingSet(cols: RevlogColumns, nextDayAt: number, history: typeof cardHistory): TrainingSet {
  const set: TrainingSet = { cards: [], reviews: 0, items: 0 };
  let start = 0;
  while (start < cols.length) {
    const card = cols.cardIds[start]!;
    let end = start + 1;
    while (end < cols.length && cols.cardIds[end] === card) end++;
    const h = history(cols, start, end, nextDayAt, true);
    if (h) {
      set.cards.push(h);
      set.reviews += h.ratings.length;
      set.items += h.targets.length;
    }
    start = end;
  }
  return set;
}
