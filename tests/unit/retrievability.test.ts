import Database from 'better-sqlite3';
import { forgetting_curve, FSRS6_DEFAULT_DECAY } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { recallSql, retrievability } from '../../electron/core/flashcards/retrievability';

const DAY = 86_400_000;

describe('retrievability', () => {
  it('is 90% after exactly one stability of elapsed time, as FSRS defines stability', () => {
    expect(retrievability(10, 0, 10 * DAY)).toBeCloseTo(0.9, 6);
    expect(retrievability(10, 0, 0)).toBe(1);
    expect(retrievability(10, null, 5 * DAY)).toBeNull();
    expect(retrievability(0, 0, 5 * DAY)).toBeNull();
  });

  it('computes the same value in SQL as ts-fsrs does', () => {
    const db = new Database(':memory:');
    const query = db.prepare(`SELECT ${recallSql('@s', '@lr', '@now')} AS r`);
    for (const [s, days] of [
      [0.5, 0],
      [0.5, 3],
      [2.3, 1.5],
      [40, 100],
      [365, 3650],
    ] as const) {
      const now = 1_700_000_000_000;
      const { r } = query.get({ s, lr: now - days * DAY, now }) as { r: number };
      expect(r).toBeCloseTo(forgetting_curve(FSRS6_DEFAULT_DECAY, days, s), 7);
    }
    expect((query.get({ s: 3, lr: null, now: 0 }) as { r: number | null }).r).toBeNull();
    db.close();
  });
});
