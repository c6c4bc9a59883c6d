// Study time in the decks linked to a certification, per local calendar day, from the review log,
// plus the time of mock exams for it (an exam attempt remembers the certification its format leads
// to; the attempt counts on the day it was submitted). 1 hour of study = 1 unit (SEU/PDU) of
// independent learning, in steps of 0.25.
import type { Db } from '../context';
import { localDate } from './dates';

// Every time zone's offset is a multiple of 15 minutes, so 15-minute buckets map to whole local days.
const BUCKET_MS = 15 * 60 * 1000;
const statements = new WeakMap<Db, ReturnType<typeof prepare>>();
/**
 * Practice time of one scored attempt. One the learner submitted counts its time used. One whose clock
 * ran out counts only up to its last answer: its exam clock also ran while Cadence was closed or the
 * learner was away, and that is not study time (an attempt never answered counts nothing).
 */
const PRACTICE_MS = `CASE WHEN x.reason = 'time_up'
  THEN max(0, min(coalesce((SELECT max(e.at) FROM exam_answers e WHERE e.attempt_id = a.id), a.started_at), a.deadline_at) - a.started_at)
  ELSE x.time_used_ms END`;
/** Scored mock exams for the certification (by id) submitted in [from, until). */
const EXAM_PRACTICE = `FROM exam_results x JOIN exam_attempts a ON a.id = x.attempt_id
  WHERE a.certification_key = (SELECT catalog_id FROM certifications WHERE id = ?) AND x.submitted_at >= ? AND x.submitted_at < ?`;
const examStatements = new WeakMap<Db, ReturnType<typeof prepareExam>>();

function prepareExam(db: Db) {
  return db.prepare<[number, number, number], { ms: number }>(`SELECT total(${PRACTICE_MS}) AS ms ${EXAM_PRACTICE}`);
}

/** Milliseconds of mock exams for the certification in [from, until): whether study time includes exam practice. */
export function examPracticeMs(db: Db, certificationId: number, from: number, until: number): number {
  let stmt = examStatements.get(db);
  if (!stmt) {
    stmt = prepareExam(db);
    examStatements.set(db, stmt);
  }
  return stmt.get(certificationId, from, until)!.ms;
}

function prepare(db: Db) {
  return db.prepare<[number, number, number, number, number, number], { bucket: number; ms: number }>(
    `WITH RECURSIVE tree(id) AS (
       SELECT deck_id FROM certification_decks WHERE certification_id = ?
       UNION SELECT d.id FROM decks d JOIN tree t ON d.parent_id = t.id
     )
     SELECT bucket, sum(ms) AS ms FROM (
       SELECT r.reviewed_at / ${BUCKET_MS} AS bucket, r.duration_ms AS ms
       FROM revlog r JOIN cards c ON c.id = r.card_id
       WHERE c.deck_id IN (SELECT id FROM tree) AND r.reviewed_at >= ? AND r.reviewed_at < ?
       UNION ALL
       SELECT x.submitted_at / ${BUCKET_MS}, ${PRACTICE_MS} ${EXAM_PRACTICE}
     )
     GROUP BY bucket`,
  );
}

/** Units per local day studied in [from, until), oldest first; days under a quarter hour are left out. */
export function studyDays(db: Db, certificationId: number, from: number, until: number): { date: string; units: number }[] {
  let stmt = statements.get(db);
  if (!stmt) {
    stmt = prepare(db);
    statements.set(db, stmt);
  }
  const perDay = new Map<string, number>();
  for (const { bucket, ms } of stmt.all(certificationId, from, until, certificationId, from, until)) {
    const date = localDate(bucket * BUCKET_MS);
    perDay.set(date, (perDay.get(date) ?? 0) + ms);
  }
  return [...perDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, ms]) => ({ date, units: Math.min(24, Math.round((ms / 3_600_000) * 4) / 4) }))
    .filter((d) => d.units > 0);
}
