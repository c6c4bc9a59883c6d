// Channels and push events of the stats feature. Merged into the contract by shared/contract.ts.
import { z } from 'zod';
import { channel, id } from './define';

/** Answers per button: [Again, Hard, Good, Easy]. */
const buttonCounts = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** Answer buttons split as Anki does: cards in learning/relearning, young reviews (interval < 21 days), mature reviews. */
export const answerButtonsSchema = z.object({
  learning: buttonCounts,
  young: buttonCounts,
  mature: buttonCounts,
});
export type AnswerButtons = z.output<typeof answerButtonsSchema>;

/** One study day of the review history (days roll over at the user's rollover hour). */
export const statsDaySchema = z.object({
  date: z.string(),
  /** Answers given that day (manual reschedules are not answers). */
  reviews: z.number(),
  timeMs: z.number(),
  /** The same answers by the card's state before answering. */
  newCards: z.number(),
  learning: z.number(),
  review: z.number(),
  relearning: z.number(),
});
export type StatsDay = z.output<typeof statsDaySchema>;

/**
 * True retention: of the review-state cards answered for the first time on a day, the share not
 * answered Again. Null rate when there was nothing to measure.
 */
export const retentionPeriodSchema = z.object({
  /** First day of the period ('YYYY-MM-DD'); weeks start on Monday, months on the 1st. */
  start: z.string(),
  label: z.string(),
  passed: z.number(),
  total: z.number(),
  rate: z.number().nullable(),
});
export type RetentionPeriod = z.output<typeof retentionPeriodSchema>;

export const histogramBucketSchema = z.object({
  label: z.string(),
  from: z.number(),
  /** Exclusive upper bound; null for the open last bucket. */
  to: z.number().nullable(),
  cards: z.number(),
});
export type HistogramBucket = z.output<typeof histogramBucketSchema>;

export const statsSchema = z.object({
  scope: z.object({ deckId: z.number().nullable(), deckPath: z.string().nullable() }),
  /** Today's study date. */
  today: z.string(),
  /** The last 365 study days, oldest first, today last (dense: days without reviews are zeros). */
  days: z.array(statsDaySchema),
  totals: z.object({ reviews: z.number(), timeMs: z.number(), daysStudied: z.number() }),
  retention: z.object({
    /** The last 52 weeks (oldest first; the first may be partial). */
    weeks: z.array(retentionPeriodSchema),
    /** The last 12 months (oldest first; the first may be partial). */
    months: z.array(retentionPeriodSchema),
    year: retentionPeriodSchema,
  }),
  /** Cards due on each of the next 30 study days, today first; today includes overdue cards. */
  forecast: z.array(z.object({ date: z.string(), due: z.number() })),
  /** Cards with a memory state by FSRS stability (days). */
  stability: z.array(histogramBucketSchema),
  /** Cards with a memory state by FSRS difficulty (1 easiest to 10 hardest). */
  difficulty: z.array(histogramBucketSchema),
  answerButtons: z.object({ month: answerButtonsSchema, year: answerButtonsSchema }),
});
export type Stats = z.output<typeof statsSchema>;

export const statsChannels = {
  /** Review statistics for one deck tree, or the whole collection when deckId is left out. */
  'stats.get': channel(
    z.strictObject({ deckId: id.nullable().optional() }).optional(),
    statsSchema,
  ),
};

export const statsEvents = {};
