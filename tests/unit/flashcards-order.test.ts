// What an Anki user expects of a study session: siblings kept apart (buried, or at least never back to
// back), one rule for parent and child limits that every page counts by, and the display order options.
import { afterEach, describe, expect, it } from 'vitest';
import { deckWithNotes, makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const DAY = 86_400_000;

async function reversedAndCloze(c: TestCore, deckId: number, reversed: number, cloze: number) {
  for (let i = 0; i < reversed; i++) await c.call('notes.create', { noteTypeId: 2, deckId, fields: [`Term ${i}`, `Meaning ${i}`] });
  for (let i = 0; i < cloze; i++) {
    await c.call('notes.create', { noteTypeId: 3, deckId, fields: [`{{c1::Risk ${i}a}}, {{c2::risk ${i}b}}, {{c3::risk ${i}c}}`, ''] });
  }
}

/** Studies a deck by answering Good, following each answer's next card; returns the notes in order. */
async function session(c: TestCore, deckId: number, answers: number, rating = 3) {
  const notes: number[] = [];
  let next = await c.call('study.next', { deckId });
  for (let i = 0; i < answers && next.card; i++) {
    notes.push(next.card.noteId);
    // The card announced ahead is the one the answer brings.
    const announced = next.upcoming?.card.id;
    const answered = await c.call('study.answer', { cardId: next.card.id, rating, durationMs: 1000, deckId });
    next = answered.next!;
    if (announced !== undefined && next.card) expect(next.card.id).toBe(announced);
    c.clock.advance(5_000);
  }
  return notes;
}

describe('siblings', () => {
  it('with burying off, never come one after the other while another card can be shown', async () => {
    core = await makeTestCore();
    await core.call('presets.update', { id: 1, buryNew: false, buryReview: false, newPerDay: 100, newSortOrder: 'gathered', newGatherOrder: 'ascending' });
    const deck = await core.call('decks.create', { name: 'Mixed' });
    await reversedAndCloze(core, deck.id, 8, 6);
    const notes = await session(core, deck.id, 40);
    expect(notes).toHaveLength(40);
    for (let i = 1; i < notes.length; i++) expect(notes[i], `cards ${i - 1} and ${i}`).not.toBe(notes[i - 1]);
    // Both cards of a reversed note and every cloze of a note were seen: siblings were spaced, not dropped.
    expect(new Set(notes).size).toBeLessThan(notes.length);
  });

  it('are buried until the next study day when the preset says so, and an undo brings them back', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-02T10:00:00');
    const deck = await core.call('decks.create', { name: 'Terms' });
    await reversedAndCloze(core, deck.id, 2, 1);
    // Two reversed notes and a three-cloze note: seven cards, three notes, one card of each a day.
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(3);
    const first = (await core.call('study.next', { deckId: deck.id })).card!;
    const answered = await core.call('study.answer', { cardId: first.id, rating: 3, durationMs: 1000, deckId: deck.id });
    const siblings = (await core.call('notes.get', { id: first.noteId })).cards.filter((c) => c.id !== first.id);
    const buried = () => core.ctx.db.prepare('SELECT count(*) FROM cards WHERE note_id = ? AND buried_day IS NOT NULL').pluck().get(first.noteId);
    expect(buried()).toBe(siblings.length);
    expect(answered.next!.counts.new).toBe(2);

    await core.call('study.undo');
    expect(buried()).toBe(0);
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(3);

    // Study the whole day: one card per note, then nothing; the next day the buried siblings are back.
    const seen = await session(core, deck.id, 20);
    expect(new Set(seen.filter((_, i) => i < 3)).size).toBe(3);
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(0);
    core.clock.set('2026-03-03T10:00:00');
    const tomorrow = await core.call('study.next', { deckId: deck.id });
    expect(tomorrow.counts.new).toBe(3);
  });

  it('a review sibling due today is buried by answering its new sibling only when review burying is on', async () => {
    core = await makeTestCore();
    const deck = await core.call('decks.create', { name: 'D' });
    const saved = await core.call('notes.create', { noteTypeId: 2, deckId: deck.id, fields: ['Persona', 'A user archetype'] });
    const [front, back] = saved.note.cards.map((c) => c.id) as [number, number];
    // The front graduates with Easy and comes due some days later; then the reverse is new that day.
    await core.call('study.answer', { cardId: front, rating: 4, durationMs: 1000 });
    core.ctx.db.prepare('UPDATE cards SET buried_day = NULL WHERE id = ?').run(back);
    core.clock.advance(30 * DAY);
    await core.call('presets.update', { id: 1, buryReview: false });
    await core.call('study.answer', { cardId: back, rating: 3, durationMs: 1000 });
    const frontRow = () => core.ctx.db.prepare('SELECT buried_day FROM cards WHERE id = ?').pluck().get(front);
    expect(frontRow()).toBeNull();
    await core.call('study.undo');
    await core.call('presets.update', { id: 1, buryReview: true });
    await core.call('study.answer', { cardId: back, rating: 3, durationMs: 1000 });
    expect(frontRow()).not.toBeNull();
  });
});

