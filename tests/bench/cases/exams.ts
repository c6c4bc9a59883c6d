// exam.start_80q_ms and exam.answer_p99_ms on the heavy-user collection (the bundled question banks
// loaded into it on the first exam request, during warm-up):
//   start:  a PSM I mock exam, 80 questions drawn by topic weight, each stored as it will be asked;
//           floor: read 80 random question rows and insert the attempt and its 80 rows in one transaction.
//   answer: one answer of a running attempt, committed; floor: the same INSERT alone, committed.
// Each start is preceded (untimed) by submitting the previous attempt, as only one can run at a time.
// The floors run on their own copy of the collection, so their rows never disturb the attempts timed.
import type { Core } from '../../../electron/core/app';
import { NOW } from '../generate';
import { benchClock, call, missing, type Case } from '../harness';
import { summarize, timePaired } from '../measure';
import { makeRng } from '../rng';
import { measured, skipped, type BenchResult } from '../report';

const START = 'exam.start_80q_ms';
const ANSWER = 'exam.answer_p99_ms';
const START_BUDGET = 50;
const ANSWER_BUDGET = 5;

function makeFloor(core: Core) {
  const db = core.ctx.db;
  const pick = db.prepare('SELECT * FROM exam_questions ORDER BY random() LIMIT 80');
  const attempt = db.prepare("INSERT INTO exam_attempts (format_key, format_name, minutes, pass_mark, draw, started_at, deadline_at) VALUES ('floor', 'Floor', 60, 0.85, 'all', ?, ?)");
  const question = db.prepare('INSERT INTO exam_attempt_questions (attempt_id, position, question_id, topic, snapshot) VALUES (?, ?, ?, ?, ?)');
  const answer = db.prepare('INSERT INTO exam_answers (attempt_id, position, chosen, flagged, at) VALUES (?, ?, ?, 0, ?)');
  const start = db.transaction((now: number) => {
    const rows = pick.all() as { id: number; topic: string; stem: string; options: string; correct: string }[];
    const id = Number(attempt.run(now, now + 3_600_000).lastInsertRowid);
    rows.forEach((r, i) => question.run(id, i, r.id, r.topic, JSON.stringify({ stem: r.stem, options: r.options, correct: r.correct })));
    return id;
  });
  let floorAttempt = 0;
  return {
    start: (now: number) => (floorAttempt = start(now)),
    answer: (position: number, now: number) => answer.run(floorAttempt, position, JSON.stringify([position % 4]), now),
  };
}

export const examsCase: Case = {
  name: 'exams',
  produces: [
    { name: START, unit: 'ms', budget: START_BUDGET },
    { name: ANSWER, unit: 'ms', budget: ANSWER_BUDGET },
  ],
  async run(bench) {
    const clock = benchClock(NOW + 3_600_000);
    const core = await bench.open(bench.copy('exams'), clock);
    const floorCore = await bench.open(bench.copy('exams-floor'), clock);
    try {
      const why = missing(core, ['exams.start', 'exams.answer', 'exams.submit']);
      if (why) return [skipped(START, 'ms', START_BUDGET, why), skipped(ANSWER, 'ms', ANSWER_BUDGET, why)];
      await call(core, 'exams.overview'); // loads the bundled banks into this collection, as the first visit does
      const floor = makeFloor(floorCore);
      const results: BenchResult[] = [];

      // Starts: submit the previous attempt (untimed), then time the next start beside its floor.
      let running: number | null = null;
      const startRuns = bench.quick ? 30 : 100;
      const warmup = 5;
      const starts: number[] = [];
      const startFloors: number[] = [];
      for (let i = 0; i < warmup + startRuns; i++) {
        if (running !== null) await call(core, 'exams.submit', { attemptId: running });
        await new Promise<void>((resolve) => setImmediate(resolve));
        let t0 = performance.now();
        const attempt = await call(core, 'exams.start', { formatKey: 'psm-1' });
        const ms = performance.now() - t0;
        if (attempt.questions.length !== 80) throw new Error(`a PSM I attempt had ${attempt.questions.length} questions`);
        running = attempt.id;
        t0 = performance.now();
        floor.start(clock.now());
        const floorMs = performance.now() - t0;
        if (i >= warmup) {
          starts.push(ms);
          startFloors.push(floorMs);
        }
        clock.advance(60_000);
      }
      const s = summarize(starts);
      results.push(
        measured({
          name: START,
          unit: 'ms',
          value: s.p95,
          floor: summarize(startFloors).p95,
          budget: START_BUDGET,
          note: `p95 of ${starts.length} starts of an 80-question PSM I attempt; p50 ${s.p50.toFixed(2)} ms, floor p50 ${summarize(startFloors).p50.toFixed(2)} ms`,
        }),
      );

      // Answers: one running attempt, answered question after question, choices changed at times.
      const attempt = await call(core, 'exams.attempt', { id: running! });
      const rng = makeRng(17);
      const betweenRequests = () => new Promise<void>((resolve) => setImmediate(resolve));
      const answerRuns = bench.quick ? 300 : 1000;
      const [answers, answerFloors] = await timePaired(
        async (i) => {
          await betweenRequests();
          const q = attempt.questions[i % attempt.questions.length]!;
          const chosen = q.kind === 'multiple' ? [0, rng.int(1, q.options.length - 1)] : [rng.int(0, q.options.length - 1)];
          clock.advance(1500);
          await call(core, 'exams.answer', { attemptId: attempt.id, position: q.position, chosen, flagged: i % 17 === 0 });
        },
        (i) => floor.answer(i % 80, clock.now()),
        { runs: answerRuns, warmup: 50 },
      );
      const a = summarize(answers);
      results.push(
        measured({
          name: ANSWER,
          unit: 'ms',
          value: a.p99,
          floor: summarize(answerFloors).p99,
          budget: ANSWER_BUDGET,
          note: `p99 of ${answers.length} answers, each committed; p50 ${a.p50.toFixed(2)} ms, floor p50 ${summarize(answerFloors).p50.toFixed(2)} ms`,
        }),
      );
      return results;
    } finally {
      core.close();
      floorCore.close();
    }
  },
};
