// stats.dashboard_ms: the Stats page for the whole collection (a year of daily history, retention,
// forecast, stability and difficulty histograms, answer buttons) over 1M reviews.
// today.dashboard_ms: the Today page, the first screen (deck counts, curricula, renewals, streak, goal).
// Floors, the least reading that could answer each:
//   stats: 365 precomputed day rows (a temporary table here), today's answers through the time index,
//          and one covering-index pass over the scheduled cards for the 30-day forecast;
//   today: the deck list floor (see decks.ts) and today's answers through the time index.
import type { Core } from '../../../electron/core/app';
import { NOW } from '../generate';
import { DAY_MS } from '../history';
import { benchClock, call, missing, type Bench, type BenchClock, type Case } from '../harness';
import { summarize, timePaired } from '../measure';
import { measured, skipped, type BenchResult } from '../report';

const STATS = 'stats.dashboard_ms';
const TODAY = 'today.dashboard_ms';

function statsFloor(core: Core, clock: BenchClock) {
  const db = core.ctx.db;
  db.exec('CREATE TEMP TABLE IF NOT EXISTS bench_days (day INTEGER PRIMARY KEY, counts TEXT NOT NULL)');
  const fill = db.prepare('INSERT OR REPLACE INTO temp.bench_days (day, counts) VALUES (?, ?)');
  for (let d = 0; d < 365; d++) fill.run(d, JSON.stringify(Array.from({ length: 20 }, (_, k) => d * 20 + k)));
  const days = db.prepare('SELECT day, counts FROM temp.bench_days');
  const today = db.prepare('SELECT count(*) AS n, total(duration_ms) AS ms FROM revlog WHERE reviewed_at >= ?');
  const forecast = db.prepare(
    'SELECT (due - ?) / 86400000 AS d, count(*) AS n FROM cards WHERE suspended = 0 AND state > 0 AND due < ? GROUP BY d',
  );
  return () => {
    const now = clock.now();
    for (const r of days.all() as { counts: string }[]) JSON.parse(r.counts);
    today.get(now - (now % DAY_MS));
    forecast.all(now, now + 30 * DAY_MS);
  };
}

function todayFloor(core: Core, clock: BenchClock) {
  const db = core.ctx.db;
  const counts = db.prepare('SELECT deck_id, state, count(*) AS n, sum(due <= ?) AS due FROM cards WHERE suspended = 0 GROUP BY deck_id, state');
  const deckRows = db.prepare('SELECT id, parent_id, name FROM decks');
  const today = db.prepare('SELECT count(*) AS n FROM revlog WHERE reviewed_at >= ?');
  return () => {
    const now = clock.now();
    deckRows.all();
    counts.all(now);
    today.get(now - (now % DAY_MS));
  };
}

async function dashboard(
  bench: Bench,
  name: string,
  channel: 'stats.get' | 'today.get',
  floorOf: (core: Core, clock: BenchClock) => () => void,
  what: string,
): Promise<BenchResult> {
  const clock = benchClock(NOW + 3_600_000);
  const core = await bench.open(bench.copy(name), clock);
  try {
    const why = missing(core, [channel]);
    if (why) return skipped(name, 'ms', 150, why);
    const first = performance.now();
    await call(core, channel);
    const firstMs = performance.now() - first;
    const [real, base] = await timePaired(() => call(core, channel), floorOf(core, clock), {
      runs: bench.quick ? 10 : 60,
      warmup: 2,
      maxMs: 20_000,
      minRuns: 10,
    });
    const r = summarize(real);
    const f = summarize(base);
    return measured({
      name,
      unit: 'ms',
      value: r.p95,
      floor: f.p95,
      budget: 150,
      note: `p95 of ${real.length} loads of ${what}; p50 ${r.p50.toFixed(1)} ms, floor p50 ${f.p50.toFixed(1)} ms; the first load after opening took ${firstMs.toFixed(0)} ms`,
    });
  } finally {
    core.close();
  }
}

export const statsCase: Case = {
  name: 'stats',
  produces: [{ name: STATS, unit: 'ms', budget: 150 }],
  run: async (bench) => [await dashboard(bench, STATS, 'stats.get', statsFloor, "the whole collection's stats")],
};

export const todayCase: Case = {
  name: 'today',
  produces: [{ name: TODAY, unit: 'ms', budget: 150 }],
  run: async (bench) => [await dashboard(bench, TODAY, 'today.get', todayFloor, 'the Today page')],
};
