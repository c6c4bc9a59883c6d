// Timed attempts. Starting one draws the questions and stores each as it will be asked (a snapshot);
// every answer is its own committed row the moment it is given, so killing Cadence loses nothing that
// the page showed as saved, and reopening resumes the attempt with the clock where it is. The clock
// is the wall clock from the start, as in the real exams, which have no pause: time spent with Cadence
// closed counts. Submitting scores the newest answer of every question and stores the result and one
// outcome per question, flushed to disk before the score is shown (durableTransaction).
import type { Attempt, AttemptSummary, ExamFormat, ExamResult, QuestionKind, ReviewItem, Topic } from '../../../shared/contract/exams';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { durableTransaction } from '../db/durable';
import { drawQuestions, shuffle, type Random } from './draw';
import { CUSTOM_FORMAT } from './formats';
import { toQuestion } from './questions';
import { scoreAttempt } from './scoring';

/** Answers that left the page just before the deadline still count when they arrive this much later. */
export const DEADLINE_GRACE_MS = 3000;

/** A question as asked: options in the order shown, correct indexes into them. */
export interface Snapshot {
  kind: QuestionKind;
  stem: string;
  options: string[];
  correct: number[];
  explanation: string;
  source: { document: string; section: string; url: string | null };
  topics: string[];
}

interface AttemptRow {
  id: number;
  format_key: string;
  format_name: string;
  minutes: number;
  pass_mark: number;
  started_at: number;
  deadline_at: number;
  submitted: number;
}

interface ResultRow {
  attempt_id: number;
  format_key: string;
  format_name: string;
  minutes: number;
  pass_mark: number;
  submitted_at: number;
  reason: 'submitted' | 'time_up';
  correct: number;
  total: number;
  answered: number;
  score: number;
  passed: number;
  time_used_ms: number;
}

/** An attempt's result figures, as stored and as a synced attempt carries them (sync/docs.ts). */
export type ResultFigures = Pick<ResultRow, 'submitted_at' | 'reason' | 'correct' | 'total' | 'answered' | 'score' | 'passed' | 'time_used_ms'>;

export interface StartOptions {
  format: ExamFormat;
  questions: number;
  minutes: number;
  passMark: number;
  topics: string[];
  draw: 'all' | 'unmastered';
}

/** A question counts as mastered when its last two scored answers were both right. */
export const MASTERED_STREAK = 2;

