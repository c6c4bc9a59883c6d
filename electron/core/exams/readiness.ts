// Readiness for one exam format: the trend of recent scores, the weakest topic over the last few
// attempts, and how well the flashcards on the format's topics are remembered now (FSRS probability of
// recall, the same curve as the rest of Cadence), ending in one suggestion for what to do next.
import type { ExamFormat, Readiness, Topic, TopicScore } from '../../../shared/contract/exams';
import type { CoreContext } from '../context';
import { likeEscape } from '../flashcards/tags';
import { recallSql } from '../flashcards/retrievability';

const TREND = 10;
const RECENT = 3;
const TOPIC_WINDOW = 5;
/** A topic needs this many questions in the window before it can be called the weakest. */
const MIN_TOPIC_QUESTIONS = 3;

export function makeReadiness(ctx: CoreContext, deps: { topics: () => readonly Topic[]; topicName: (id: string) => string }) {
  const { db } = ctx;
  const selectScores = db.prepare<[string, number], { attempt_id: number; submitted_at: number; score: number; passed: number }>(
    `SELECT r.attempt_id, r.submitted_at, r.score, r.passed FROM exam_results r JOIN exam_attempts a ON a.id = r.attempt_id
     WHERE a.format_key = ? ORDER BY r.submitted_at DESC, r.attempt_id DESC LIMIT ?`,
  );
  const countScored = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM exam_results r JOIN exam_attempts a ON a.id = r.attempt_id WHERE a.format_key = ?',
  );
  const selectTopics = db.prepare<[string], { topic: string; correct: number; total: number }>(
    'SELECT topic, sum(correct) AS correct, count(*) AS total FROM exam_outcomes WHERE attempt_id IN (SELECT value FROM json_each(?)) GROUP BY topic',
  );

  /** Linked cards, reviewed cards and their mean recall, for cards tagged with any of `tags` or below. */
  function recallOf(tags: readonly string[]): { cards: number; reviewed: number; recall: number | null } {
    if (tags.length === 0) return { cards: 0, reviewed: 0, recall: null };
    const conds = tags.map(() => "(n.tags LIKE ? ESCAPE '\\' OR n.tags LIKE ? ESCAPE '\\')").join(' OR ');
    const args = tags.flatMap((t) => [`% ${likeEscape(t)} %`, `% ${likeEscape(t)}::%`]);
    // Built per call: the number of tags varies by format (a handful); readiness is read, not hot.
    const row = db
      .prepare(
        `SELECT count(*) AS cards, count(c.last_review) AS reviewed, avg(${recallSql('c.stability', 'c.last_review', '?')}) AS recall
         FROM cards c JOIN notes n ON n.id = c.note_id WHERE c.suspended = 0 AND (${conds})`,
      )
      .get(ctx.clock.now(), ...args) as { cards: number; reviewed: number; recall: number | null };
    return row;
  }

  function get(format: ExamFormat): Readiness {
    const scores = selectScores.all(format.key, TREND);
    const recent = scores.slice(0, RECENT);
    const recentScore = recent.length ? recent.reduce((s, r) => s + r.score, 0) / recent.length : null;
    const window = scores.slice(0, TOPIC_WINDOW).map((s) => s.attempt_id);
    const topics: TopicScore[] = selectTopics
      .all(JSON.stringify(window))
      .map((t) => ({ ...t, name: deps.topicName(t.topic) }))
      .sort((a, b) => a.correct / a.total - b.correct / b.total || b.total - a.total);
    const weakestTopic = topics.find((t) => t.total >= MIN_TOPIC_QUESTIONS && t.correct < t.total) ?? null;
    const formatTopics = new Set(Object.keys(format.topicWeights));
    const tags = deps.topics().filter((t) => formatTopics.has(t.id)).flatMap((t) => t.cardTags);
    const recall = recallOf([...new Set(tags)]);
    const passMark = format.passMark.value;

    let suggestion: string;
    if (scores.length === 0) suggestion = `Take a first ${format.name} mock exam to see where you stand.`;
    else if (weakestTopic && (passMark === null || recentScore === null || recentScore < passMark)) {
      suggestion = `Next: a 20-question drill on ${weakestTopic.name} (${weakestTopic.correct} of ${weakestTopic.total} right lately), then its flashcards.`;
    } else if (passMark !== null && recentScore !== null && recentScore >= passMark) {
      suggestion = 'Your recent scores are above the pass mark: keep them there with one full mock exam a week.';
    } else suggestion = `Next: another full ${format.name} mock exam.`;

    return {
      formatKey: format.key,
      formatName: format.name,
      passMark,
      attempts: scores.length < TREND ? scores.length : countScored.get(format.key)!.n,
      recentScore,
      trend: scores
        .slice()
        .reverse()
        .map((s) => ({ attemptId: s.attempt_id, at: s.submitted_at, score: s.score, passed: s.passed === 1 })),
      topics,
      weakestTopic,
      cardRecall: recall.recall,
      linkedCards: recall.cards,
      reviewedCards: recall.reviewed,
      suggestion,
    };
  }

  return { get };
}
