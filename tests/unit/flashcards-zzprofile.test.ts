import { it } from 'vitest';
import { startCore } from '../../electron/core/app';
import { silentLogger } from '../../electron/core/context';
import { invokeChannel } from '../../electron/core/invoke';
import { makeStudyQueue } from '../../electron/core/flashcards/queue';
import { makeStudy } from '../../electron/core/flashcards/study';
import { ASSETS_DIR } from './testCore';

it('profile', async () => {
  let t = 1788253200000 + 3600000;
  const clock = { now: () => t };
  const core = await startCore({ dataDir: '/tmp/flash-prof/data', assetsDir: ASSETS_DIR, appVersion: 'bench', mode: 'browser', clock, log: silentLogger });
  const db = core.ctx.db;
  const queue = makeStudyQueue(db);
  const study = makeStudy(db, queue);
  const deckId = 35;
  const studiedQ = db.prepare(`SELECT c.deck_id, sum(r.state_before = 0) AS new, sum(r.state_before = 2) AS review FROM revlog r JOIN cards c ON c.id = r.card_id WHERE r.reviewed_at >= ? AND r.rating > 0 GROUP BY c.deck_id`);
  const s = { stud: [] as number[], q: [] as number[], card: [] as number[], call: [] as number[], ans: [] as number[], snap: [] as number[] };
  for (let i = 0; i < 600; i++) {
    let t0 = performance.now();
    queue.snapshot();
    s.snap.push(performance.now() - t0);
    t0 = performance.now();
    studiedQ.all(1788220800000);
    s.stud.push(performance.now() - t0);
    t0 = performance.now();
    const q = queue.next(deckId, t);
    s.q.push(performance.now() - t0);
    if (q.cardId === null) { t += 86_400_000; continue; }
    t0 = performance.now();
    study.studyCard(q.cardId, q.config, t);
    s.card.push(performance.now() - t0);
    t0 = performance.now();
    const r = await invokeChannel(core.handlers, 'study.next', { deckId }, silentLogger, core.ctx.gate);
    s.call.push(performance.now() - t0);
    t0 = performance.now();
    await invokeChannel(core.handlers, 'study.answer', { cardId: (r as any).value.card.id, rating: i % 10 === 0 ? 1 : 3, durationMs: 5000 }, silentLogger, core.ctx.gate);
    s.ans.push(performance.now() - t0);
    // A write elsewhere on the connection, as the bench's floor does.
    db.prepare("INSERT INTO revlog (card_id, reviewed_at, rating, state_before, due_before, stability_before, difficulty_before, scheduled_days_before, learning_steps_before, reps_before, lapses_before, state_after, due_after, stability_after, difficulty_after, scheduled_days_after, learning_steps_after) VALUES (1, ?, 3, 2, 0, 1, 1, 1, 0, 1, 0, 2, 0, 1, 1, 1, 0)").run(t);
    t += 7000;
  }
  const st = (a: number[]) => { const b = [...a].slice(50).sort((x, y) => x - y); return `p50 ${b[b.length >> 1]!.toFixed(3)} p90 ${b[Math.floor(b.length * 0.9)]!.toFixed(3)} p99 ${b[Math.floor(b.length * 0.99)]!.toFixed(3)}`; };
  for (const [k, v] of Object.entries(s)) console.log(k, st(v));
  core.close();
}, 300_000);
