// Scoring, as the real exams score: a question counts only when the set chosen is exactly the set of
// correct options (all-or-nothing for multiple select: one right of two earns nothing, and choosing
// an extra option loses the question). Unanswered questions count as wrong. Per-topic scores use
// each question's primary topic.

/** Exactly the correct set, in any order. */
export function isCorrect(chosen: readonly number[] | null, correct: readonly number[]): boolean {
  if (chosen === null || chosen.length !== correct.length) return false;
  const want = new Set(correct);
  return new Set(chosen).size === chosen.length && chosen.every((i) => want.has(i));
}

export interface Scored {
  topic: string;
  chosen: readonly number[] | null;
  correct: readonly number[];
}

export interface Score {
  correct: number;
  total: number;
  answered: number;
  /** correct / total, 0 when there is nothing to score. */
  score: number;
  passed: boolean;
  /** In order of first appearance. */
  perTopic: { topic: string; correct: number; total: number }[];
  outcomes: boolean[];
}

export function scoreAttempt(items: readonly Scored[], passMark: number): Score {
  const perTopic = new Map<string, { topic: string; correct: number; total: number }>();
  let correct = 0;
  let answered = 0;
  const outcomes = items.map((item) => {
    const ok = isCorrect(item.chosen, item.correct);
    if (ok) correct++;
    if (item.chosen !== null && item.chosen.length > 0) answered++;
    const t = perTopic.get(item.topic) ?? { topic: item.topic, correct: 0, total: 0 };
    t.total++;
    if (ok) t.correct++;
    perTopic.set(item.topic, t);
    return ok;
  });
  const total = items.length;
  const score = total === 0 ? 0 : correct / total;
  // Compared in whole questions, so 68 of 80 at 85 % passes (68 / 80 is 0.85 exactly; floats may say 0.8499…).
  const passed = total > 0 && correct >= Math.ceil(passMark * total - 1e-9);
  return { correct, total, answered, score, passed, perTopic: [...perTopic.values()], outcomes };
}
