import { afterEach, describe, expect, it } from 'vitest';
import { deckWithNotes, makeTestCore, type TestCore, inAddedOrder } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const MINUTE = 60_000;
const DAY = 86_400_000;

const row = (c: TestCore, id: number) => c.ctx.db.prepare('SELECT * FROM cards WHERE id = ?').get(id);
const note = (c: TestCore, cardId: number) =>
  c.ctx.db.prepare('SELECT n.* FROM notes n JOIN cards c ON c.note_id = n.id WHERE c.id = ?').get(cardId) as { tags: string };

/** Studies a card until it is a review card due in days (Easy graduates a new card at once). */
async function graduate(c: TestCore, cardId: number) {
  await c.call('study.answer', { cardId, rating: 4, durationMs: 1000 });
}

/** Moves the clock to the card's due time and answers Again: a lapse. Then relearns it with Good. */
async function lapse(c: TestCore, cardId: number) {
  const due = (row(c, cardId) as { due: number }).due;
  c.clock.set(Math.max(due, c.clock.now()) + MINUTE);
  const result = await c.call('study.answer', { cardId, rating: 1, durationMs: 1000 });
  if (!result.suspended) {
    c.clock.advance(11 * MINUTE);
    await c.call('study.answer', { cardId, rating: 3, durationMs: 1000 });
  }
  return result;
}

