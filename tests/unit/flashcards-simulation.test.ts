// Thirty simulated days of study on a deck with a subdeck, checked against ts-fsrs run independently on
// the same ratings and times: every card's schedule, the order cards come in, the daily limits (with a
// tighter subdeck limit), the day rollover at 04:00 (late-night sessions count for the day before), and
// undo restoring the exact previous state.
import { addDays, format, subHours } from 'date-fns';
import { createEmptyCard, fsrs, generatorParameters, type Card, type FSRS, type Grade } from 'ts-fsrs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { intervalLabel } from '../../electron/core/flashcards/intervalLabel';
import { makeTestCore, type TestCore } from './testCore';
import type { SchedulingRow } from '../../electron/core/flashcards/scheduler';

beforeAll(() => {
  // A zone with a daylight-saving change inside the 30 days (29 March 2026).
  process.env.TZ = 'Europe/Berlin';
});

let core: TestCore;
afterEach(() => core?.close());

const ROLLOVER = 4;
const LEARN_AHEAD = 20 * 60_000;
// New cards in the order they were added, reviews deck by deck and by due time: an order the model
// below can follow exactly (the random orders are tested on their own).
const SIM = { newPerDay: 5, reviewsPerDay: 10, newGatherOrder: 'ascending', newSortOrder: 'gathered', reviewSortOrder: 'deck_due' } as const;
const SUB = { newPerDay: 2, reviewsPerDay: 3 };

/** A card row: its scheduling columns and the rest this test reads. */
interface CardRow extends SchedulingRow {
  id: number;
  deck_id: number;
  new_position: number;
}

const studyDate = (t: number) => format(subHours(t, ROLLOVER), 'yyyy-MM-dd');
const dayEnd = (t: number) => {
  const d = subHours(t, ROLLOVER);
  const next = addDays(new Date(d.getFullYear(), d.getMonth(), d.getDate()), 1);
  return new Date(next.getFullYear(), next.getMonth(), next.getDate(), ROLLOVER).getTime();
};

/** What the card row must equal, from the model card. */
const expectedRow = (c: Card) => ({
  state: c.state,
  due: c.due.getTime(),
  stability: c.stability,
  difficulty: c.difficulty,
  scheduled_days: c.scheduled_days,
  learning_steps: c.learning_steps,
  reps: c.reps,
  lapses: c.lapses,
  last_review: c.last_review ? c.last_review.getTime() : null,
});

