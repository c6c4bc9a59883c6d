// Finished mock-exam attempts <-> sync documents (the rules are in docs.ts). An attempt is append-only
// here as on disk: one document, written once it is scored, with the questions as they were asked, every
// answer, the result and each question's outcome. It is named by what it is (its format and the moment it
// started), so a copied collection sends the same attempt under the same id, and it is never deleted.
import type { Db } from '../context';
import { docIdFor, type ExamDoc } from './docs';
import type { SyncIds } from './certRecords';
import type { OutboxRow } from './store';

type AttemptFields = 'formatKey' | 'formatName' | 'minutes' | 'passMark' | 'draw' | 'certificationKey' | 'startedAt' | 'deadlineAt';

export function makeExamRecords(db: Db, ids: SyncIds) {
  // Read under the document's names, so the attempt goes into its document as it is.
  const selectAttempt = db.prepare<[number], Pick<ExamDoc, AttemptFields> & { id: number }>(
    `SELECT id, format_key AS formatKey, format_name AS formatName, minutes, pass_mark AS passMark, draw,
            certification_key AS certificationKey, started_at AS startedAt, deadline_at AS deadlineAt
       FROM exam_attempts WHERE id = ?`,
  );
  const selectSame = db.prepare<[string, number], { id: number }>('SELECT id FROM exam_attempts WHERE format_key = ? AND started_at = ?');
  const selectQuestions = db.prepare<[number], { position: number; guid: string | null; topic: string; snapshot: string }>(
    `SELECT a.position, q.guid, a.topic, a.snapshot FROM exam_attempt_questions a LEFT JOIN exam_questions q ON q.id = a.question_id
      WHERE a.attempt_id = ? ORDER BY a.position`,
  );
  const selectAnswers = db.prepare<[number], { position: number; chosen: string | null; flagged: number; at: number }>(
    'SELECT position, chosen, flagged, at FROM exam_answers WHERE attempt_id = ? ORDER BY id',
  );
  const selectResult = db.prepare<[number], ExamDoc['result'] & { attempt_id: number }>(
    'SELECT * FROM exam_results WHERE attempt_id = ?',
  );
  const selectOutcomes = db.prepare<[number], { position: number; topic: string; correct: number; at: number }>(
    'SELECT position, topic, correct, at FROM exam_outcomes WHERE attempt_id = ? ORDER BY position',
  );
  const questionByGuid = db.prepare<[string], number>('SELECT id FROM exam_questions WHERE guid = ?').pluck();
  const insertAttempt = db.prepare(
    `INSERT INTO exam_attempts (format_key, format_name, minutes, pass_mark, draw, certification_key, started_at, deadline_at)
     VALUES (@formatKey, @formatName, @minutes, @passMark, @draw, @certificationKey, @startedAt, @deadlineAt)`,
  );
  const insertQuestion = db.prepare('INSERT INTO exam_attempt_questions (attempt_id, position, question_id, topic, snapshot) VALUES (?, ?, ?, ?, ?)');
  const insertAnswer = db.prepare('INSERT INTO exam_answers (attempt_id, position, chosen, flagged, at) VALUES (?, ?, ?, ?, ?)');
  const insertResult = db.prepare(
    `INSERT INTO exam_results (attempt_id, submitted_at, reason, correct, total, answered, score, passed, time_used_ms)
     VALUES (@attempt, @submitted_at, @reason, @correct, @total, @answered, @score, @passed, @time_used_ms)`,
  );
  const insertOutcome = db.prepare('INSERT INTO exam_outcomes (attempt_id, position, question_id, topic, correct, at) VALUES (?, ?, ?, ?, ?, ?)');

  function examDoc(row: OutboxRow, device: string): { docId: string; body: ExamDoc } | null {
    const attempt = selectAttempt.get(row.local_id);
    const result = attempt && selectResult.get(attempt.id);
    if (!attempt || !result) return null; // not finished: an attempt travels once it is scored
    const { attempt_id: _a, ...scored } = result;
    void _a;
    const questions = selectQuestions.all(attempt.id);
    const docId = docIdFor('exam', `${attempt.formatKey}:${attempt.startedAt}`);
    ids.register(docId, 'exam', attempt.id);
    const { id: _id, ...fields } = attempt;
    void _id;
    const body: ExamDoc = {
      type: 'exam',
      ...fields,
      questions: questions.map((q) => ({ position: q.position, question: q.guid, topic: q.topic, snapshot: q.snapshot })),
      answers: selectAnswers.all(attempt.id).map((a) => ({ position: a.position, chosen: a.chosen, flagged: a.flagged === 1, at: a.at })),
      result: scored,
      outcomes: selectOutcomes.all(attempt.id).map((o) => ({ position: o.position, topic: o.topic, correct: o.correct === 1, at: o.at })),
      editedAt: row.changed_at,
      device,
    };
    return { docId, body };
  }

  /** An attempt made elsewhere, written here as it was; one already here stays as it is (attempts never change). */
  function applyExam(docId: string, body: ExamDoc): void {
    if (body.deleted || selectSame.get(body.formatKey, body.startedAt)) return;
    const id = Number(insertAttempt.run(body).lastInsertRowid);
    const questionIds = new Map<number, number | null>();
    for (const q of body.questions) {
      // The question as this collection knows it (the same bank question has the same GUID everywhere); the snapshot is what was asked.
      const questionId = q.question === null ? null : (questionByGuid.get(q.question) ?? null);
      questionIds.set(q.position, questionId);
      insertQuestion.run(id, q.position, questionId, q.topic, q.snapshot);
    }
    for (const a of body.answers) insertAnswer.run(id, a.position, a.chosen, a.flagged ? 1 : 0, a.at);
    insertResult.run({ ...body.result, attempt: id });
    for (const o of body.outcomes) insertOutcome.run(id, o.position, questionIds.get(o.position) ?? null, o.topic, o.correct ? 1 : 0, o.at);
    ids.register(docId, 'exam', id);
  }

  return { examDoc, applyExam };
}
