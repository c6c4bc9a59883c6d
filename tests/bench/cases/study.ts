// study.next_card_p99_ms and study.answer_p99_ms: a study session in the top-level deck with the most
// cards due (a subtree of many decks), answering like a person (mostly Good, some Again) while the
// clock moves on by each answer's time. Each call is timed beside its floor, in alternation:
//   next:   the first due card of the subtree (one index lookup per deck) with its note;
//   answer: read the card, ts-fsrs next(), one UPDATE and one INSERT, in one transaction.
// The floor runs on its own copy of the collection (same disk), answering cards of other decks: its
// writes must not land between an answer and the next card on the session's connection, where a real
// session writes nothing else (the queue keeps its counts across that: flashcards/dueCounts.ts).
import { Rating, fsrs, generatorParameters, type Grade } from 'ts-fsrs';
import type { Core } from '../../../electron/core/app';
import { NOW } from '../generate';
import { DAY_MS } from '../history';
import { benchClock, call, missing, type BenchClock, type Case } from '../harness';
import { summarize } from '../measure';
import { makeRng } from '../rng';
import { measured, skipped, type BenchResult } from '../report';
import { toFsrsCard, type SchedulingRow } from '../../../electron/core/flashcards/scheduler';

const NEXT = 'study.next_card_p99_ms';
const ANSWER = 'study.answer_p99_ms';

/** A card row: its scheduling columns and the rest this test reads. */
interface CardRow extends SchedulingRow {
  id: number;
}

