import { computeDecayFactor, FSRS6_DEFAULT_DECAY, forgetting_curve } from 'ts-fsrs';

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

// The same curve's constants, taken from ts-fsrs, for SQL.
const { decay, factor } = computeDecayFactor(FSRS6_DEFAULT_DECAY);

/**
 * The forgetting curve as a SQL expression over column names (or parameters), so aggregates over
 * 100k cards (deck means, module mastery) run inside SQLite without a JavaScript call per row.
 * NULL for never-reviewed cards, which AVG() and TOTAL() skip. Same result as retrievability().
 */
export function recallSql(stability: string, lastReview: string, now: string): string {
  return `(CASE WHEN ${lastReview} IS NULL OR ${stability} <= 0 THEN NULL ELSE ${reviewedRecallSql(stability, lastReview, now)} END)`;
}

/**
 * The same curve for rows the query already limits to reviewed cards (last review set, stability above
 * zero): the same arithmetic without the per-row test, for passes over every reviewed card.
 */
export function reviewedRecallSql(stability: string, lastReview: string, now: string): string {
  return `pow(1.0 + ${factor} * max(0.0, (${now} - ${lastReview}) / ${DAY_MS}.0) / ${stability}, ${decay})`;
}
