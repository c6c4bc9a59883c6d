// fsrs.optimize_1m_reviews_s: fitting the Default preset's parameters to the whole history (1M reviews)
// through 'fsrs.optimize', as the Settings page does: reading the review log in the worker, building the
// training set, fitting, and measuring the fit, the defaults beside it. Floor: the optimiser's own fitting
// (computeParameters on the training set already built), timed from the worker's progress events.
// Meanwhile the study queue is asked for a card every 50 ms; the note gives its slowest answer, which
// shows whether the work stays off the main thread.
// fsrs.simulate_365d_ms: 'fsrs.simulate', a year at each desired retention from 0.70 to 0.97, from the
// preset's 100,000 cards at its daily limits. No floor: there is no lesser way to the same table.
import { startCore } from '../../../electron/core/app';
import { silentLogger } from '../../../electron/core/context';
import { NOW } from '../generate';
import { benchClock, call, missing, type Case } from '../harness';
import { summarize } from '../measure';
import { measured, skipped } from '../report';

const OPTIMIZE = 'fsrs.optimize_1m_reviews_s';
const SIMULATE = 'fsrs.simulate_365d_ms';

export const fsrsCase: Case = {
  name: 'fsrs',
  produces: [
    { name: OPTIMIZE, unit: 's', budget: 60 },
    { name: SIMULATE, unit: 'ms', budget: 2000 },
  ],
  async run(bench) {
    const clock = benchClock(NOW + 3_600_000);
    const phases = new Map<string, number>();
    const core = await startCore({
      dataDir: bench.copy('fsrs'),
      assetsDir: bench.assetsDir,
      appVersion: 'bench',
      mode: 'browser',
      clock,
      log: silentLogger,
      dailyMaintenance: false,
      emit: (name, payload) => {
        if (name !== 'fsrs.progress') return;
        const phase = (payload as { phase: string }).phase;
        if (!phases.has(phase)) phases.set(phase, performance.now());
      },
    });
    try {
      const why = missing(core, ['fsrs.optimize', 'fsrs.simulate']);
      if (why) return [skipped(OPTIMIZE, 's', 60, why), skipped(SIMULATE, 'ms', 2000, why)];
      const deckId = core.ctx.db.prepare<[], number>('SELECT id FROM decks WHERE parent_id IS NULL ORDER BY id LIMIT 1').pluck().get()!;

      // Study while it optimises.
      const studyMs: number[] = [];
      let optimising = true;
      const studying = (async () => {
        while (optimising) {
          const t0 = performance.now();
          await call(core, 'study.next', { deckId });
          studyMs.push(performance.now() - t0);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const result = await call(core, 'fsrs.optimize', { jobId: 'bench-optimize', presetId: 1 }).finally(() => (optimising = false));
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      await studying;
      if (result.status !== 'done') throw new Error(`the optimiser did not run: ${result.status === 'too_few' ? result.message : ''}`);
      const fitting = ((phases.get('evaluating') ?? 0) - (phases.get('fitting') ?? 0)) / 1000;
      const s = summarize(studyMs);
      const optimize = measured({
        name: OPTIMIZE,
        unit: 's',
        value: seconds,
        floor: fitting,
        budget: 60,
        note:
          `${result.reviews.toLocaleString('en')} reviews used, ${result.items.toLocaleString('en')} predicted; RMSE(bins) ${(result.fitted.rmseBins * 100).toFixed(2)} % ` +
          `(defaults ${(result.defaults.rmseBins * 100).toFixed(2)} %), log loss ${result.fitted.logLoss.toFixed(4)} (defaults ${result.defaults.logLoss.toFixed(4)}). ` +
          `Phases: reading ${(((phases.get('preparing') ?? 0) - (phases.get('reading') ?? 0)) / 1000).toFixed(1)} s, preparing ${(((phases.get('fitting') ?? 0) - (phases.get('preparing') ?? 0)) / 1000).toFixed(1)} s, ` +
          `fitting ${fitting.toFixed(1)} s, measuring ${(seconds - ((phases.get('evaluating') ?? 0) - t0) / 1000).toFixed(1)} s; ` +
          `process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s. study.next meanwhile: ${studyMs.length} calls, p50 ${s.p50.toFixed(2)} ms, max ${s.max.toFixed(1)} ms.`,
      });

      const t1 = performance.now();
      const simCpu0 = process.cpuUsage();
      const sim = await call(core, 'fsrs.simulate', { jobId: 'bench-simulate', presetId: 1, days: 365 });
      const simMs = performance.now() - t1;
      const simCpu = process.cpuUsage(simCpu0);
      const simulate = measured({
        name: SIMULATE,
        unit: 'ms',
        value: simMs,
        budget: 2000,
        note:
          `${sim.rows.length} desired retentions × ${sim.days} days from ${sim.cards.toLocaleString('en')} cards (${sim.newCards.toLocaleString('en')} new), ${sim.newPerDay} new and at most ${sim.reviewsPerDay} reviews a day; least work per card remembered at ${Math.round(sim.best * 100)} %; ` +
          `process CPU ${((simCpu.user + simCpu.system) / 1000).toFixed(0)} ms over two workers (on a busy machine the wall time is mostly waiting for a core)`,
      });
      return [optimize, simulate];
    } finally {
      core.close();
    }
  },
};