function makeFloor(core: Core, deckId: number, clock: BenchClock) {
  const db = core.ctx.db;
  const subtree = JSON.stringify(
    (
      db
        .prepare('WITH RECURSIVE t(id) AS (SELECT ? UNION ALL SELECT d.id FROM decks d JOIN t ON d.parent_id = t.id) SELECT id FROM t')
        .all(deckId) as { id: number }[]
    ).map((r) => r.id),
  );
  // Each deck's first due card by one index lookup, the earliest of those, and its note.
  const nextDue = db.prepare(
    `SELECT c.*, n.fields, n.tags FROM json_each(?) j
       JOIN cards c ON c.id = (SELECT id FROM cards WHERE deck_id = j.value AND state = 2 AND suspended = 0 AND due <= ?
                                 ORDER BY due LIMIT 1)
       JOIN notes n ON n.id = c.note_id
      ORDER BY c.due LIMIT 1`,
  );
  const pool = (
    db
      .prepare(
        `SELECT id FROM cards WHERE suspended = 0 AND state > 0 AND deck_id NOT IN (SELECT value FROM json_each(?))
          ORDER BY due LIMIT 5000`,
      )
      .all(subtree) as { id: number }[]
  ).map((r) => r.id);
  const readCard = db.prepare<[number], CardRow>('SELECT * FROM cards WHERE id = ?');
  const update = db.prepare(
    `UPDATE cards SET state = ?, due = ?, stability = ?, difficulty = ?, scheduled_days = ?, learning_steps = ?, reps = ?,
       lapses = ?, last_review = ?, updated_at = ? WHERE id = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO revlog (card_id, reviewed_at, rating, duration_ms, state_before, due_before, stability_before, difficulty_before,
       scheduled_days_before, learning_steps_before, reps_before, lapses_before, last_review_before, state_after, due_after,
       stability_after, difficulty_after, scheduled_days_after, learning_steps_after)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const scheduler = fsrs(generatorParameters({ enable_fuzz: true }));
  const answer = db.transaction((cardId: number, rating: Grade, durationMs: number) => {
    const row = readCard.get(cardId)!;
    const now = clock.now();
    const card = toFsrsCard(row);
    const next = scheduler.next(card, new Date(now), rating).card;
    update.run(next.state, next.due.getTime(), next.stability, next.difficulty, next.scheduled_days, next.learning_steps,
      next.reps, next.lapses, now, now, cardId);
    insert.run(cardId, now, rating, durationMs, row.state, row.due, row.stability, row.difficulty, row.scheduled_days,
      row.learning_steps, row.reps, row.lapses, row.last_review, next.state, next.due.getTime(), next.stability,
      next.difficulty, next.scheduled_days, next.learning_steps);
  });
  let k = 0;
  return {
    next: () => nextDue.get(subtree, clock.now()),
    answer: (rating: Grade, durationMs: number) => answer(pool[k++ % pool.length]!, rating, durationMs),
    poolSize: pool.length,
  };
}

export const studyCase: Case = {
  name: 'study',
  produces: [
    { name: NEXT, unit: 'ms', budget: 1 },
    { name: ANSWER, unit: 'ms', budget: 2 },
  ],
  async run(bench) {
    const clock = benchClock(NOW + 3_600_000);
    const core = await bench.open(bench.copy('study'), clock);
    const floorCore = await bench.open(bench.copy('study-floor'), clock);
    try {
      const why = missing(core, ['study.next', 'study.answer']);
      if (why) return [skipped(NEXT, 'ms', 1, why), skipped(ANSWER, 'ms', 2, why)];
      const deckId = bench.collection.info.studyDeckId;
      const floor = makeFloor(floorCore, deckId, clock);
      const rng = makeRng(11);
      const warmup = 50;
      const runs = bench.quick ? 300 : 1000;
      const samples = { next: [] as number[], nextFloor: [] as number[], answer: [] as number[], answerFloor: [] as number[] };
      let answered = 0;
      let emptyQueues = 0;
      // Each request is its own task, as IPC and HTTP deliver them: what Cadence does between requests
      // (folding the write-ahead log back in) runs between these too.
      const betweenRequests = () => new Promise<void>((resolve) => setImmediate(resolve));
      while (answered < warmup + runs) {
        await betweenRequests();
        let t0 = performance.now();
        const next = await call(core, 'study.next', { deckId });
        const nextMs = performance.now() - t0;
        if (!next.card) {
          // Done for now: wait for the next learning card, or come back the next study day.
          emptyQueues++;
          if (emptyQueues > 60) throw new Error(`the study queue of deck ${deckId} stayed empty`);
          clock.set(next.nextLearningDue !== null && next.nextLearningDue - clock.now() < 3_600_000 ? next.nextLearningDue : clock.now() + DAY_MS);
          continue;
        }
        t0 = performance.now();
        floor.next();
        const nextFloorMs = performance.now() - t0;

        const x = rng.next();
        const rating: Grade = x < 0.1 ? Rating.Again : x < 0.15 ? Rating.Hard : x < 0.92 ? Rating.Good : Rating.Easy;
        const durationMs = Math.round(rng.logNormal(6000, 0.6));
        await betweenRequests();
        t0 = performance.now();
        await call(core, 'study.answer', { cardId: next.card.id, rating, durationMs });
        const answerMs = performance.now() - t0;
        t0 = performance.now();
        floor.answer(rating, durationMs);
        const answerFloorMs = performance.now() - t0;

        if (answered >= warmup) {
          samples.next.push(nextMs);
          samples.nextFloor.push(nextFloorMs);
          samples.answer.push(answerMs);
          samples.answerFloor.push(answerFloorMs);
        }
        answered++;
        clock.advance(durationMs + 1500);
      }
      // What flushing every answer to disk would cost: the same floor answers with synchronous=FULL (an
      // fsync per commit; the app flushes at each checkpoint instead, see db/durable.ts), then the
      // connection is put back as the app set it.
      const db = floorCore.ctx.db;
      const sync = db.pragma('synchronous', { simple: true }) as number;
      db.pragma('synchronous = FULL');
      const flushed: number[] = [];
      for (let i = 0; i < (bench.quick ? 100 : 300); i++) {
        const t0 = performance.now();
        floor.answer(Rating.Good, 6000);
        flushed.push(performance.now() - t0);
        clock.advance(7000);
      }
      db.pragma(`synchronous = ${sync}`);
      const fl = summarize(flushed);

      const n = summarize(samples.next);
      const a = summarize(samples.answer);
      const nf = summarize(samples.nextFloor);
      const af = summarize(samples.answerFloor);
      const session = `${runs} answers in deck ${deckId} and its subdecks after ${warmup} warm-up; the queue ran dry ${emptyQueues} times (clock moved to the next learning card or day)`;
      const results: BenchResult[] = [
        measured({
          name: NEXT,
          unit: 'ms',
          value: n.p99,
          floor: nf.p99,
          budget: 1,
          note: `p99 of ${session}; p50 ${n.p50.toFixed(3)} ms, max ${n.max.toFixed(1)} ms; floor p50 ${nf.p50.toFixed(3)} ms`,
        }),
        measured({
          name: ANSWER,
          unit: 'ms',
          value: a.p99,
          floor: af.p99,
          budget: 2,
          ratioBudget: 2,
          note:
            `p99 of ${session}; p50 ${a.p50.toFixed(3)} ms, max ${a.max.toFixed(1)} ms; floor (answering ${floor.poolSize} cards of other decks) ` +
            `p50 ${af.p50.toFixed(3)} ms; the floor flushing each answer to disk (synchronous=FULL): p50 ${fl.p50.toFixed(3)} ms, p99 ${fl.p99.toFixed(3)} ms`,
        }),
      ];
      return results;
    } finally {
      floorCore.close();
      core.close();
    }
  },
};
