// FSRS personalisation for a preset: fit its parameters to the learner's review history (in a worker,
// with progress and cancel, never holding up study), measure the fit against the defaults and the set in
// use, apply it only when it predicts better (or when the user insists), restore the previous set, and
// simulate a year of study at each desired retention.
import path from 'node:path';
import { State, fsrs, generatorParameters } from 'ts-fsrs';
import type { FitMetrics, FsrsPhase, FsrsStatus, OptimizeResult, Simulation } from '../../../shared/contract/fsrs';
import { AppError } from '../../../shared/errors';
import { studyDayEnd } from '../../../shared/studyDay';
import type { CoreContext } from '../context';
import { backupInBackground, rotateBackups } from '../db/backup';
import { announceKept } from '../db/maintenance';
import { makePresetStore } from '../flashcards/presets';
import { studyConfig } from '../flashcards/studyConfig';
import { makeSettingsStore } from '../settings';
import { CARDS_SQL, RATINGS_SQL, REVLOG_COUNT_SQL, REVLOG_SQL } from './revlogQuery';
import { DEFAULT_PARAMS, makeFitStore } from './store';
import type { MemoryOutput, ScopeInput } from './tasks';
import { fittingMicrosPerItem, optimiserUnavailable, runTask, together, type RunningTask } from './worker';

/**
 * Fewer predicted reviews than this and the optimiser is not run: a fit on a few hundred reviews is mostly
 * noise (Anki asks for the same order of magnitude before it optimises).
 */
export const MINIMUM_ITEMS = 400;
/**
 * Desired retentions the simulator compares: 0.70 to 0.96 in steps of 0.02, and 0.97 (plus the preset's
 * own when it lies between). Every point is a year over every card, so the grid is what keeps a heavy
 * collection's simulation to a second or two.
 */
export const SIMULATED_RETENTIONS = [...Array.from({ length: 14 }, (_, i) => Math.round((0.7 + i * 0.02) * 100) / 100), 0.97];

/** The grid, with the preset's desired retention added when it is in range but not on it. */
export function retentionsFor(desired: number): number[] {
  const own = Math.round(desired * 100) / 100;
  if (own < 0.7 || own > 0.97 || SIMULATED_RETENTIONS.includes(own)) return SIMULATED_RETENTIONS;
  return [...SIMULATED_RETENTIONS, own].sort((a, b) => a - b);
}
const DAY_MS = 86_400_000;

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The comparison in a sentence, and whether the fit is better than the baseline (the set in use). */
export function judge(fitted: FitMetrics, defaults: FitMetrics, current: FitMetrics | null): { better: boolean; verdict: string } {
  const base = current ?? defaults;
  const what = current ? 'the parameters in use now' : 'the default parameters';
  const lossBetter = fitted.logLoss < base.logLoss;
  const rmseBetter = fitted.rmseBins <= base.rmseBins;
  if (lossBetter && rmseBetter) {
    return {
      better: true,
      verdict: `The fitted parameters predict your reviews better than ${what}: log loss ${base.logLoss.toFixed(4)} → ${fitted.logLoss.toFixed(4)}, RMSE ${percent(base.rmseBins)} → ${percent(fitted.rmseBins)}.`,
    };
  }
  return {
    better: false,
    verdict: `The fitted parameters do not predict your reviews better than ${what} (log loss ${base.logLoss.toFixed(4)} → ${fitted.logLoss.toFixed(4)}, RMSE ${percent(base.rmseBins)} → ${percent(fitted.rmseBins)}), so Cadence keeps ${what} unless you apply them anyway.`,
  };
}

