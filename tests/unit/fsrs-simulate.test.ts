// The simulator's memory model is ts-fsrs's FSRS-6 (same formulas, without ts-fsrs's rounding), and a
// simulated year behaves as a learner would expect.
import { describe, expect, it } from 'vitest';
import { default_w, FSRSAlgorithm, generatorParameters, type Grade } from 'ts-fsrs';
import { MemoryModel, simulateStudy } from '../../electron/core/fsrs/simulate';
import { seeded, TRUE_PARAMS } from './fsrs-fixtures';

describe('FSRS simulation', () => {
  it('computes memory exactly as ts-fsrs does', () => {
    const random = seeded(3);
    for (const w of [[...default_w], TRUE_PARAMS]) {
      for (const retention of [0.7, 0.85, 0.97]) {
        const ts = new FSRSAlgorithm(generatorParameters({ w, request_retention: retention, maximum_interval: 3650, enable_fuzz: false }));
        const m = new MemoryModel(w, retention, 3650);
        for (let i = 0; i < 500; i++) {
          const s = 0.05 + random() * 400;
          const d = 1 + random() * 9;
          const t = Math.floor(random() * 200);
          const g = (1 + Math.floor(random() * 4)) as Grade;
          const pass = (2 + Math.floor(random() * 3)) as Grade;
          const r = ts.forgetting_curve(t, s);
          expect(m.recall(t, s)).toBeCloseTo(r, 6);
          expect(m.interval(s)).toBe(ts.next_interval(s, t));
          expect(m.initStability(g)).toBeCloseTo(ts.init_stability(g), 6);
          expect(m.initDifficulty(g)).toBeCloseTo(ts.init_difficulty(g), 6);
          expect(m.nextDifficulty(d, g)).toBeCloseTo(ts.next_difficulty(d, g), 6);
          expect(m.recallStability(d, s, r, pass)).toBeCloseTo(ts.next_recall_stability(d, s, r, pass), 4);
          expect(m.forgetStability(d, s, r)).toBeCloseTo(ts.next_state({ difficulty: d, stability: s }, Math.max(1, t), 1, r).stability, 4);
          expect(m.shortTermStability(s, g)).toBeCloseTo(ts.next_short_term_stability(s, g), 4);
        }
      }
    }
  });

  it('studies new cards at the daily limit and costs more reviews at a higher retention', () => {
    const run = (retention: number, reviewsPerDay = 9999) =>
      simulateStudy(
        {
          days: 100,
          newPerDay: 10,
          reviewsPerDay,
          learningSteps: 2,
          relearningSteps: 1,
          stability: new Float64Array(),
          difficulty: new Float64Array(),
          lastDay: new Float64Array(),
          dueDay: new Float64Array(),
          newCards: 500,
          firstRatings: [0.2, 0.1, 0.6, 0.1],
          passRatings: [0.1, 0.8, 0.1],
          seed: 1,
        },
        new MemoryModel(default_w, retention, 36500),
      );
    const low = run(0.8);
    const high = run(0.95);
    expect(high.totalReviews).toBeGreaterThan(low.totalReviews);
    expect(high.remembered).toBeGreaterThan(low.remembered);
    // 10 new a day for 100 days: all 500 introduced by day 50, and none remembered beyond them.
    expect(high.remembered).toBeLessThanOrEqual(500);
    expect(high.remembered).toBeGreaterThan(400);
    // The review limit counts cards (new and due) a day; each answers at most 1 + its learning steps.
    const limited = run(0.95, 20);
    expect(limited.totalReviews).toBeLessThan(high.totalReviews);
    expect(limited.totalReviews).toBeLessThanOrEqual(20 * 100 * 3);
    expect(run(0.95)).toEqual(high);
  });
});
