// Channels and push events of FSRS personalisation: fitting a preset's parameters to the learner's own
// review history (in a worker, with progress and cancel), measuring the fit, applying it (and putting the
// previous set back), and simulating a year of study to choose a desired retention.
// Merged into the contract by shared/contract.ts.
import { z } from 'zod';
import { channel, id, ok } from './define';
import { jobId } from './transfer';

/** FSRS-6 has 21 parameters. */
export const FSRS_PARAM_COUNT = 21;
export const fsrsParamsSchema = z.array(z.number()).length(FSRS_PARAM_COUNT);

/** How well a parameter set predicts reviews: lower is better for both. */
export const fitMetricsSchema = z.object({
  /** Mean cross-entropy of the predicted chance of recall against what happened. */
  logLoss: z.number(),
  /** Root mean square error between predicted and actual recall, over bins of similar reviews. */
  rmseBins: z.number(),
});
export type FitMetrics = z.output<typeof fitMetricsSchema>;

export const fitSummarySchema = z.object({
  id: z.number(),
  origin: z.enum(['optimised', 'imported']),
  /** What was trained on, in words ("Decks using Default"). */
  scope: z.string(),
  params: fsrsParamsSchema,
  /** Review-log entries in the training set, and the reviews among them that were predicted. */
  reviews: z.number(),
  items: z.number(),
  /** Null when the set was not measured here (imported from Anki). */
  metrics: fitMetricsSchema.nullable(),
  defaultMetrics: fitMetricsSchema.nullable(),
  createdAt: z.number(),
  appliedAt: z.number().nullable(),
});
export type FitSummary = z.output<typeof fitSummarySchema>;

export const fsrsStatusSchema = z.object({
  presetId: z.number(),
  presetName: z.string(),
  /** The parameters the preset schedules with now. */
  params: fsrsParamsSchema,
  usingDefaults: z.boolean(),
  /** The fitted or imported set in use, when it is not the defaults. */
  current: fitSummarySchema.nullable(),
  /**
   * What "Restore previous" would go back to: the defaults or an earlier set (applied at `appliedAt`, when
   * known); null when there is nothing to restore.
   */
  restore: z.object({ to: z.enum(['defaults', 'earlier']), appliedAt: z.number().nullable() }).nullable(),
  /** Parameters an imported Anki package carried for this preset, not applied yet (apply them with fsrs.apply). */
  offered: fitSummarySchema.nullable(),
  /** Reviews the optimiser needs before it will fit parameters. */
  minimumReviews: z.number(),
  /** Null when the optimiser can run on this computer; otherwise why it cannot. */
  unavailable: z.string().nullable(),
});
export type FsrsStatus = z.output<typeof fsrsStatusSchema>;

export const fsrsPhaseSchema = z.enum(['reading', 'preparing', 'fitting', 'evaluating', 'simulating', 'rescheduling']);
export type FsrsPhase = z.output<typeof fsrsPhaseSchema>;

const scopeInput = {
  presetId: id,
  /** Train on this deck and its subdecks instead of every deck that uses the preset. */
  deckId: id.optional(),
};

export const optimizeResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('too_few'),
    scope: z.string(),
    reviews: z.number(),
    items: z.number(),
    needed: z.number(),
    /** Why it cannot optimise yet, in words. */
    message: z.string(),
  }),
  z.object({
    status: z.literal('done'),
    /** Pass to fsrs.apply. */
    fitId: z.number(),
    scope: z.string(),
    reviews: z.number(),
    items: z.number(),
    /** The reviews the sets were measured on (every training item). */
    measured: z.number(),
    params: fsrsParamsSchema,
    fitted: fitMetricsSchema,
    defaults: fitMetricsSchema,
    /** The set in use now, measured on the same reviews; null when the preset uses the defaults. */
    current: fitMetricsSchema.nullable(),
    /** True when the fitted set predicts these reviews better (lower log loss and RMSE) than the one in use. */
    better: z.boolean(),
    /** The comparison in one sentence. */
    verdict: z.string(),
    seconds: z.number(),
  }),
]);
export type OptimizeResult = z.output<typeof optimizeResultSchema>;

export const simulationRowSchema = z.object({
  retention: z.number(),
  /** Average reviews a day (learning steps included) over the simulated days. */
  reviewsPerDay: z.number(),
  totalReviews: z.number(),
  /** Expected number of cards recalled if asked on the last day (sum of each card's chance of recall). */
  remembered: z.number(),
  /** totalReviews / remembered: the workload of each card kept in memory. */
  reviewsPerRemembered: z.number(),
});
export type SimulationRow = z.output<typeof simulationRowSchema>;

export const simulationSchema = z.object({
  rows: z.array(simulationRowSchema),
  /** The retention with the least workload per remembered card. */
  best: z.number(),
  days: z.number(),
  newPerDay: z.number(),
  reviewsPerDay: z.number(),
  /** Cards of the preset the simulation started from, and how many of them were new. */
  cards: z.number(),
  newCards: z.number(),
  seconds: z.number(),
});
export type Simulation = z.output<typeof simulationSchema>;

export const fsrsChannels = {
  'fsrs.status': channel(z.object({ presetId: id }).strict(), fsrsStatusSchema),
  /** Fits parameters to the preset's (or one deck tree's) review history and measures them; applies nothing. */
  'fsrs.optimize': channel(z.object({ jobId, ...scopeInput }).strict(), optimizeResultSchema),
  /** Stops an optimisation or simulation; nothing was changed by it. */
  'fsrs.cancel': channel(z.object({ jobId }).strict(), ok),
  /**
   * Makes a fitted set the preset's. Refused when it predicts worse than the set in use unless `force`.
   * `reschedule`: also recompute every card's memory and due date from its history (after a backup).
   */
  'fsrs.apply': channel(
    z
      .object({
        fitId: id,
        force: z.boolean({ error: 'must be true or false' }).default(false),
        reschedule: z.boolean({ error: 'must be true or false' }).default(false),
        jobId: jobId.optional(),
      })
      .strict(),
    z.object({
      status: fsrsStatusSchema,
      /** Cards whose schedule was recomputed, and the backup taken first; null without reschedule. */
      rescheduled: z.number().nullable(),
      backup: z.string().nullable(),
    }),
  ),
  /** Puts back the set the last apply replaced (the defaults, or an earlier fit). */
  'fsrs.restore': channel(z.object({ presetId: id }).strict(), fsrsStatusSchema),
  /** Declines parameters an imported Anki package offered (status.offered): they are no longer offered. */
  'fsrs.discard': channel(z.object({ fitId: id }).strict(), fsrsStatusSchema),
  /** A year (or `days`) of study simulated at each desired retention from 0.70 to 0.97. */
  'fsrs.simulate': channel(
    z
      .object({
        jobId,
        presetId: id,
        newPerDay: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative').max(9999).optional(),
        reviewsPerDay: z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(99_999).optional(),
        days: z.number({ error: 'must be a number' }).int('must be a whole number').min(30, 'must be at least 30 days').max(3650).default(365),
      })
      .strict(),
    simulationSchema,
  ),
};

export const fsrsEvents = {
  'fsrs.progress': z.object({ jobId: z.string(), phase: fsrsPhaseSchema, done: z.number(), total: z.number() }),
};
