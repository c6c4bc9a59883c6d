// decks.list_with_counts_ms: the deck list page's one call, on ~200 decks over the whole collection.
// Floor: one pass over the covering index (deck_id, state, due) grouped by deck and state, plus the
// deck rows: the least reading that yields every deck's due counts.
import { NOW } from '../generate';
import { benchClock, call, missing, type Case } from '../harness';
import { summarize, timePaired } from '../measure';
import { measured, skipped } from '../report';

const NAME = 'decks.list_with_counts_ms';

export const decksCase: Case = {
  name: 'decks',
  produces: [{ name: NAME, unit: 'ms', budget: 20 }],
  async run(bench) {
    const clock = benchClock(NOW + 3_600_000);
    const core = await bench.open(bench.copy('decks'), clock);
    try {
      const why = missing(core, ['decks.list']);
      if (why) return [skipped(NAME, 'ms', 20, why)];
      const counts = core.ctx.db.prepare(
        'SELECT deck_id, state, count(*) AS n, sum(due <= ?) AS due FROM cards WHERE suspended = 0 GROUP BY deck_id, state',
      );
      const deckRows = core.ctx.db.prepare('SELECT id, parent_id, name FROM decks');
      const [real, floor] = await timePaired(
        () => call(core, 'decks.list'),
        () => {
          deckRows.all();
          counts.all(clock.now());
        },
        { runs: bench.quick ? 50 : 200, warmup: 5, maxMs: 20_000, minRuns: 30 },
      );
      const runs = real.length;
      const listed = (await call(core, 'decks.list')).decks.length;
      const r = summarize(real);
      return [
        measured({
          name: NAME,
          unit: 'ms',
          value: r.p95,
          floor: summarize(floor).p95,
          budget: 20,
          note: `p95 of ${runs} calls listing ${listed} decks; p50 ${r.p50.toFixed(2)} ms, floor p50 ${summarize(floor).p50.toFixed(2)} ms`,
        }),
      ];
    } finally {
      core.close();
    }
  },
};