describe('interday learning siblings', () => {
  it('are buried by an answer the next day only when the preset says so', async () => {
    for (const buryInterday of [false, true]) {
      core = await makeTestCore();
      core.clock.set('2026-03-02T10:00:00');
      await core.call('presets.update', { id: 1, buryNew: false, buryInterday });
      const deck = await core.call('decks.create', { name: 'Terms' });
      const saved = await core.call('notes.create', { noteTypeId: 2, deckId: deck.id, fields: ['Persona', 'A user archetype'] });
      const [front, back] = saved.note.cards.map((c) => c.id) as [number, number];
      // Both cards on a one-day learning step since yesterday, as an Anki package brings them in
      // (Cadence's own steps of a day or more schedule a review instead).
      core.ctx.db
        .prepare('UPDATE cards SET state = 1, learning_steps = 1, due = ?, last_review = ?, stability = 1, difficulty = 5, reps = 1 WHERE note_id = ?')
        .run(Date.parse('2026-03-03T09:00:00'), Date.parse('2026-03-02T09:00:00'), saved.note.id);
      core.clock.set('2026-03-03T10:00:00');
      expect((await core.call('study.next', { deckId: deck.id })).counts.learning).toBe(2);
      const answered = await core.call('study.answer', { cardId: front, rating: 3, durationMs: 1000, deckId: deck.id });
      expect(answered.next!.counts.learning, `bury interday ${buryInterday}`).toBe(buryInterday ? 0 : 1);
      expect(answered.next!.card?.id ?? null).toBe(buryInterday ? null : back);
      // The next study day the sibling is back.
      core.clock.set('2026-03-04T10:00:00');
      expect((await core.call('study.next', { deckId: deck.id })).card?.id).toBe(back);
      if (!buryInterday) core.close();
    }
  });
});

describe('limits of parents and children', () => {
  async function starterLike(c: TestCore) {
    const parent = await c.call('decks.create', { name: 'Starter' });
    const children = [];
    for (const name of ['Certification', 'Product', 'Scrum']) {
      children.push((await deckWithNotes(c, name, 30, parent.id)).deck);
    }
    return { parent, children };
  }

  it('with limits from the top (the default), a child studied after its parent hit the limit serves nothing more', async () => {
    core = await makeTestCore();
    const { parent, children } = await starterLike(core);
    const served = await session(core, parent.id, 100, 4);
    expect(served).toHaveLength(20);
    for (const child of children) {
      const next = await core.call('study.next', { deckId: child.id });
      expect(next.counts.new).toBe(0);
      expect(next.card).toBeNull();
    }
    // Every page counts the same: the deck list and Today show no new cards left anywhere.
    const list = (await core.call('decks.list')).decks;
    expect(list.map((d) => d.counts.newDue)).toEqual([0, 0, 0, 0]);
    expect((await core.call('today.get')).due.newCards).toBe(0);
  });

  it('without it, the child has its own 20 (Anki\'s default), and every page says so', async () => {
    core = await makeTestCore();
    await core.call('presets.update', { id: 1, limitsFromTop: false });
    const { parent, children } = await starterLike(core);
    await session(core, parent.id, 100, 4);
    const child = children[0]!;
    const next = await core.call('study.next', { deckId: child.id });
    const list = (await core.call('decks.list')).decks;
    const row = list.find((d) => d.id === child.id)!;
    // Part of the parent's 20 came from this child; its own limit leaves the rest of its 20.
    const studiedHere = 30 - (await core.call('browse.search', { text: '', deckId: child.id, state: 'new', limit: 1 })).total;
    expect(studiedHere).toBeGreaterThan(0);
    expect(next.counts.new).toBe(20 - studiedHere);
    expect(row.counts.newDue).toBe(next.counts.new);
    expect(await session(core, child.id, 100, 4)).toHaveLength(next.counts.new);
  });

  it("a child's limit caps what its parent takes from it", async () => {
    core = await makeTestCore();
    const { parent, children } = await starterLike(core);
    const small = await core.call('presets.create', { name: 'Two a day' });
    await core.call('presets.update', { id: small.id, newPerDay: 2 });
    await core.call('decks.setPreset', { id: children[0]!.id, presetId: small.id });
    const next = await core.call('study.next', { deckId: parent.id });
    expect(next.counts.new).toBe(20);
    const decksOf = new Map<number, number>();
    const seen = await session(core, parent.id, 100, 4);
    for (const noteId of seen) {
      const deckId = (await core.call('notes.get', { id: noteId })).deckId;
      decksOf.set(deckId, (decksOf.get(deckId) ?? 0) + 1);
    }
    expect(decksOf.get(children[0]!.id)).toBe(2);
    expect(seen).toHaveLength(20);
  });
});