describe('study', () => {
  it('shows the question and answer sources and the four interval labels', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck } = await deckWithNotes(core, 'Scrum', 1);
    const next = await core.call('study.next', { deckId: deck.id });
    expect(next.counts).toEqual({ new: 1, learning: 0, review: 0 });
    expect(next.card).toMatchObject({ question: 'Scrum question 0', state: 'new', deckPath: 'Scrum', kind: 'basic', retrievability: null });
    expect(next.card!.answer).toContain('answer 0');
    // Anki's defaults with FSRS-6: Again 1m, Hard 6m, Good 10m, Easy some days.
    expect(next.card!.intervals.slice(0, 3)).toEqual(['1m', '6m', '10m']);
    expect(next.card!.intervals[3]).toMatch(/^\d+d$/);

    // An edit shows at once, on the card and on the one announced after it.
    const second = await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Second', 'two'] });
    expect((await core.call('study.next', { deckId: deck.id })).upcoming?.card.question).toBe('Second');
    await core.call('notes.update', { id: next.card!.noteId, fields: ['Scrum question, edited', 'answer 0'] });
    await core.call('notes.update', { id: second.note.id, fields: ['Second, edited', 'two'] });
    const edited = await core.call('study.next', { deckId: deck.id });
    expect([edited.card?.question, edited.upcoming?.card.question]).toEqual(['Scrum question, edited', 'Second, edited']);
  });

  it('tags a leech at the threshold, suspends it when the preset says so, tells once, and undo reverses it', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck, cardIds } = await deckWithNotes(core, 'Hard facts', 1);
    const preset = await core.call('presets.create', { name: 'Strict' });
    await core.call('presets.update', { id: preset.id, leechThreshold: 2, leechAction: 'suspend' });
    await core.call('decks.setPreset', { id: deck.id, presetId: preset.id });
    const id = cardIds[0]!;
    await graduate(core, id);
    expect((await lapse(core, id)).leech).toBe(false);
    const noteBefore = note(core, id);
    const cardBefore = row(core, id);

    const due = (cardBefore as { due: number }).due;
    core.clock.set(due + MINUTE);
    const cardAtAnswer = row(core, id);
    const result = await core.call('study.answer', { cardId: id, rating: 1, durationMs: 1000 });
    expect(result).toMatchObject({ leech: true, suspended: true });
    expect(note(core, id).tags).toBe(' leech ');
    expect((await core.call('study.next', { deckId: deck.id })).card).toBeNull();

    await core.call('study.undo');
    expect(row(core, id)).toEqual(cardAtAnswer);
    expect(note(core, id)).toEqual(noteBefore);

    // With "tag" only, the card stays in the queue and later lapses do not report it again.
    await core.call('presets.update', { id: preset.id, leechAction: 'tag' });
    expect(await core.call('study.answer', { cardId: id, rating: 1, durationMs: 1000 })).toMatchObject({ leech: true, suspended: false });
    core.clock.advance(11 * MINUTE);
    await core.call('study.answer', { cardId: id, rating: 3, durationMs: 1000 });
    expect((await lapse(core, id)).leech).toBe(false);
    expect(note(core, id).tags).toBe(' leech ');
    const found = await core.call('browse.search', { state: 'leech' });
    expect(found.rows.map((r) => r.cardId)).toEqual([id]);
  });

  it('buries a card until the next study day and suspends until unsuspended; undo takes both back', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    core.clock.set('2026-03-02T22:00:00');
    const { deck, cardIds } = await deckWithNotes(core, 'D', 2);
    const [a, b] = cardIds as [number, number];
    await core.call('cards.bury', { cardIds: [a] });
    expect((await core.call('study.next', { deckId: deck.id })).card?.id).toBe(b);
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(1);
    // 03:00 is still the same study day (rollover at 04:00); 04:00 starts the next.
    core.clock.set('2026-03-03T03:00:00');
    expect((await core.call('study.next', { deckId: deck.id })).card?.id).toBe(b);
    core.clock.set('2026-03-03T04:00:00');
    expect((await core.call('study.next', { deckId: deck.id })).card?.id).toBe(a);

    await core.call('cards.suspend', { cardIds: [a] });
    expect((await core.call('study.next', { deckId: deck.id })).card?.id).toBe(b);
    expect((await core.fail('study.answer', { cardId: a, rating: 3, durationMs: 0 })).code).toBe('conflict');
    expect(await core.call('study.undo')).toMatchObject({ kind: 'suspend', cardId: a });
    expect((await core.call('study.next', { deckId: deck.id })).card?.id).toBe(a);

    const before = row(core, b);
    await core.call('cards.bury', { cardIds: [b] });
    expect(await core.call('study.undo')).toMatchObject({ kind: 'bury', cardId: b });
    expect(row(core, b)).toEqual(before);
    // The stack goes back to the first bury, then is empty.
    expect(await core.call('study.undo')).toMatchObject({ kind: 'bury', cardId: a });
    expect((await core.fail('study.undo', {})).code).toBe('not_found');
  });

  it('refuses to undo an answer whose card changed since, and drops that step', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { cardIds } = await deckWithNotes(core, 'D', 2);
    await core.call('study.answer', { cardId: cardIds[0]!, rating: 3, durationMs: 1000 });
    await core.call('cards.reset', { cardIds: [cardIds[0]!] });
    const err = await core.fail('study.undo', undefined);
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('can no longer be undone');
    expect((await core.fail('study.undo', undefined)).code).toBe('not_found');
  });

  it('shows the undone card first again, and summarises the session', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck, cardIds } = await deckWithNotes(core, 'D', 3);
    const since = core.clock.now();
    await core.call('study.answer', { cardId: cardIds[0]!, rating: 1, durationMs: 4000 });
    await core.call('study.answer', { cardId: cardIds[1]!, rating: 3, durationMs: 200_000 });
    const undone = await core.call('study.undo');
    expect((await core.call('study.next', { deckId: deck.id, cardId: undone.cardId })).card?.id).toBe(cardIds[1]);
    await core.call('study.answer', { cardId: cardIds[1]!, rating: 3, durationMs: 6000 });
    expect(await core.call('study.summary', { deckId: deck.id, since })).toEqual({
      cards: 2,
      reviews: 2,
      durationMs: 10_000,
      again: 1,
      againRate: 0.5,
    });
  });

  it('deck list counts are what study shows today, limits and subdecks included, with mean recall', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck: parent, cardIds } = await deckWithNotes(core, 'Parent', 4);
    const { deck: child } = await deckWithNotes(core, 'Child', 3, parent.id);
    const preset = await core.call('presets.create', { name: 'Three a day' });
    await core.call('presets.update', { id: preset.id, newPerDay: 3 });
    await core.call('decks.setPreset', { id: parent.id, presetId: preset.id });

    const summary = async (id: number) => (await core.call('decks.list')).decks.find((d) => d.id === id)!;
    const check = async () => {
      for (const id of [parent.id, child.id]) {
        const { counts } = await core.call('study.next', { deckId: id });
        expect((await summary(id)).counts).toMatchObject({ newDue: counts.new, learningDue: counts.learning, reviewDue: counts.review });
      }
    };
    await check();
    expect((await summary(parent.id)).counts).toEqual({ total: 7, newDue: 3, learningDue: 0, reviewDue: 0 });
    // Studied from the child alone, only the child's (Default, 20/day) limit applies.
    expect((await summary(child.id)).counts.newDue).toBe(3);
    expect((await summary(parent.id)).retrievability).toBeNull();

    await core.call('study.answer', { cardId: cardIds[0]!, rating: 4, durationMs: 1000 });
    await core.call('study.answer', { cardId: cardIds[1]!, rating: 1, durationMs: 1000 });
    await check();
    expect((await summary(parent.id)).counts).toEqual({ total: 7, newDue: 1, learningDue: 1, reviewDue: 0 });
    // Right after its answer the graduated card is fully remembered; a week later less so.
    expect((await summary(parent.id)).retrievability).toBeCloseTo(1, 5);
    core.clock.advance(7 * DAY);
    const later = (await summary(parent.id)).retrievability!;
    expect(later).toBeGreaterThan(0.5);
    expect(later).toBeLessThan(1);
    await check();
  });

  it('counts the day by the rollover hour from settings', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    core.clock.set('2026-03-02T23:00:00');
    const { deck, cardIds } = await deckWithNotes(core, 'D', 3);
    const preset = await core.call('presets.create', { name: 'One a day' });
    await core.call('presets.update', { id: preset.id, newPerDay: 1 });
    await core.call('decks.setPreset', { id: deck.id, presetId: preset.id });
    await core.call('study.answer', { cardId: cardIds[0]!, rating: 4, durationMs: 1000 });
    core.clock.set('2026-03-03T01:00:00');
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(0);
    await core.call('settings.update', { dayRolloverHour: 0 });
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(1);
  });
});
