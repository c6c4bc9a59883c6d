// Deck trees that edits on several machines would tangle. Two decks that become one (the same name under
// the same parent, met on one machine) are one deck on every machine, whatever order the edits reach each
// in: the machine that joined them says so, and that word wins over a rename of the joined deck made
// meanwhile elsewhere. Two decks moved each under the other on two machines never make a loop.
import { describe, expect, it } from 'vitest';
import { deckWithNotes } from './testCore';
import { collectionOf, syncSuite, syncUntilSettled, type Machine } from './syncEngine';

const suite = syncSuite('joins');

const deckId = (m: Machine, name: string, parent: number | null = null) =>
  m.core.ctx.db.prepare('SELECT id FROM decks WHERE name = ? AND parent_id IS ?').pluck().get(name, parent) as number;

describe('decks joined by name', () => {
  it(
    'stay one deck, with every card and subdeck, on all three machines after a rename elsewhere',
    async () => {
      const target = await suite.target();
      const [a, b, c] = [await suite.machine(5), await suite.machine(5), await suite.machine(5)] as [Machine, Machine, Machine];
      const scrum = await deckWithNotes(a.core, 'Scrum', 2);
      await deckWithNotes(a.core, 'Events', 1, scrum.deck.id);
      for (const m of [a, b, c]) await m.sync.syncNow(target);

      // C makes a deck "Risk" (with its own "Events"), while A renames "Scrum" to "Risk": C joins them.
      c.core.clock.set('2026-03-02T10:00:00Z');
      const risk = await deckWithNotes(c.core, 'Risk', 1);
      await deckWithNotes(c.core, 'Events', 1, risk.deck.id);
      a.core.clock.set('2026-03-02T10:05:00Z');
      await a.core.call('decks.rename', { id: deckId(a, 'Scrum'), name: 'Risk' });
      await a.sync.syncNow(target);
      await c.sync.syncNow(target);
      expect(collectionOf(c).decks).toEqual(['Risk', 'Risk::Events']);

      // B, offline since the start, renames "Scrum" again, later than anything above.
      b.core.clock.set('2026-03-02T10:30:00Z');
      await b.core.call('decks.rename', { id: deckId(b, 'Scrum'), name: 'Product Risk' });
      await syncUntilSettled([b, c, a], target);

      const onA = collectionOf(a);
      expect(collectionOf(b)).toEqual(onA);
      expect(collectionOf(c)).toEqual(onA);
      // One deck with one "Events", holding all five notes' cards.
      expect(onA.decks).toHaveLength(2);
      expect(onA.decks[1]).toBe(`${onA.decks[0]}::Events`);
      const top = deckId(a, onA.decks[0]!);
      const cards = a.core.ctx.db.prepare('SELECT count(*) FROM cards WHERE deck_id IN (?, ?)').pluck().get(top, deckId(a, 'Events', top));
      expect(cards).toBe(5);
    },
    90_000,
  );

  it(
    'bring a rename that lost to a join back as a deck of its own, on every machine',
    async () => {
      const target = await suite.target();
      const [a, b, c] = [await suite.machine(5), await suite.machine(5), await suite.machine(5)] as [Machine, Machine, Machine];
      // C's decks are sent under smaller ids than A's, so A's deck is the one that joins C's.
      a.core.ctx.db.prepare("UPDATE sync_state SET device_id = 'f000000000000000'").run();
      c.core.ctx.db.prepare("UPDATE sync_state SET device_id = '0000000000000000'").run();
      await deckWithNotes(a.core, 'Scrum', 1);
      for (const m of [a, b, c]) await m.sync.syncNow(target);

      c.core.clock.set('2026-03-02T10:00:00Z');
      await deckWithNotes(c.core, 'Risk', 1);
      await c.sync.syncNow(target);
      a.core.clock.set('2026-03-02T10:05:00Z');
      await a.core.call('decks.rename', { id: deckId(a, 'Scrum'), name: 'Risk' });
      await a.sync.syncNow(target);
      await c.sync.syncNow(target);
      b.core.clock.set('2026-03-02T10:30:00Z');
      await b.core.call('decks.rename', { id: deckId(b, 'Scrum'), name: 'Product Risk' });
      await syncUntilSettled([b, c, a], target);
      expect(collectionOf(b)).toEqual(collectionOf(a));
      expect(collectionOf(a).decks).toEqual(['Risk']);

      const lost = (await b.core.call('sync.conflicts')).conflicts.find((x) => x.kind === 'deck');
      expect(lost?.label).toBe('Deck “Product Risk”');
      await b.core.call('sync.restore', { id: lost!.id });
      await syncUntilSettled([b, c, a], target);
      for (const m of [a, b, c]) expect(collectionOf(m).decks).toEqual(['Product Risk', 'Risk']);
    },
    90_000,
  );

  it(
    'never make a loop when two machines move two decks each under the other, and agree on which one stays at the top',
    async () => {
      const target = await suite.target();
      const [a, b] = [await suite.machine(5), await suite.machine(5)] as [Machine, Machine];
      await deckWithNotes(a.core, 'Agile', 1);
      await deckWithNotes(a.core, 'Risk', 1);
      for (const m of [a, b]) await m.sync.syncNow(target);

      a.core.clock.set('2026-03-02T10:00:00Z');
      await a.core.call('decks.move', { id: deckId(a, 'Agile'), parentId: deckId(a, 'Risk') });
      b.core.clock.set('2026-03-02T10:01:00Z');
      await b.core.call('decks.move', { id: deckId(b, 'Risk'), parentId: deckId(b, 'Agile') });
      await syncUntilSettled([a, b], target);

      const onA = collectionOf(a);
      expect(collectionOf(b)).toEqual(onA);
      expect([['Agile', 'Agile::Risk'], ['Risk', 'Risk::Agile']]).toContainEqual(onA.decks);
      // The deck list (a walk of the tree) answers on both.
      for (const m of [a, b]) expect((await m.core.call('decks.list')).decks.map((d) => d.name).sort()).toEqual(['Agile', 'Risk']);

      // A later move elsewhere opens the loop: the deck taken out goes back where its document puts it.
      const top = onA.decks[0]!;
      const under = onA.decks[1]!.split('::')[1]!;
      b.core.clock.set('2026-03-02T11:00:00Z');
      await b.core.call('decks.move', { id: deckId(b, under, deckId(b, top)), parentId: null });
      await syncUntilSettled([b, a], target);
      expect(collectionOf(a)).toEqual(collectionOf(b));
      expect(collectionOf(a).decks).toEqual([under, `${under}::${top}`]);
    },
    90_000,
  );
});