export function makeAttempts(ctx: CoreContext, deps: { topicName: (id: string) => string; sourceUrl: (document: string) => string | null; random?: Random }) {
  const { db } = ctx;
  const random = deps.random ?? Math.random;
  const ATTEMPT = `SELECT a.id, a.format_key, a.format_name, a.minutes, a.pass_mark, a.started_at, a.deadline_at,
                          EXISTS (SELECT 1 FROM exam_results r WHERE r.attempt_id = a.id) AS submitted
                   FROM exam_attempts a`;
  const selectAttempt = db.prepare<[number], AttemptRow>(`${ATTEMPT} WHERE a.id = ?`);
  const selectRunning = db.prepare<[], AttemptRow>(`${ATTEMPT} WHERE NOT EXISTS (SELECT 1 FROM exam_results r WHERE r.attempt_id = a.id) ORDER BY a.id DESC LIMIT 1`);
  const selectRecent = db.prepare<[number], AttemptRow>(`${ATTEMPT} ORDER BY a.id DESC LIMIT ?`);
  const countQuestions = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM exam_attempt_questions WHERE attempt_id = ?');
  const selectSnapshots = db.prepare<[number], { position: number; question_id: number | null; topic: string; snapshot: string }>(
    'SELECT position, question_id, topic, snapshot FROM exam_attempt_questions WHERE attempt_id = ? ORDER BY position',
  );
  const selectShape = db.prepare<[number, number], { kind: QuestionKind; n: number }>(
    `SELECT json_extract(snapshot, '$.kind') AS kind, json_array_length(snapshot, '$.options') AS n
     FROM exam_attempt_questions WHERE attempt_id = ? AND position = ?`,
  );
  // The newest answer of each question (the index on (attempt_id, position, id) serves the max()).
  const selectAnswers = db.prepare<[number], { position: number; chosen: string | null; flagged: number }>(
    `SELECT position, chosen, flagged FROM exam_answers
     WHERE id IN (SELECT max(id) FROM exam_answers WHERE attempt_id = ? GROUP BY position)`,
  );
  const insertAttempt = db.prepare(
    'INSERT INTO exam_attempts (format_key, format_name, minutes, pass_mark, draw, certification_key, started_at, deadline_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertQuestion = db.prepare('INSERT INTO exam_attempt_questions (attempt_id, position, question_id, topic, snapshot) VALUES (?, ?, ?, ?, ?)');
  const insertAnswer = db.prepare('INSERT INTO exam_answers (attempt_id, position, chosen, flagged, at) VALUES (?, ?, ?, ?, ?)');
  const insertResult = db.prepare(
    `INSERT INTO exam_results (attempt_id, submitted_at, reason, correct, total, answered, score, passed, time_used_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertOutcome = db.prepare('INSERT INTO exam_outcomes (attempt_id, position, question_id, topic, correct, at) VALUES (?, ?, ?, ?, ?, ?)');
  const RESULT = `SELECT r.*, a.format_key, a.format_name, a.minutes, a.pass_mark FROM exam_results r JOIN exam_attempts a ON a.id = r.attempt_id`;
  const selectResult = db.prepare<[number], ResultRow>(`${RESULT} WHERE r.attempt_id = ?`);
  const selectTopicScores = db.prepare<[number], { topic: string; correct: number; total: number }>(
    'SELECT topic, sum(correct) AS correct, count(*) AS total FROM exam_outcomes WHERE attempt_id = ? GROUP BY topic ORDER BY min(position)',
  );
  const selectFlashcards = db.prepare<[number], { position: number; note_id: number }>(
    'SELECT f.position, f.note_id FROM exam_flashcards f JOIN notes n ON n.id = f.note_id WHERE f.attempt_id = ?',
  );
  const candidatesAll = db.prepare<[string, string], { id: number; topic: string }>(
    `SELECT id, topic FROM exam_questions WHERE bank IN (SELECT value FROM json_each(?)) AND topic IN (SELECT value FROM json_each(?))`,
  );
  // Unmastered: fewer than MASTERED_STREAK scored answers, or one of the last MASTERED_STREAK wrong.
  const candidatesUnmastered = db.prepare<[string, string], { id: number; topic: string }>(
    `SELECT q.id, q.topic FROM exam_questions q
     WHERE q.bank IN (SELECT value FROM json_each(?)) AND q.topic IN (SELECT value FROM json_each(?))
       AND (SELECT count(*) FROM (SELECT correct FROM exam_outcomes o WHERE o.question_id = q.id ORDER BY o.at DESC LIMIT ${MASTERED_STREAK}) WHERE correct = 1) < ${MASTERED_STREAK}`,
  );
  const selectQuestions = db.prepare<[string], Parameters<typeof toQuestion>[0]>(
    `SELECT id, guid, bank, kind, stem, options, correct, explanation, source_document, source_section, topics, created_at, updated_at
     FROM exam_questions WHERE id IN (SELECT value FROM json_each(?))`,
  );

  function requireAttempt(id: number): AttemptRow {
    const row = selectAttempt.get(id);
    if (!row) throw new AppError('not_found', 'That exam attempt does not exist. Start a new one from the Exams page.');
    return row;
  }

  function snapshotOf(q: ReturnType<typeof toQuestion>): Snapshot {
    // Options are shuffled for single and multiple choice (not true/false), so positions teach nothing.
    let options = q.options;
    let correct = q.correct;
    if (q.kind !== 'truefalse') {
      const order = shuffle(q.options.map((_, i) => i), random);
      options = order.map((i) => q.options[i]!);
      correct = order.flatMap((orig, shown) => (q.correct.includes(orig) ? [shown] : []));
    }
    return {
      kind: q.kind,
      stem: q.stem,
      options,
      correct,
      explanation: q.explanation,
      source: { ...q.source, url: deps.sourceUrl(q.source.document) },
      topics: q.topics,
    };
  }

  const insertAll = db.transaction((o: StartOptions, picked: ReturnType<typeof toQuestion>[], now: number): number => {
    const id = Number(insertAttempt.run(o.format.key, o.format.name, o.minutes, o.passMark, o.draw, o.format.certificationKey, now, now + o.minutes * 60_000).lastInsertRowid);
    picked.forEach((q, position) => insertQuestion.run(id, position, q.id, q.topics[0]!, JSON.stringify(snapshotOf(q))));
    return id;
  });

  function start(o: StartOptions): Attempt {
    const now = ctx.clock.now();
    const running = selectRunning.get();
    if (running) {
      if (now <= running.deadline_at + DEADLINE_GRACE_MS) {
        throw new AppError('conflict', `Your ${running.format_name} attempt is still running. Resume it and submit it before starting another.`);
      }
      submit(running.id); // its time ran out while Cadence was closed: it is scored as it stands
    }
    const weights = new Map(Object.entries(o.format.topicWeights).filter(([t]) => o.topics.includes(t)));
    const banks = JSON.stringify(o.format.banks);
    const topics = JSON.stringify([...weights.keys()]);
    const candidates = (o.draw === 'unmastered' ? candidatesUnmastered : candidatesAll).all(banks, topics);
    if (candidates.length === 0) {
      throw new AppError(
        'not_found',
        o.draw === 'unmastered'
          ? 'Every question on these topics is mastered (answered right twice in a row). Draw from all questions instead.'
          : 'There are no questions on these topics yet. Add some on the Questions page, or choose other topics.',
      );
    }
    const ids = drawQuestions(candidates, o.questions, weights, random);
    const byId = new Map(selectQuestions.all(JSON.stringify(ids)).map((r) => [r.id, toQuestion(r)]));
    const id = insertAll(o, ids.map((i) => byId.get(i)!), now);
    return get(id);
  }

  function latestAnswers(attemptId: number): Map<number, { chosen: number[] | null; flagged: boolean }> {
    return new Map(
      selectAnswers.all(attemptId).map((a) => [a.position, { chosen: a.chosen === null ? null : (JSON.parse(a.chosen) as number[]), flagged: a.flagged === 1 }]),
    );
  }

  function get(id: number): Attempt {
    const a = requireAttempt(id);
    const answers = latestAnswers(id);
    return {
      id: a.id,
      formatKey: a.format_key,
      formatName: a.format_name,
      passMark: a.pass_mark,
      minutes: a.minutes,
      startedAt: a.started_at,
      deadlineAt: a.deadline_at,
      now: ctx.clock.now(),
      submitted: a.submitted === 1,
      questions: selectSnapshots.all(id).map((row) => {
        const s = JSON.parse(row.snapshot) as Snapshot;
        const answer = answers.get(row.position);
        return {
          position: row.position,
          kind: s.kind,
          stem: s.stem,
          options: s.options,
          choose: s.correct.length,
          topic: deps.topicName(row.topic),
          chosen: answer?.chosen ?? null,
          flagged: answer?.flagged ?? false,
        };
      }),
    };
  }

  function answer(input: { attemptId: number; position: number; chosen: number[] | null; flagged: boolean }): { savedAt: number } {
    const now = ctx.clock.now();
    const a = requireAttempt(input.attemptId);
    if (a.submitted === 1) throw new AppError('conflict', 'This attempt has been submitted, so its answers can no longer change. Open its review instead.');
    if (now > a.deadline_at + DEADLINE_GRACE_MS) throw new AppError('conflict', 'Time is up for this attempt, so this answer was not saved. Submit it to see your score.');
    const shape = selectShape.get(input.attemptId, input.position);
    if (!shape) throw new AppError('invalid_input', `This attempt has no question ${input.position + 1}.`);
    const chosen = input.chosen === null ? null : [...new Set(input.chosen)].sort((x, y) => x - y);
    if (chosen?.some((i) => i >= shape.n)) throw new AppError('invalid_input', `Question ${input.position + 1} has only ${shape.n} options.`);
    if (chosen && shape.kind !== 'multiple' && chosen.length > 1) throw new AppError('invalid_input', `Question ${input.position + 1} takes one answer.`);
    insertAnswer.run(input.attemptId, input.position, chosen === null || chosen.length === 0 ? null : JSON.stringify(chosen), input.flagged ? 1 : 0, now);
    return { savedAt: now };
  }

  function result(attemptId: number): ExamResult {
    const r = selectResult.get(attemptId);
    if (!r) throw new AppError('conflict', 'This attempt has not been submitted yet. Submit it to see the score.');
    return {
      attemptId: r.attempt_id,
      formatKey: r.format_key,
      formatName: r.format_name,
      submittedAt: r.submitted_at,
      reason: r.reason,
      correct: r.correct,
      total: r.total,
      answered: r.answered,
      score: r.score,
      passMark: r.pass_mark,
      passed: r.passed === 1,
      timeUsedMs: r.time_used_ms,
      minutes: r.minutes,
      perTopic: selectTopicScores.all(attemptId).map((t) => ({ ...t, name: deps.topicName(t.topic) })),
    };
  }

  function submit(attemptId: number): ExamResult {
    const a = requireAttempt(attemptId);
    if (a.submitted === 1) return result(attemptId);
    const now = ctx.clock.now();
    const answers = latestAnswers(attemptId);
    const rows = selectSnapshots.all(attemptId);
    const snapshots = rows.map((r) => JSON.parse(r.snapshot) as Snapshot);
    const scored = scoreAttempt(
      rows.map((r, i) => ({ topic: r.topic, chosen: answers.get(r.position)?.chosen ?? null, correct: snapshots[i]!.correct })),
      a.pass_mark,
    );
    const timeUp = now > a.deadline_at;
    const timeUsed = Math.max(0, Math.min(now, a.deadline_at) - a.started_at);
    durableTransaction(db, () => {
      insertResult.run(attemptId, now, timeUp ? 'time_up' : 'submitted', scored.correct, scored.total, scored.answered, scored.score, scored.passed ? 1 : 0, timeUsed);
      rows.forEach((r, i) => insertOutcome.run(attemptId, r.position, r.question_id, r.topic, scored.outcomes[i] ? 1 : 0, now));
    });
    return result(attemptId);
  }

  function review(attemptId: number): { result: ExamResult; items: ReviewItem[] } {
    const res = result(attemptId);
    const answers = latestAnswers(attemptId);
    const cards = new Map(selectFlashcards.all(attemptId).map((f) => [f.position, f.note_id]));
    const items = selectSnapshots.all(attemptId).map((row): ReviewItem => {
      const s = JSON.parse(row.snapshot) as Snapshot;
      const answer = answers.get(row.position);
      const chosen = answer?.chosen ?? null;
      return {
        position: row.position,
        questionId: row.question_id,
        kind: s.kind,
        stem: s.stem,
        options: s.options,
        correct: s.correct,
        chosen,
        isCorrect: scoreAttempt([{ topic: row.topic, chosen, correct: s.correct }], 1).correct === 1,
        flagged: answer?.flagged ?? false,
        explanation: s.explanation,
        source: s.source,
        topic: row.topic,
        topicName: deps.topicName(row.topic),
        flashcardNoteId: cards.get(row.position) ?? null,
      };
    });
    return { result: res, items };
  }

  function summary(a: AttemptRow): AttemptSummary {
    return {
      id: a.id,
      formatKey: a.format_key,
      formatName: a.format_name,
      startedAt: a.started_at,
      deadlineAt: a.deadline_at,
      questions: countQuestions.get(a.id)!.n,
      result: a.submitted === 1 ? result(a.id) : null,
    };
  }

  function running(): AttemptSummary | null {
    const a = selectRunning.get();
    return a ? summary(a) : null;
  }

  function recent(limit: number): AttemptSummary[] {
    return selectRecent.all(limit).filter((a) => a.submitted === 1).map(summary);
  }

  /** The snapshot of one question of an attempt (for turning it into a flashcard). */
  function snapshot(attemptId: number, position: number): { snapshot: Snapshot; formatName: string; topic: string } {
    const a = requireAttempt(attemptId);
    const row = selectSnapshots.all(attemptId).find((r) => r.position === position);
    if (!row) throw new AppError('not_found', `This attempt has no question ${position + 1}.`);
    return { snapshot: JSON.parse(row.snapshot) as Snapshot, formatName: a.format_name, topic: row.topic };
  }

  return { start, get, answer, submit, review, result, running, recent, snapshot };
}
export type Attempts = ReturnType<typeof makeAttempts>;

/** Default settings of a start: the format's confirmed values, or the learner's where it has none. */
export function startSettings(
  format: ExamFormat,
  input: { questions?: number | undefined; minutes?: number | undefined; passMark?: number | undefined; topics?: string[] | undefined; draw: 'all' | 'unmastered' },
  knownTopics: readonly Topic[],
): StartOptions {
  const missing: string[] = [];
  const questions = input.questions ?? format.questions.value ?? (missing.push('the number of questions'), 0);
  const minutes = input.minutes ?? format.minutes.value ?? (missing.push('the time limit'), 0);
  const passMark = input.passMark ?? format.passMark.value ?? (missing.push('the pass mark'), 0);
  if (missing.length > 0) {
    const what = format.key === CUSTOM_FORMAT ? 'For custom practice, choose' : `${format.name}'s official ${missing.length > 1 ? 'values are' : 'value is'} not confirmed, so choose`;
    throw new AppError('invalid_input', `${what} ${missing.join(', ').replace(/, ([^,]*)$/, ' and $1')}.`);
  }
  const allowed = Object.keys(format.topicWeights);
  const topics = input.topics ?? allowed;
  const unknown = topics.filter((t) => !allowed.includes(t));
  if (unknown.length > 0) {
    const names = unknown.map((t) => knownTopics.find((k) => k.id === t)?.name ?? t);
    throw new AppError('invalid_input', `${format.name} does not cover ${names.join(', ')}. Choose among its topics.`);
  }
  return { format, questions, minutes, passMark, topics, draw: input.draw };
}
