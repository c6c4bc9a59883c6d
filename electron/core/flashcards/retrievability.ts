import { FSRS6_DEFAULT_DECAY, forgetting_curve } from 'ts-fsrs';
import type { Db } from '../context';

const DAY_MS = 86_400_000;

/**
 * A card's probability of recall now, from the FSRS-6 forgetting curve (ts-fsrs does the math).
 * Null for cards never reviewed: they have no memory state yet.
 */
export function retrievability(stability: number, lastReview: number | null, now: number): number | null {
  if (lastReview === null || !(stability > 0)) return null;
  const elapsedDays = Math.max(0, (now - lastReview) / DAY_MS);
  return forgetting_curve(FSRS6_DEFAULT_DECAY, elapsedDays, stability);
}

/**
 * Registers SQL `recall(stability, last_review, now)` so aggregate queries (deck means, module mastery,
 * stats) compute retrievability in one pass with the same curve. NULL for never-reviewed cards, which
 * AVG() then skips.
 */
export function registerRecallFunction(db: Db): void {
  db.function('recall', { deterministic: true }, (stability: unknown, lastReview: unknown, now: unknown) =>
    retrievability(Number(stability), lastReview === null ? null : Number(lastReview), Number(now)),
  );
}
