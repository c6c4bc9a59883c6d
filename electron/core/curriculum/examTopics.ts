// Curriculum modules can link exam topics (exams/: the topics of the question banks). A module's
// mastery then includes how the learner did on those topics in mock exams lately: the share of right
// answers among the most recent scored answers on them.
import { AppError } from '../../../shared/errors';
import type { Db } from '../context';

/** How many of the latest scored answers on a module's topics its exam result is taken from. */
export const EXAM_WINDOW = 40;
/** Fewer scored answers than this say too little to count toward readiness. */
export const MIN_EXAM_ANSWERS = 5;

export interface ExamResult {
  topics: string[];
  correct: number;
  total: number;
  /** correct / total; null before any scored answer. */
  share: number | null;
}

export function makeExamTopicLinks(db: Db) {
  const selectTopics = db.prepare<[string], { module_id: number; topic: string }>(
    'SELECT module_id, topic FROM curriculum_exam_topics WHERE module_id IN (SELECT value FROM json_each(?)) ORDER BY topic',
  );
  const insert = db.prepare('INSERT OR IGNORE INTO curriculum_exam_topics (module_id, topic) VALUES (?, ?)');
  const remove = db.prepare('DELETE FROM curriculum_exam_topics WHERE module_id = ? AND topic = ?');
  const known = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM exam_questions WHERE topic = ?');
  const recent = db.prepare<[string], { correct: number; total: number }>(
    `SELECT total(correct) AS correct, count(*) AS total FROM
       (SELECT correct FROM exam_outcomes WHERE topic IN (SELECT value FROM json_each(?)) ORDER BY at DESC LIMIT ${EXAM_WINDOW})`,
  );

  function topicsFor(moduleIds: readonly number[]): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const r of selectTopics.all(JSON.stringify(moduleIds))) out.set(r.module_id, [...(out.get(r.module_id) ?? []), r.topic]);
    return out;
  }

  function link(moduleId: number, topic: string): void {
    if (known.get(topic)!.n === 0) throw new AppError('not_found', `No exam question has the topic "${topic}". Choose a topic from the list.`);
    insert.run(moduleId, topic);
  }

  function unlink(moduleId: number, topic: string): void {
    remove.run(moduleId, topic);
  }

  /** The module's exam result, or null when it links no exam topic. */
  function result(topics: readonly string[]): ExamResult | null {
    if (topics.length === 0) return null;
    const r = recent.get(JSON.stringify(topics))!;
    return { topics: [...topics], correct: r.correct, total: r.total, share: r.total > 0 ? r.correct / r.total : null };
  }

  return { topicsFor, link, unlink, result };
}
