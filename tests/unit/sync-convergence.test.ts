// Three computers studying and editing offline, syncing in any order: they end with identical
// collections, and every answer given (and not taken back) is in the review log exactly once.
import { describe, expect, it } from 'vitest';
import { deckWithNotes } from './testCore';
import { collectionOf, reviewsOf, syncSuite, syncUntilSettled, type Machine } from './syncEngine';

const suite = syncSuite('converge');

const noteIds = (m: Machine) => m.core.ctx.db.prepare('SELECT id FROM notes ORDER BY guid').pluck().all() as number[];
const cardIds = (m: Machine) => m.core.ctx.db.prepare('SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id ORDER BY n.guid, c.ord').pluck().all() as number[];
const deckId = (m: Machine, name: string) => m.core.ctx.db.prepare('SELECT id FROM decks WHERE name = ?').pluck().get(name) as number;

/** The same moment on every machine's clock (their own clocks, kept in step by the test). */
function at(machines: Machine[], iso: string): void {
  for (const m of machines) m.core.clock.set(iso);
}

describe('three machines', () => {
  for (const order of [
    [0, 1, 2],
    [2, 0, 1],
    [1, 2, 0],
  ]) {
    it(
      `converge after studying and editing offline on each, syncing in the order ${order.map((i) => 'ABC'[i]).join(', ')}`,
      async () => {
        const target = await suite.target();
        const [a, b, c] = [await suite.machine(5), await suite.machine(5), await suite.machine(5)] as [Machine, Machine, Machine];
        await deckWithNotes(a.core, 'Scrum', 6);
        await a.sync.syncNow(target);
        await b.sync.syncNow(target);
        await c.sync.syncNow(target);
        expect(collectionOf(b)).toEqual(collectionOf(a));
        expect(collectionOf(c)).toEqual(collectionOf(a));

        // Offline on each, over the same morning.
        at([a, b, c], '2026-03-02T11:00:00Z');
        for (const id of cardIds(a).slice(0, 3)) await a.core.call('study.answer', { cardId: id, rating: 3, durationMs: 5000 });
        await a.core.call('notes.update', { id: noteIds(a)[3]!, fields: ['Who orders the Product Backlog?', 'The Product Owner (A)'] });
        b.core.clock.set('2026-03-02T11:05:00Z');
        for (const id of [cardIds(b)[1]!, cardIds(b)[4]!]) await b.core.call('study.answer', { cardId: id, rating: 1, durationMs: 7000 });
        await b.core.call('decks.rename', { id: deckId(b, 'Scrum'), name: 'Scrum Guide 2020' });
        const events = await b.core.call('decks.create', { name: 'Events', parentId: deckId(b, 'Scrum Guide 2020') });
        await b.core.call('cards.move', { cardIds: [cardIds(b)[5]!], deckId: events.id });
        c.core.clock.set('2026-03-02T11:10:00Z');
        await c.core.call('cards.suspend', { cardIds: [cardIds(c)[2]!] });
        await c.core.call('study.answer', { cardId: cardIds(c)[1]!, rating: 4, durationMs: 3000 });
        await c.core.call('study.answer', { cardId: cardIds(c)[3]!, rating: 3, durationMs: 3000 });
        await c.core.call('study.undo');
        await c.core.call('notes.delete', { ids: [noteIds(c)[0]!] });
        await c.core.call('notes.create', { noteTypeId: 2, deckId: deckId(c, 'Scrum'), fields: ['Timebox of the Daily Scrum', '15 minutes'] });
        const made = [a, b, c].flatMap(reviewsOf);

        const machines = [a, b, c];
        await syncUntilSettled(order.map((i) => machines[i]!), target);

        const onA = collectionOf(a);
        expect(collectionOf(b)).toEqual(onA);
        expect(collectionOf(c)).toEqual(onA);
        expect(onA.decks).toEqual(['Scrum Guide 2020', 'Scrum Guide 2020::Events']);
        expect(onA.notes).toHaveLength(6); // one deleted, one (with two cards) added
        expect(onA.notes.find((n) => n.fields[1] === 'The Product Owner (A)')).toBeDefined();
        // Every answer kept exactly once: A's three (one on the deleted note goes with it), B's two, C's one
        // (the other was undone before it was sent); the reviews of the note deleted on C went with it.
        const deleted = made.filter((r) => !onA.notes.some((n) => r.startsWith(`${n.guid}:`)));
        expect(deleted).toHaveLength(1);
        expect(onA.reviews).toEqual(made.filter((r) => !deleted.includes(r)).sort());
        expect(new Set(onA.reviews).size).toBe(onA.reviews.length);
        // No two machines changed the same record, so nothing is listed as a conflict (answering a card
        // does not send its note again, which would override an edit made elsewhere).
        for (const m of machines) expect(m.sync.store.conflicts()).toEqual([]);
      },
      90_000,
    );
  }
});
