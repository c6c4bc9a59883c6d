// Custom study from a deck (Anki's dialog): today's limits raised, and sessions of forgotten cards,
// reviews ahead, a preview of new cards, and cards by state and tag; with rescheduling an answer is an
// ordinary one, without it nothing about the card changes; ending a session leaves every card as it is.
import { afterEach, describe, expect, it } from 'vitest';
import { deckWithNotes, inAddedOrder, makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const DAY = 86_400_000;

const cardsTable = (c: TestCore) => c.ctx.db.prepare('SELECT * FROM cards ORDER BY id').all();
const revlogCount = (c: TestCore) => c.ctx.db.prepare('SELECT count(*) FROM revlog').pluck().get() as number;

/** Answers every card of a session with `rating`, returning the card ids in the order shown. */
async function studySession(c: TestCore, deckId: number, sessionId: number, rating = 3): Promise<number[]> {
  const shown: number[] = [];
  let next = await c.call('study.next', { deckId, sessionId });
  while (next.card && shown.length < 200) {
    shown.push(next.card.id);
    next = (await c.call('study.answer', { cardId: next.card.id, rating, durationMs: 1000, deckId, sessionId })).next!;
  }
  return shown;
}

describe('custom study', () => {
  it("raises today's new and review limits of the deck, for today only", async () => {
    core = await makeTestCore();
    const { deck } = await deckWithNotes(core, 'Big', 50);
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(20);
    const raised = await core.call('customStudy.create', { deckId: deck.id, mode: 'new_limit', count: 10 });
    expect(raised).toEqual({ kind: 'limit', newToday: 30, reviewToday: 200 });
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(30);
    expect((await core.call('decks.list')).decks[0]!.counts.newDue).toBe(30);
    await core.call('customStudy.create', { deckId: deck.id, mode: 'review_limit', count: 5 });
    expect(await core.call('customStudy.create', { deckId: deck.id, mode: 'new_limit', count: 5 })).toMatchObject({ newToday: 35, reviewToday: 205 });
    core.clock.advance(DAY);
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(20);
  });

  it("raising a subdeck's limit after its parent's limit was reached gives exactly that many more, on every page", async () => {
    core = await makeTestCore();
    const parent = await core.call('decks.create', { name: 'Starter' });
    const children = [];
    for (const name of ['Fees', 'Product', 'Scrum']) children.push((await deckWithNotes(core, name, 30, parent.id)).deck);
    const product = children[1]!;
    // The parent's 20 new cards for today, taken from all three subdecks; then the subdeck has none left
    // (limits start from the top, the default).
    for (let next = await core.call('study.next', { deckId: parent.id }); next.card; ) {
      next = (await core.call('study.answer', { cardId: next.card.id, rating: 4, durationMs: 1000, deckId: parent.id })).next!;
    }
    expect((await core.call('study.next', { deckId: product.id })).counts.new).toBe(0);

    // As in Anki, the increase counts for the deck, the decks above it and the ones below it.
    await core.call('customStudy.create', { deckId: product.id, mode: 'new_limit', count: 5 });
    const next = await core.call('study.next', { deckId: product.id });
    expect(next.counts.new).toBe(5);
    const list = (await core.call('decks.list')).decks;
    expect(list.find((d) => d.id === product.id)!.counts.newDue).toBe(5);
    expect(list.find((d) => d.id === parent.id)!.counts.newDue).toBe(5);
    let served = 0;
    for (let n = next; n.card; served++) {
      n = (await core.call('study.answer', { cardId: n.card.id, rating: 4, durationMs: 1000, deckId: product.id })).next!;
    }
    expect(served).toBe(5);
    expect((await core.call('study.next', { deckId: parent.id })).counts.new).toBe(0);
  });

  it('reviews forgotten cards with rescheduling: answers are ordinary answers, learning cards stay until they graduate', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck, cardIds } = await deckWithNotes(core, 'F', 4);
    // Two cards are forgotten today (Again), two graduate (Easy).
    await core.call('study.answer', { cardId: cardIds[0]!, rating: 1, durationMs: 1000 });
    await core.call('study.answer', { cardId: cardIds[1]!, rating: 1, durationMs: 1000 });
    await core.call('study.answer', { cardId: cardIds[2]!, rating: 4, durationMs: 1000 });
    const created = await core.call('customStudy.create', { deckId: deck.id, mode: 'forgotten', days: 1 });
    if (created.kind !== 'session') throw new Error('expected a session');
    expect(created.session).toMatchObject({ deckId: deck.id, reschedule: true, remaining: 2, total: 2, title: 'Forgotten in the last 1 day' });
    expect((await core.call('customStudy.current')).session?.id).toBe(created.session.id);

    const logBefore = revlogCount(core);
    const first = await core.call('study.next', { deckId: deck.id, sessionId: created.session.id });
    expect(first.session).toEqual({ id: created.session.id, title: created.session.title, reschedule: true });
    expect([cardIds[0], cardIds[1]]).toContain(first.card?.id);
    // Good moves a learning card to its next step: still in the session, the other card comes first.
    const answered = await core.call('study.answer', { cardId: first.card!.id, rating: 3, durationMs: 1000, deckId: deck.id, sessionId: created.session.id });
    expect(revlogCount(core)).toBe(logBefore + 1);
    expect(answered.next!.card?.id).not.toBe(first.card!.id);
    // Easy graduates both: the session is done; the cards are reviews now, in their own deck.
    await core.call('study.answer', { cardId: answered.next!.card!.id, rating: 4, durationMs: 1000, deckId: deck.id, sessionId: created.session.id });
    const last = await core.call('study.next', { deckId: deck.id, sessionId: created.session.id });
    expect(last.card?.id).toBe(first.card!.id);
    const done = await core.call('study.answer', { cardId: first.card!.id, rating: 4, durationMs: 1000, deckId: deck.id, sessionId: created.session.id });
    expect(done.next!.card).toBeNull();
    expect((await core.call('notes.get', { id: first.card!.noteId })).cards[0]).toMatchObject({ state: 'review', deckId: deck.id });
    // An undo puts the card back into the session.
    await core.call('study.undo');
    expect((await core.call('study.next', { deckId: deck.id, sessionId: created.session.id })).card?.id).toBe(first.card!.id);
  });

  it('reviews ahead: cards due in the next days, studied early', async () => {
    core = await makeTestCore();
    const { deck, cardIds } = await deckWithNotes(core, 'A', 3);
    for (const id of cardIds) await core.call('study.answer', { cardId: id, rating: 4, durationMs: 1000 });
    const due = (await core.call('notes.get', { id: (await core.call('browse.search', { text: `cid:${cardIds[0]}` })).rows[0]!.noteId })).cards[0]!.due;
    const daysAway = Math.ceil((due - core.clock.now()) / DAY);
    expect(daysAway).toBeGreaterThan(1);
    expect((await core.call('study.next', { deckId: deck.id })).counts.review).toBe(0);
    await expect(core.call('customStudy.create', { deckId: deck.id, mode: 'ahead', days: 1 })).rejects.toMatchObject({ code: 'not_found' });
    const created = await core.call('customStudy.create', { deckId: deck.id, mode: 'ahead', days: daysAway + 1 });
    if (created.kind !== 'session') throw new Error('expected a session');
    expect(created.session.total).toBe(3);
    const shown = await studySession(core, deck.id, created.session.id, 3);
    expect(shown.sort()).toEqual([...cardIds].sort());
    // Rescheduled from today: each is due later than before.
    const after = (await core.call('browse.search', { text: `cid:${cardIds[0]}` })).rows[0]!.due;
    expect(after).toBeGreaterThan(core.clock.now() + DAY);
  });

  it('previews new cards without changing them, Again shows a card again, and ending puts nothing back because nothing moved', async () => {
    core = await makeTestCore();
    const { deck } = await deckWithNotes(core, 'P', 3);
    core.clock.advance(10 * DAY);
    await deckWithNotes(core, 'Q', 2, deck.id);
    const before = cardsTable(core);
    const logBefore = revlogCount(core);
    const created = await core.call('customStudy.create', { deckId: deck.id, mode: 'preview', days: 1 });
    if (created.kind !== 'session') throw new Error('expected a session');
    expect(created.session).toMatchObject({ reschedule: false, total: 2 });
    const first = await core.call('study.next', { deckId: deck.id, sessionId: created.session.id });
    expect(first.card!.intervals).toEqual(['1m', '10m', 'done', 'done']);
    const again = await core.call('study.answer', { cardId: first.card!.id, rating: 1, durationMs: 1000, deckId: deck.id, sessionId: created.session.id });
    expect(again.next!.card?.id).not.toBe(first.card!.id);
    expect(again.next!.counts.new).toBe(2);
    const shown = await studySession(core, deck.id, created.session.id, 3);
    expect(shown).toHaveLength(2);
    expect(cardsTable(core)).toEqual(before);
    expect(revlogCount(core)).toBe(logBefore);

    await core.call('customStudy.end', { sessionId: created.session.id });
    expect((await core.call('customStudy.current')).session).toBeNull();
    expect(cardsTable(core)).toEqual(before);
    expect((await core.fail('study.next', { deckId: deck.id, sessionId: created.session.id })).message).toMatch(/session has ended/);
  });

  it('studies by state and tag: new cards with a tag, all cards without one, never more than asked', async () => {
    core = await makeTestCore();
    const deck = await core.call('decks.create', { name: 'T' });
    for (let i = 0; i < 6; i++) {
      await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: [`Q${i}`, `A${i}`], tags: i % 2 ? ['exam::pmp'] : ['other'] });
    }
    const tagged = await core.call('customStudy.create', { deckId: deck.id, mode: 'tag_state', state: 'new', includeTags: ['exam'], count: 2 });
    if (tagged.kind !== 'session') throw new Error('expected a session');
    expect(tagged.session).toMatchObject({ total: 2, reschedule: true, title: 'New cards tagged exam' });
    const shown = await studySession(core, deck.id, tagged.session.id, 4);
    for (const id of shown) {
      const row = (await core.call('browse.search', { text: `cid:${id}` })).rows[0]!;
      expect(row.tags).toEqual(['exam::pmp']);
      expect(row.state).toBe('review');
    }

    // A new session replaces the last; "all cards" is a preview: no answer changes a card.
    const before = cardsTable(core);
    const all = await core.call('customStudy.create', { deckId: deck.id, mode: 'tag_state', state: 'all', excludeTags: ['exam'], count: 100 });
    if (all.kind !== 'session') throw new Error('expected a session');
    expect(all.session).toMatchObject({ total: 3, reschedule: false });
    expect((await core.call('customStudy.current')).session?.id).toBe(all.session.id);
    expect(await studySession(core, deck.id, all.session.id, 3)).toHaveLength(3);
    expect(cardsTable(core)).toEqual(before);
    expect((await core.fail('customStudy.create', { deckId: deck.id, mode: 'tag_state', state: 'due', count: 5 })).message).toMatch(/No cards in this deck match/);
  });
});