describe('30 simulated days of study', () => {
  it('matches ts-fsrs day by day, keeps the limits and the rollover, and undoes exactly', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-02T09:00:00');
    const db = core.ctx.db;
    const sim = await core.call('decks.create', { name: 'Sim' });
    const sub = await core.call('decks.create', { name: 'Sub', parentId: sim.id });
    const simPreset = await core.call('presets.create', { name: 'Sim' });
    await core.call('presets.update', { id: simPreset.id, ...SIM });
    const subPreset = await core.call('presets.create', { name: 'Sub', copyFromId: simPreset.id });
    await core.call('presets.update', { id: subPreset.id, ...SUB });
    await core.call('decks.setPreset', { id: sim.id, presetId: simPreset.id });
    await core.call('decks.setPreset', { id: sub.id, presetId: subPreset.id });
    for (let i = 0; i < 40; i++) await core.call('notes.create', { noteTypeId: 1, deckId: sim.id, fields: [`Sim question ${i}`, `answer ${i}`] });
    for (let i = 0; i < 10; i++) await core.call('notes.create', { noteTypeId: 1, deckId: sub.id, fields: [`Sub question ${i}`, `answer ${i}`] });

    // The model: ts-fsrs on its own, with the preset's settings, fed the same ratings at the same times.
    const preset = await core.call('presets.get', { id: simPreset.id });
    const f: FSRS = fsrs(
      generatorParameters({
        enable_fuzz: true,
        enable_short_term: true,
        request_retention: preset.desiredRetention,
        maximum_interval: preset.maximumInterval,
        learning_steps: ['1m', '10m'],
        relearning_steps: ['10m'],
      }),
    );
    const rows = () => db.prepare('SELECT * FROM cards ORDER BY id').all() as CardRow[];
    const model = new Map<number, { card: Card; deck: number; position: number }>();
    for (const r of rows()) model.set(r.id, { card: createEmptyCard(new Date(r.due)), deck: r.deck_id, position: r.new_position });

    // Answers per study day and deck, counted by the test itself.
    const studied = new Map<string, { new: number; review: number }>();
    const tally = (day: string, deck: number) => {
      const key = `${day}/${deck}`;
      const t = studied.get(key) ?? { new: 0, review: 0 };
      studied.set(key, t);
      return t;
    };

    /** The limits of the tree: Sim's own cards come first, then Sub's, both within Sim's limit. */
    const allowed = (kind: 'new' | 'review', now: number) => {
      const day = studyDate(now);
      const end = dayEnd(now);
      const avail = (deck: number) =>
        [...model.values()].filter((m) => m.deck === deck && (kind === 'new' ? m.card.state === 0 : m.card.state === 2 && m.card.due.getTime() < end)).length;
      const simRoom = Math.max(0, SIM[kind === 'new' ? 'newPerDay' : 'reviewsPerDay'] - tally(day, sim.id)[kind] - tally(day, sub.id)[kind]);
      const subRoom = Math.max(0, SUB[kind === 'new' ? 'newPerDay' : 'reviewsPerDay'] - tally(day, sub.id)[kind]);
      const simTake = Math.min(avail(sim.id), simRoom);
      const subTake = Math.min(avail(sub.id), subRoom, simRoom - simTake);
      return { [sim.id]: simTake, [sub.id]: subTake } as Record<number, number>;
    };

    /**
     * The card the queue rules say comes next, and the counts left. The card answered last today is
     * shown again only when no other card can be.
     */
    const expectedNext = (now: number, avoid: number | null) => {
      const all = [...model.entries()];
      const learning = (cutoff: number) =>
        all
          .filter(([, m]) => (m.card.state === 1 || m.card.state === 3) && m.card.due.getTime() <= cutoff)
          .sort(([ia, a], [ib, b]) => a.card.due.getTime() - b.card.due.getTime() || ia - ib);
      const reviewRoom = allowed('review', now);
      const newRoom = allowed('new', now);
      const deckOrder = (m: { deck: number }) => (m.deck === sim.id ? 0 : 1);
      const reviews = all
        .filter(([, m]) => m.card.state === 2 && m.card.due.getTime() < dayEnd(now) && reviewRoom[m.deck]! > 0)
        .sort(([ia, a], [ib, b]) => deckOrder(a) - deckOrder(b) || a.card.due.getTime() - b.card.due.getTime() || ia - ib);
      const news = all.filter(([, m]) => m.card.state === 0 && newRoom[m.deck]! > 0).sort(([ia, a], [ib, b]) => a.position - b.position || ia - ib);
      const first = (list: [number, unknown][], skip: number | null) => list.find(([id]) => id !== skip)?.[0];
      const pick = (skip: number | null) =>
        first(learning(now), skip) ?? first(reviews, skip) ?? first(news, skip) ?? first(learning(now + LEARN_AHEAD), skip) ?? null;
      const id = pick(avoid) ?? pick(null);
      return {
        id,
        counts: {
          new: newRoom[sim.id]! + newRoom[sub.id]!,
          learning: learning(now + LEARN_AHEAD).length,
          review: reviewRoom[sim.id]! + reviewRoom[sub.id]!,
        },
      };
    };
    /** The card answered last, and the study day it was answered on. */
    let last: { id: number; day: string } | null = null;

    let seed = 42;
    const rating = (): Grade => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const r = seed / 2 ** 31;
      return (r < 0.15 ? 1 : r < 0.27 ? 2 : r < 0.85 ? 3 : 4) as Grade;
    };

    const cardRow = (id: number) => db.prepare('SELECT * FROM cards WHERE id = ?').get(id);
    const revlogRows = () => db.prepare('SELECT * FROM revlog ORDER BY id').all();
    let answers = 0;
    let undos = 0;
    // The card each call said would follow (shown at once on the next rating key), and how often it held.
    let upcoming: { id: number; until: number; then: { id: number; until: number } | null } | null = null;
    let upcomingHeld = 0;
    let thenHeld = 0;
    const perDay: string[] = [];

    const session = async () => {
      for (;;) {
        const now = core.clock.now();
        const next = await core.call('study.next', { deckId: sim.id });
        const expected = expectedNext(now, last && last.day === studyDate(now) ? last.id : null);
        expect(next.counts).toEqual(expected.counts);
        expect(next.card?.id ?? null).toBe(expected.id);
        if (upcoming && now < upcoming.until) {
          expect(next.card?.id).toBe(upcoming.id);
          upcomingHeld++;
        } else if (upcoming?.then && now < upcoming.then.until) {
          // The learning card that came due meanwhile, announced as the one to show instead.
          expect(next.card?.id).toBe(upcoming.then.id);
          thenHeld++;
        }
        upcoming = next.upcoming && {
          id: next.upcoming.card.id,
          until: next.upcoming.until,
          then: next.upcoming.then && { id: next.upcoming.then.card.id, until: next.upcoming.then.until },
        };
        if (!next.card) return;
        const id = next.card.id;
        const m = model.get(id)!;
        // The buttons show what ts-fsrs would schedule for each rating.
        const preview = f.repeat(m.card, new Date(now));
        expect(next.card.intervals).toEqual([1, 2, 3, 4].map((g) => intervalLabel(preview[g as Grade].card.due.getTime() - now)));

        const g = rating();
        if (answers % 7 === 3) {
          // Answer, undo, and check that the card and the review log are exactly as before.
          const before = { card: cardRow(id), log: revlogRows() };
          await core.call('study.answer', { cardId: id, rating: g, durationMs: 5000 });
          expect(cardRow(id)).not.toEqual(before.card);
          const undone = await core.call('study.undo');
          expect(undone).toEqual({ kind: 'answer', cardId: id, deckId: m.deck });
          expect({ card: cardRow(id), log: revlogRows() }).toEqual(before);
          undos++;
        }
        const stateBefore = m.card.state;
        await core.call('study.answer', { cardId: id, rating: g, durationMs: 5000 });
        m.card = f.next(m.card, new Date(now), g).card;
        last = { id, day: studyDate(now) };
        const day = studyDate(now);
        if (stateBefore === 0) tally(day, m.deck).new++;
        if (stateBefore === 2) tally(day, m.deck).review++;
        expect(db.prepare('SELECT state, due, stability, difficulty, scheduled_days, learning_steps, reps, lapses, last_review FROM cards WHERE id = ?').get(id)).toEqual(
          expectedRow(m.card),
        );
        answers++;
        core.clock.advance(8_000);
      }
    };

    const start = new Date('2026-03-02T09:00:00');
    for (let d = 0; d < 30; d++) {
      const morning = addDays(start, d);
      core.clock.set(morning);
      await session();
      // Every few days a late session after midnight still belongs to the same study day.
      if (d % 3 === 1) {
        core.clock.set(new Date(morning.getFullYear(), morning.getMonth(), morning.getDate() + 1, 1, 30));
        expect(studyDate(core.clock.now())).toBe(studyDate(morning.getTime()));
        await session();
      }
      // End of the day: every card's state and due date equal the model's.
      const byId = new Map(rows().map((r) => [r.id, r]));
      for (const [id, m] of model) {
        const r = byId.get(id)!;
        expect([id, r.state, r.due]).toEqual([id, m.card.state, m.card.due.getTime()]);
      }
      const day = studyDate(morning.getTime());
      const simDay = tally(day, sim.id);
      const subDay = tally(day, sub.id);
      expect(simDay.new + subDay.new).toBeLessThanOrEqual(SIM.newPerDay);
      expect(subDay.new).toBeLessThanOrEqual(SUB.newPerDay);
      expect(simDay.review + subDay.review).toBeLessThanOrEqual(SIM.reviewsPerDay);
      expect(subDay.review).toBeLessThanOrEqual(SUB.reviewsPerDay);
      perDay.push(`${day}: new ${simDay.new}+${subDay.new}, reviews ${simDay.review}+${subDay.review}`);
    }

    // The simulation exercised what it claims to: limits were reached, reviews happened, undo ran.
    const totals = [...studied.values()].reduce((a, t) => ({ new: a.new + t.new, review: a.review + t.review }), { new: 0, review: 0 });
    expect(totals.new).toBe(50);
    expect(totals.review).toBeGreaterThan(100);
    const reviewDays = perDay.map((line) => /reviews (\d+)\+(\d+)/.exec(line)!.slice(1).map(Number) as [number, number]);
    expect(reviewDays.some(([own, below]) => own + below === SIM.reviewsPerDay)).toBe(true);
    expect(reviewDays.some(([, below]) => below === SUB.reviewsPerDay)).toBe(true);
    // Sim's own cards come first; once they are all introduced, Sub's own limit (2) is what binds.
    expect(perDay[0]).toContain('new 5+0');
    expect(perDay.filter((line) => line.includes('new 0+2')).length).toBeGreaterThanOrEqual(4);
    expect(undos).toBeGreaterThan(20);
    expect(answers).toBeGreaterThan(300);
    // The announced next card was right every time it was still valid, and that was most of the time.
    expect(upcomingHeld).toBeGreaterThan(answers / 2);
    expect(upcomingHeld + thenHeld).toBeGreaterThan(answers / 2);
    // The revlog mirrors the answers: one row per answer, none left by the undos.
    expect((db.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n).toBe(answers);
  });
});
