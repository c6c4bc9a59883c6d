import { afterEach, describe, expect, it } from 'vitest';
import { addCard, addReview, addReviews, DAY, inTimeZone, type ReviewSpec } from './curriculum-fixtures';
import type { Stats } from '../../shared/contract/stats';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const HOUR = 3_600_000;

/** Reference definition: the study day starts at the rollover hour on the local clock. */
function localStudyDate(t: number, rolloverHour: number): string {
  const d = new Date(t);
  const day = d.getTime() >= new Date(d.getFullYear(), d.getMonth(), d.getDate(), rolloverHour).getTime() ? d.getDate() : d.getDate() - 1;
  const x = new Date(d.getFullYear(), d.getMonth(), day, 12);
  return `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`;
}

async function deck(name: string, parentId: number | null = null) {
  return (await core.call('decks.create', { name, parentId })).id;
}

describe('stats.get', () => {
  it('groups a year of answers by study day exactly as the study day is defined, across DST, in several zones', async () => {
    for (const tz of ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata']) {
      await inTimeZone(tz, async () => {
        core = await makeTestCore();
        core.clock.set('2026-11-05T12:00:00');
        const d = await deck('D');
        const card = addCard(core, { deckId: d, state: 2 });
        const now = core.clock.now();
        // Answers every 7h 13m over the past 366 days, so they land at every hour of the day, DST days included.
        const expected = new Map<string, number>();
        const reviews: ReviewSpec[] = [];
        for (let t = now - 366 * DAY; t <= now; t += 7 * HOUR + 13 * 60_000) {
          reviews.push({ cardId: card, at: t, rating: 3 });
          const date = localStudyDate(t, 4);
          expected.set(date, (expected.get(date) ?? 0) + 1);
        }
        addReviews(core, reviews);
        const stats = await core.call('stats.get');
        expect(stats.days).toHaveLength(365);
        expect(stats.today).toBe(localStudyDate(now, 4));
        expect(stats.days.at(-1)!.date).toBe(stats.today);
        for (const day of stats.days) expect(day.reviews, `${tz} ${day.date}`).toBe(expected.get(day.date) ?? 0);
        // Every date appears once, consecutively.
        expect(new Set(stats.days.map((x) => x.date)).size).toBe(365);
        core.close();
      });
    }
  });

  it('counts an answer after midnight but before the rollover hour for the evening before', async () => {
    await inTimeZone('Europe/Berlin', async () => {
      core = await makeTestCore();
      core.clock.set('2026-03-10T12:00:00');
      const card = addCard(core, { deckId: await deck('D'), state: 2 });
      addReview(core, { cardId: card, at: '2026-03-10T01:30:00', rating: 3, durationMs: 8000 });
      addReview(core, { cardId: card, at: '2026-03-10T04:30:00', rating: 3, durationMs: 2000 });
      const stats = await core.call('stats.get');
      const byDate = new Map(stats.days.map((x) => [x.date, x]));
      expect(byDate.get('2026-03-09')).toMatchObject({ reviews: 1, timeMs: 8000 });
      expect(byDate.get('2026-03-10')).toMatchObject({ reviews: 1, timeMs: 2000 });
      expect(stats.totals).toEqual({ reviews: 2, timeMs: 10_000, daysStudied: 2 });

      await core.call('settings.update', { dayRolloverHour: 0 });
      const midnight = await core.call('stats.get');
      expect(midnight.days.find((x) => x.date === '2026-03-10')?.reviews).toBe(2);
    });
  });

  it('measures true retention on the first answer of the day of cards in review, by week and month', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-20T12:00:00'); // a Friday
    const d = await deck('D');
    const a = addCard(core, { deckId: d, state: 2 });
    const b = addCard(core, { deckId: d, state: 2 });
    const c = addCard(core, { deckId: d, state: 1 });
    const before = new Date('2026-03-01T10:00:00').getTime();
    // Monday 16 March: a passes; b fails, then passes again later that day (only the first counts).
    addReview(core, { cardId: a, at: '2026-03-16T10:00:00', rating: 3, stateBefore: 2, lastReviewBefore: before });
    addReview(core, { cardId: b, at: '2026-03-16T10:00:00', rating: 1, stateBefore: 2, lastReviewBefore: before });
    const bFirst = new Date('2026-03-16T10:00:00').getTime();
    addReview(core, { cardId: b, at: '2026-03-16T10:10:00', rating: 3, stateBefore: 3, lastReviewBefore: bFirst });
    addReview(core, { cardId: b, at: '2026-03-16T18:00:00', rating: 3, stateBefore: 2, lastReviewBefore: bFirst + 600_000 });
    // Learning answers are not retention.
    addReview(core, { cardId: c, at: '2026-03-16T11:00:00', rating: 1, stateBefore: 1 });
    // February: one pass.
    addReview(core, { cardId: a, at: '2026-02-10T10:00:00', rating: 4, stateBefore: 2, lastReviewBefore: null });

    const { retention } = await core.call('stats.get');
    expect(retention.weeks).toHaveLength(52);
    expect(retention.weeks.at(-1)).toMatchObject({ start: '2026-03-16', passed: 1, total: 2, rate: 0.5 });
    expect(retention.weeks.at(-2)).toMatchObject({ start: '2026-03-09', total: 0, rate: null });
    expect(retention.months).toHaveLength(12);
    expect(retention.months.at(-1)).toMatchObject({ start: '2026-03-01', label: 'March 2026', passed: 1, total: 2 });
    expect(retention.months.at(-2)).toMatchObject({ start: '2026-02-01', passed: 1, total: 1, rate: 1 });
    expect(retention.year).toMatchObject({ passed: 2, total: 3 });
  });

  it('forecasts due cards for 30 days with overdue cards today, and builds memory histograms', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-10T12:00:00');
    const now = core.clock.now();
    const d = await deck('D');
    addCard(core, { deckId: d, state: 2, due: now - 5 * DAY, stability: 0.5, difficulty: 1.5, lastReview: now - 6 * DAY });
    addCard(core, { deckId: d, state: 2, due: now + 3 * DAY, stability: 40, difficulty: 9.8, lastReview: now - DAY });
    addCard(core, { deckId: d, state: 1, due: now + 10 * 60_000, stability: 1.2, difficulty: 5, lastReview: now });
    addCard(core, { deckId: d, state: 2, due: now + 3 * DAY, suspended: true, stability: 5000, difficulty: 3, lastReview: now });
    addCard(core, { deckId: d, state: 2, due: now + 60 * DAY, stability: 100, difficulty: 3, lastReview: now });
    addCard(core, { deckId: d }); // new: not in the forecast or histograms

    const stats = await core.call('stats.get');
    expect(stats.forecast).toHaveLength(30);
    expect(stats.forecast[0]).toEqual({ date: '2026-03-10', due: 2 });
    expect(stats.forecast[3]).toEqual({ date: '2026-03-13', due: 1 });
    expect(stats.forecast.reduce((s, f) => s + f.due, 0)).toBe(3);

    const stab = Object.fromEntries(stats.stability.filter((b) => b.cards > 0).map((b) => [b.label, b.cards]));
    expect(stab).toEqual({ '< 1 d': 1, '1 d – 2 d': 1, '30 d – 45 d': 1, '90 d – 120 d': 1, '3 y+': 1 });
    const diff = Object.fromEntries(stats.difficulty.filter((b) => b.cards > 0).map((b) => [b.label, b.cards]));
    expect(diff).toEqual({ '1–2': 1, '3–4': 2, '5–6': 1, '9–10': 1 });
    // The deck's histograms (counted another way) agree: all the cards are in it.
    const deckStats = await core.call('stats.get', { deckId: d });
    expect([deckStats.stability, deckStats.difficulty]).toEqual([stats.stability, stats.difficulty]);
  });

  it('counts answer buttons for learning, young and mature cards, over the month and the year', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-10T12:00:00');
    const card = addCard(core, { deckId: await deck('D'), state: 2 });
    addReview(core, { cardId: card, at: '2026-03-09T10:00:00', rating: 1, stateBefore: 0 });
    addReview(core, { cardId: card, at: '2026-03-09T10:01:00', rating: 3, stateBefore: 1 });
    addReview(core, { cardId: card, at: '2026-03-08T10:00:00', rating: 2, stateBefore: 2, scheduledDaysBefore: 5 });
    addReview(core, { cardId: card, at: '2026-03-07T10:00:00', rating: 4, stateBefore: 2, scheduledDaysBefore: 30 });
    addReview(core, { cardId: card, at: '2025-12-01T10:00:00', rating: 4, stateBefore: 2, scheduledDaysBefore: 30 });
    addReview(core, { cardId: card, at: '2025-12-01T10:00:00', rating: 0, stateBefore: 2 }); // manual: not an answer
    const { answerButtons } = await core.call('stats.get');
    expect(answerButtons.month).toEqual({ learning: [1, 0, 1, 0], young: [0, 1, 0, 0], mature: [0, 0, 0, 1] });
    expect(answerButtons.year.mature).toEqual([0, 0, 0, 2]);
  });

  it('limits everything to one deck tree when a deck is given', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-10T12:00:00');
    const now = core.clock.now();
    const parent = await deck('Parent');
    const child = await deck('Child', parent);
    const other = await deck('Other');
    for (const deckId of [parent, child, other]) {
      const card = addCard(core, { deckId, state: 2, due: now, stability: 3, difficulty: 5, lastReview: now - DAY });
      addReview(core, { cardId: card, at: now - HOUR, rating: 3 });
    }
    const whole = await core.call('stats.get', {});
    expect(whole.scope).toEqual({ deckId: null, deckPath: null });
    expect(whole.totals.reviews).toBe(3);
    const tree = await core.call('stats.get', { deckId: parent });
    expect(tree.scope).toEqual({ deckId: parent, deckPath: 'Parent' });
    expect(tree.totals.reviews).toBe(2);
    expect(tree.forecast[0]!.due).toBe(2);
    expect(tree.stability.reduce((s, b) => s + b.cards, 0)).toBe(2);
    const leaf = await core.call('stats.get', { deckId: child });
    expect(leaf.totals.reviews).toBe(1);
    expect((await core.fail('stats.get', { deckId: 999 })).code).toBe('not_found');
    expect((await core.fail('stats.get', { deckId: 'x' })).message).toBe('Deck id must be a number.');
  });

  it('keeps past days up to date when the review log changes behind them', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-10T12:00:00');
    const d = await deck('D');
    const keep = addCard(core, { deckId: d, state: 2 });
    const gone = addCard(core, { deckId: d, state: 2 });
    addReviews(core, [
      { cardId: keep, at: '2026-03-01T10:00:00', rating: 3 },
      { cardId: gone, at: '2026-03-01T11:00:00', rating: 1 },
      { cardId: gone, at: '2026-03-05T11:00:00', rating: 3 },
    ]);
    const count = (s: Stats, date: string) => s.days.find((x) => x.date === date)?.reviews;
    let s = await core.call('stats.get');
    expect([count(s, '2026-03-01'), count(s, '2026-03-05')]).toEqual([2, 1]);

    // An imported answer from the past, a deleted card's history, a later day and a new rollover hour.
    addReview(core, { cardId: keep, at: '2026-03-05T09:00:00', rating: 4 });
    core.ctx.db.prepare('DELETE FROM cards WHERE id = ?').run(gone);
    s = await core.call('stats.get');
    expect([count(s, '2026-03-01'), count(s, '2026-03-05')]).toEqual([1, 1]);
    expect(s.answerButtons.year.young).toEqual([0, 0, 1, 1]);

    core.clock.set('2026-03-11T12:00:00');
    await core.call('settings.update', { dayRolloverHour: 10 });
    s = await core.call('stats.get');
    expect([count(s, '2026-02-28'), count(s, '2026-03-01'), count(s, '2026-03-04'), count(s, '2026-03-05')]).toEqual([0, 1, 1, 0]); // 09:00 on the 5th now belongs to the 4th
    expect(s.days).toHaveLength(365);
    await inTimeZone('Asia/Tokyo', async () => {
      const tokyo = await core.call('stats.get');
      expect(tokyo.totals.reviews).toBe(2);
      expect(tokyo.days.at(-1)!.date).toBe(tokyo.today);
    });
  });

  it('answers with zeros for an empty collection', async () => {
    core = await makeTestCore();
    const stats = await core.call('stats.get');
    expect(stats.totals).toEqual({ reviews: 0, timeMs: 0, daysStudied: 0 });
    expect(stats.retention.year.rate).toBeNull();
    expect(stats.forecast.every((f) => f.due === 0)).toBe(true);
  });
});