describe('display order', () => {
  it('gathers new cards from random notes by default, mixing the subdecks, the same way all day', async () => {
    core = await makeTestCore();
    const parent = await core.call('decks.create', { name: 'Starter' });
    const children = [];
    for (const name of ['A fees', 'B product', 'C scrum']) children.push((await deckWithNotes(core, name, 30, parent.id)).deck);
    const first = await core.call('study.next', { deckId: parent.id });
    const again = await core.call('study.next', { deckId: parent.id });
    expect(again.card?.id).toBe(first.card?.id);
    const seen = await session(core, parent.id, 20, 4);
    const decks = new Set<number>();
    for (const noteId of seen) decks.add((await core.call('notes.get', { id: noteId })).deckId);
    expect(decks.size).toBe(3);

    // Deck order takes the first subdeck's cards first, in the order they were added.
    core.clock.advance(DAY);
    await core.call('presets.update', { id: 1, newGatherOrder: 'deck', newSortOrder: 'gathered' });
    const byDeck = await session(core, parent.id, 20, 4);
    const decksByDeck = new Set<number>();
    for (const noteId of byDeck) decksByDeck.add((await core.call('notes.get', { id: noteId })).deckId);
    expect([...decksByDeck]).toEqual([children[0]!.id]);
  });

  it('gathers new cards newest first, or deck by deck with random notes, when asked', async () => {
    core = await makeTestCore();
    const parent = await core.call('decks.create', { name: 'Starter' });
    const children = [];
    for (const name of ['A fees', 'B product', 'C scrum']) children.push(await deckWithNotes(core, name, 10, parent.id));
    const deckOf = async (noteId: number) => (await core.call('notes.get', { id: noteId })).deckId;

    await core.call('presets.update', { id: 1, newGatherOrder: 'descending', newSortOrder: 'gathered' });
    expect((await core.call('study.next', { deckId: parent.id })).card!.id).toBe(children[2]!.cardIds[9]);

    core.clock.advance(DAY);
    await core.call('presets.update', { id: 1, newGatherOrder: 'deck_random_notes' });
    const seen = await session(core, parent.id, 20, 4);
    const decks = [];
    for (const noteId of seen) decks.push(await deckOf(noteId));
    // The first subdeck's ten, then the second's, each subdeck's notes in a shuffled order.
    expect(decks).toEqual([...Array(10).fill(children[0]!.deck.id), ...Array(10).fill(children[1]!.deck.id)]);
    const added = (await core.call('browse.search', { text: 'deck:"Starter::A fees"', sort: 'created', limit: 20 })).rows.map((r) => r.noteId);
    expect(new Set(seen.slice(0, 10))).toEqual(new Set(added));
    expect(seen.slice(0, 10)).not.toEqual(added);
  });

  it('sorts reviews by interval, shortest or longest first, when asked', async () => {
    core = await makeTestCore();
    const { deck, cardIds } = await deckWithNotes(core, 'R', 6);
    // Half the cards graduate at once with Easy, half through the learning steps with Good: their
    // intervals differ.
    for (const [i, id] of cardIds.entries()) {
      if (i % 2 === 0) await core.call('study.answer', { cardId: id, rating: 4, durationMs: 1000 });
      else {
        for (let step = 0; step < 3; step++) {
          await core.call('study.answer', { cardId: id, rating: 3, durationMs: 1000 });
          core.clock.advance(15 * 60_000);
        }
      }
      core.clock.advance(DAY);
    }
    core.clock.advance(200 * DAY);
    for (const order of ['interval_asc', 'interval_desc'] as const) {
      await core.call('presets.update', { id: 1, reviewSortOrder: order, buryReview: false });
      const intervals: number[] = [];
      let next = await core.call('study.next', { deckId: deck.id });
      while (next.card && next.card.state === 'review' && intervals.length < 6) {
        const row = (await core.call('browse.search', { text: `cid:${next.card.id}` })).rows[0]!;
        intervals.push(row.intervalDays);
        // Bury it (undone below) to see the card after it without changing any schedule.
        await core.call('cards.bury', { cardIds: [next.card.id] });
        next = await core.call('study.next', { deckId: deck.id });
      }
      expect(intervals).toHaveLength(6);
      const sorted = [...intervals].sort((a, b) => (order === 'interval_asc' ? a - b : b - a));
      expect(intervals, order).toEqual(sorted);
      expect(new Set(intervals).size).toBeGreaterThan(1);
      core.ctx.db.prepare('UPDATE cards SET buried_day = NULL').run();
    }
  });

  it('sorts reviews by retrievability, lowest first, when asked', async () => {
    core = await makeTestCore();
    const { deck, cardIds } = await deckWithNotes(core, 'R', 6);
    // Graduate every card, at different times, so their memories differ; then wait until all are due.
    for (const id of cardIds) {
      await core.call('study.answer', { cardId: id, rating: 4, durationMs: 1000 });
      core.clock.advance(DAY);
    }
    core.clock.advance(120 * DAY);
    await core.call('presets.update', { id: 1, reviewSortOrder: 'retrievability_asc', buryReview: false });
    const order: number[] = [];
    let next = await core.call('study.next', { deckId: deck.id });
    while (next.card && next.card.state === 'review') {
      order.push(next.card.retrievability!);
      next = (await core.call('study.answer', { cardId: next.card.id, rating: 3, durationMs: 1000, deckId: deck.id })).next!;
    }
    expect(order).toHaveLength(6);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