export function makeFsrsService(ctx: CoreContext) {
  const fits = makeFitStore(ctx.db);
  const presets = makePresetStore(ctx.db);
  const settings = makeSettingsStore(ctx.db);
  const selectPresetDecks = ctx.db.prepare<[number], number>('SELECT id FROM decks WHERE preset_id = ? ORDER BY id').pluck();
  const selectCard = ctx.db.prepare<[number], { state: number; last_review: number | null }>('SELECT state, last_review FROM cards WHERE id = ?');
  const updateSchedule = ctx.db.prepare('UPDATE cards SET stability = ?, difficulty = ?, due = ?, scheduled_days = ?, updated_at = ? WHERE id = ?');
  const updateMemory = ctx.db.prepare('UPDATE cards SET stability = ?, difficulty = ?, updated_at = ? WHERE id = ?');
  const running = new Map<string, RunningTask<unknown>>();
  /** True from the start of an apply with rescheduling (its backup) to its last write: no other apply or restore meanwhile. */
  let rescheduling = false;
  const RESCHEDULING = 'Cadence is rescheduling your cards with new parameters. Wait for it to finish (or cancel it), then try again.';

  /** The decks to read and the words for them. */
  function scope(presetId: number, deckId: number | undefined): { deckIds: number[]; label: string } {
    const preset = presets.get(presetId);
    if (deckId === undefined) return { deckIds: selectPresetDecks.all(presetId), label: `Decks using “${preset.name}”` };
    const tree = studyConfig(ctx.db).read().config.subtree(deckId);
    if (!tree) throw new AppError('not_found', 'That deck no longer exists. Choose another one.');
    const root = tree.decks[0]!;
    return { deckIds: tree.decks.map((d) => d.id), label: tree.decks.length > 1 ? `“${root.name}” and its subdecks` : `“${root.name}”` };
  }

  function scopeInput(deckIds: number[]): ScopeInput {
    return {
      deckIds: JSON.stringify(deckIds),
      sql: { revlog: REVLOG_SQL, revlogCount: REVLOG_COUNT_SQL, cards: CARDS_SQL, ratings: RATINGS_SQL },
      nextDayAt: studyDayEnd(ctx.clock.now(), settings.get().dayRolloverHour),
    };
  }

  /** Runs a worker task as job `jobId`: progress as 'fsrs.progress' events, cancel by fsrs.cancel. */
  async function job<T>(jobId: string, start: (progress: (phase: FsrsPhase, done: number, total: number) => void) => RunningTask<T>): Promise<T> {
    if (running.size > 0) throw new AppError('conflict', 'FSRS is already working on an optimisation or simulation. Wait for it to finish (or cancel it), then try again.');
    const task = start((phase, done, total) => ctx.emit('fsrs.progress', { jobId, phase, done, total }));
    running.set(jobId, task);
    try {
      return await task.result;
    } catch (err) {
      // Cadence's own refusals and named faults (a SQLite or file-system code) go as they are; anything
      // else came from the optimiser or simulator and is said in those words.
      if (err instanceof AppError || (err as { code?: unknown }).code) throw err;
      ctx.log.error('FSRS background task failed', err);
      throw new AppError('internal', `FSRS could not finish: ${(err as Error).message}. Nothing was changed; try again, and report it if it keeps happening.`);
    } finally {
      running.delete(jobId);
    }
  }

  function status(presetId: number): FsrsStatus {
    const { name, params } = fits.preset(presetId);
    return {
      presetId,
      presetName: name,
      params: params ?? [...DEFAULT_PARAMS],
      usingDefaults: params === null,
      current: params === null ? null : fits.current(presetId),
      restore: fits.restoreTo(presetId),
      offered: fits.offered(presetId),
      minimumReviews: MINIMUM_ITEMS,
      unavailable: optimiserUnavailable(),
    };
  }

  async function optimize(jobId: string, presetId: number, deckId: number | undefined): Promise<OptimizeResult> {
    const preset = presets.get(presetId);
    const { deckIds, label } = scope(presetId, deckId);
    const started = performance.now();
    const out = await job(jobId, (progress) =>
      runTask(
        'optimise',
        ctx.paths.dbFile,
        { ...scopeInput(deckIds), minimumItems: MINIMUM_ITEMS, relearningSteps: preset.relearningSteps.length, current: preset.fsrsParams, defaults: [...DEFAULT_PARAMS], microsPerItem: fittingMicrosPerItem() },
        progress,
      ),
    );
    if (out.status === 'too_few') {
      return {
        status: 'too_few',
        scope: label,
        reviews: out.reviews,
        items: out.items,
        needed: MINIMUM_ITEMS,
        message:
          `Not enough review history yet: FSRS learns from reviews that are the first of a day for a card, and ${label.charAt(0).toLowerCase() + label.slice(1)} ` +
          `${out.items === 1 ? 'has 1' : `have ${out.items.toLocaleString('en')}`} of the ${MINIMUM_ITEMS} it needs. ` +
          'Cards count from their first learning step (cards whose early history is missing do not count). ' +
          'Until then the default parameters, fitted to the reviews of thousands of learners, schedule well.',
      };
    }
    const { better, verdict } = judge(out.fitted, out.defaults, out.current);
    const fitId = fits.add(
      { presetId, origin: 'optimised', scope: label, params: out.params, reviews: out.reviews, items: out.items, metrics: out.fitted, defaultMetrics: out.defaults, better },
      ctx.clock.now(),
    );
    return {
      status: 'done',
      fitId,
      scope: label,
      reviews: out.reviews,
      items: out.items,
      measured: out.measured,
      params: out.params,
      fitted: out.fitted,
      defaults: out.defaults,
      current: out.current,
      better,
      verdict,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  }

  /**
   * Each studied card's memory (stability, difficulty) replayed from its history with `params`, in the
   * worker. Nothing is written: the caller writes it together with the parameters (writeSchedules).
   */
  function replayMemory(jobId: string, presetId: number, params: number[]) {
    return job(jobId, (progress) => runTask('memory', ctx.paths.dbFile, { ...scopeInput(selectPresetDecks.all(presetId)), params }, progress));
  }

  /**
   * Writes the replayed memory of every studied card of the preset, and the due date of review cards
   * from it (last review + the interval for the desired retention). Runs inside the caller's transaction.
   * A card answered while the worker replayed histories is left as it is.
   */
  function writeSchedules(presetId: number, params: number[], memory: MemoryOutput): number {
    const preset = presets.get(presetId);
    const scheduler = fsrs(generatorParameters({ w: params, request_retention: preset.desiredRetention, maximum_interval: preset.maximumInterval, enable_fuzz: true }));
    const now = ctx.clock.now();
    let changed = 0;
    for (let i = 0; i < memory.cardIds.length; i++) {
      const id = memory.cardIds[i]!;
      const card = selectCard.get(id);
      if (!card || card.state === State.New || card.last_review !== memory.lastReview[i]) continue;
      const s = memory.stability[i]!;
      const d = memory.difficulty[i]!;
      if (card.state === State.Review) {
        // Fuzzed like an answer's interval (as Anki does when it reschedules), seeded by the card and its
        // last answer: cards last answered on one day do not all fall due on one day.
        scheduler.seed = `${id}:${card.last_review}`;
        const days = scheduler.next_interval(s, 0);
        updateSchedule.run(s, d, card.last_review + days * DAY_MS, days, now, id);
      } else {
        updateMemory.run(s, d, now, id);
      }
      changed++;
    }
    return changed;
  }

  async function apply(fitId: number, force: boolean, doReschedule: boolean, jobId: string | undefined) {
    const fit = fits.get(fitId);
    if (!force && fit.better === false) {
      throw new AppError('conflict', 'These parameters predicted your reviews worse than the ones in use, so they were not applied. Choose “Apply anyway” if you want them regardless.');
    }
    if (rescheduling) throw new AppError('conflict', RESCHEDULING);
    if (doReschedule && running.size > 0) {
      throw new AppError('conflict', 'FSRS is already working on an optimisation or simulation. Wait for it to finish (or cancel it), then apply again.');
    }
    if (!doReschedule) {
      fits.apply(fitId, ctx.clock.now());
      ctx.emit('data.changed', { topics: ['presets', 'fsrs', 'study'] });
      return { status: status(fit.presetId), rescheduled: null, backup: null };
    }
    rescheduling = true;
    try {
      return await applyRescheduling(fitId, fit, jobId);
    } finally {
      rescheduling = false;
    }
  }

  async function applyRescheduling(fitId: number, fit: { presetId: number; params: number[] }, jobId: string | undefined) {
    // The way back from a reschedule: a backup of the whole collection made first (Settings → Your data restores it).
    const made = await backupInBackground(ctx.paths.dbFile, ctx.paths.backupsDir, 'manual', ctx.clock.now(), 'quick');
    if (made.problem !== null) {
      ctx.health.markDamaged(made.problem, 'the backup before rescheduling');
      throw new AppError('damaged', 'Nothing was changed: the backup made before rescheduling found damage in your collection file. Recover it first (the message at the top of the window).');
    }
    announceKept(ctx, rotateBackups(ctx.paths.backupsDir, made.counts));
    const backup = path.basename(made.backup.file);
    // The histories are replayed first (a cancel or a failure there changes nothing), then the parameters
    // and the new schedules are written in one transaction: never the one without the other.
    const memory = await replayMemory(jobId ?? `reschedule-${fitId}`, fit.presetId, fit.params);
    const rescheduled = ctx.db.transaction(() => {
      fits.apply(fitId, ctx.clock.now());
      return writeSchedules(fit.presetId, fit.params, memory);
    })();
    ctx.emit('data.changed', { topics: ['presets', 'fsrs', 'study', 'cards', 'decks', 'stats', 'backups'] });
    return { status: status(fit.presetId), rescheduled, backup };
  }

  async function simulate(input: { jobId: string; presetId: number; newPerDay?: number; reviewsPerDay?: number; days: number }): Promise<Simulation> {
    const preset = presets.get(input.presetId);
    const newPerDay = input.newPerDay ?? preset.newPerDay;
    const reviewsPerDay = input.reviewsPerDay ?? preset.reviewsPerDay;
    const started = performance.now();
    const base = {
      ...scopeInput(selectPresetDecks.all(input.presetId)),
      params: preset.fsrsParams ?? [...DEFAULT_PARAMS],
      days: input.days,
      newPerDay,
      reviewsPerDay: Math.max(1, reviewsPerDay),
      maximumInterval: preset.maximumInterval,
      learningSteps: preset.learningSteps.length,
      relearningSteps: preset.relearningSteps.length,
    };
    // Two workers, each with every other retention (the high ones cost most), use both cores of a
    // small machine; study is served meanwhile from the main thread, which only waits.
    const retentions = retentionsFor(preset.desiredRetention);
    const parts = await job(input.jobId, (progress) => {
      const done = [0, 0];
      return together(
        [0, 1].map((k) =>
          runTask('simulate', ctx.paths.dbFile, { ...base, retentions: retentions.filter((_, i) => i % 2 === k) }, (phase, d) => {
            done[k] = phase === 'simulating' ? d : 0;
            progress('simulating', done[0]! + done[1]!, retentions.length);
          }),
        ),
      );
    });
    const out = { ...parts[0]!, rows: parts.flatMap((p) => p.rows).sort((a, b) => a.retention - b.retention) };
    const rows = out.rows.map((r) => ({
      retention: r.retention,
      reviewsPerDay: r.totalReviews / input.days,
      totalReviews: r.totalReviews,
      remembered: r.remembered,
      reviewsPerRemembered: r.remembered > 0 ? r.totalReviews / r.remembered : Number.POSITIVE_INFINITY,
    }));
    const best = rows.reduce((a, b) => (b.reviewsPerRemembered < a.reviewsPerRemembered ? b : a), rows[0]!);
    return {
      rows: rows.map((r) => ({ ...r, reviewsPerRemembered: Number.isFinite(r.reviewsPerRemembered) ? r.reviewsPerRemembered : 0 })),
      best: best.retention,
      days: input.days,
      newPerDay,
      reviewsPerDay,
      cards: out.cards,
      newCards: out.newCards,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  }

  return {
    status,
    optimize,
    apply,
    simulate,
    restore(presetId: number): FsrsStatus {
      if (rescheduling) throw new AppError('conflict', RESCHEDULING);
      if (!fits.restore(presetId, ctx.clock.now())) throw new AppError('conflict', 'There is nothing to restore: these parameters were never changed here.');
      ctx.emit('data.changed', { topics: ['presets', 'fsrs', 'study'] });
      return status(presetId);
    },
    /** Declines an imported set that was offered and never applied. */
    discard(fitId: number): FsrsStatus {
      const presetId = fits.discardOffer(fitId);
      ctx.emit('data.changed', { topics: ['fsrs'] });
      return status(presetId);
    },
    cancel(jobId: string): void {
      running.get(jobId)?.cancel();
    },
    /** Measures parameter sets on a deck tree's reviews (tests use it to check a fit on held-out cards). */
    measure(deckIds: number[], sets: (number[] | null)[]) {
      return runTask('measure', ctx.paths.dbFile, { ...scopeInput(deckIds), sets: sets.map((p) => p ?? [...DEFAULT_PARAMS]) }, () => {}).result;
    },
    busy: () => running.size > 0,
  };
}
export type FsrsService = ReturnType<typeof makeFsrsService>;
