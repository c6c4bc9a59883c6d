import { it } from 'vitest';
import { startCore } from '../../electron/core/app';
import { silentLogger } from '../../electron/core/context';
import { makeDeckSummaries } from '../../electron/core/flashcards/deckSummaries';
import { makeStudyQueue } from '../../electron/core/flashcards/queue';
import { recallSql } from '../../electron/core/flashcards/retrievability';
import { ASSETS_DIR } from './testCore';

it('profile3', async () => {
  let t = 1788253200000 + 3600000;
  const clock = { now: () => t };
  const core = await startCore({ dataDir: '/tmp/flash-prof/data', assetsDir: ASSETS_DIR, appVersion: 'bench', mode: 'browser', clock, log: silentLogger });
  const db = core.ctx.db;
  const queue = makeStudyQueue(db);
  const sums = makeDeckSummaries(core.ctx);
  const time = (label: string, fn: () => void, n = 40) => {
    for (let i = 0; i < 5; i++) fn();
    const a: number[] = [];
    for (let i = 0; i < n; i++) { const t0 = performance.now(); fn(); a.push(performance.now() - t0); }
    a.sort((x, y) => x - y);
    console.log(label, 'p50', a[a.length >> 1]!.toFixed(3), 'p95', a[Math.floor(a.length * 0.95)]!.toFixed(3));
  };
  const read = queue.snapshot();
  const day = queue.dayOf(t, 4);
  const totals = db.prepare('SELECT deck_id, count(*) AS n FROM cards GROUP BY deck_id');
  const recall = db.prepare(`SELECT deck_id, total(${recallSql('stability', 'last_review', '@now')}) AS recall_sum, count(*) AS reviewed FROM cards WHERE last_review IS NOT NULL AND stability > 0 GROUP BY deck_id`);
  time('list', () => sums.list());
  time('totals', () => totals.all());
  time('recall', () => recall.all({ now: t }));
  time('own all', () => queue.ownCounts(read.config.all, day));
  const own = queue.ownCounts(read.config.all, day);
  const inputs = queue.limitInputs(day, read);
  time('js limits', () => { for (const d of read.config.decks) queue.applyLimits(read.config.subtree(d.id)!.decks, d.id, inputs, (x) => own.get(x.id)!); });
  for (const r of db.prepare('EXPLAIN QUERY PLAN ' + totals.source).all() as any[]) console.log(r.detail);
  core.close();
}, 300_000);
