// Sync interrupted, taken back and raced: nothing lost, nothing twice, both machines end the same.
import { describe, expect, it } from 'vitest';
import { deckWithNotes } from './testCore';
import { collectionOf, syncSuite, type Machine } from './syncEngine';

const suite = syncSuite('faults');
const machine = suite.machine;
const newTarget = suite.target;

function snapshot(m: Machine) {
  return m.core.ctx.db
    .prepare(
      `SELECT n.guid, n.fields, c.ord, CASE WHEN c.state = 0 THEN NULL ELSE c.due END AS due, c.state, c.reps, (SELECT count(*) FROM revlog r WHERE r.card_id = c.id) AS reviews
         FROM cards c JOIN notes n ON n.id = c.note_id ORDER BY n.guid, c.ord`,
    )
    .all() as { guid: string; fields: string; reviews: number }[];
}

describe('sync under faults', () => {
  it(
    'keeps every applied batch whole when applying stops part-way, and finishes on the next sync with nothing lost or doubled',
    async () => {
      const target = await newTarget();
      const a = await machine(4);
      const { cardIds } = await deckWithNotes(a.core, 'Risk', 12);
      for (const id of cardIds) await a.core.call('study.answer', { cardId: id, rating: 3, durationMs: 1000 });
      await a.sync.syncNow(target);

      const b = await machine(4);
      // B's disk fills up at the 7th note, part-way through the feed.
      b.core.ctx.db.function('disk_full_here', () => {
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      });
      b.core.ctx.db.exec(`CREATE TEMP TRIGGER stop_here BEFORE INSERT ON notes WHEN (SELECT count(*) FROM notes) >= 6
        BEGIN SELECT disk_full_here(); END`);
      await expect(b.sync.syncNow(target)).rejects.toThrow('disk is full');
      expect(b.sync.store.state().last_error).toBeNull(); // not a server failure: the sync stopped, nothing set aside
      const partial = snapshot(b);
      expect(partial.length).toBeGreaterThan(0);
      expect(partial.length).toBeLessThan(12);
      // Whole batches only: every note that arrived has exactly its cards, and no review is there twice.
      for (const card of partial) expect(card.reviews).toBeLessThanOrEqual(1);

      b.core.ctx.db.exec('DROP TRIGGER temp.stop_here');
      await b.sync.syncNow(target);
      expect(snapshot(b)).toEqual(snapshot(a));
      expect(snapshot(b).every((c) => c.reviews === 1)).toBe(true);
    },
    90_000,
  );

  it(
    'takes an answer back on every machine when it is undone after it was synced',
    async () => {
      const target = await newTarget();
      const a = await machine();
      const b = await machine();
      const { cardIds } = await deckWithNotes(a.core, 'Lean', 1);
      await a.core.call('study.answer', { cardId: cardIds[0]!, rating: 1, durationMs: 1000 });
      a.core.clock.advance(60_000);
      await a.core.call('study.answer', { cardId: cardIds[0]!, rating: 3, durationMs: 1000 });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      expect(snapshot(b)[0]!.reviews).toBe(2);

      await a.core.call('study.undo');
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      expect(snapshot(b)).toEqual(snapshot(a));
      expect(snapshot(b)[0]!.reviews).toBe(1);
    },
    60_000,
  );

  it(
    'sends an answer given after an undo, and a deck made after a deletion, as themselves (not as the record they replaced)',
    async () => {
      const target = await newTarget();
      const a = await machine();
      const b = await machine();
      const { cardIds } = await deckWithNotes(a.core, 'Estimation', 1);
      const old = await a.core.call('decks.create', { name: 'Old deck', parentId: null });
      await a.core.call('notes.create', { noteTypeId: 1, deckId: old.id, fields: ['Goes with its deck', 'x'] });
      await a.core.call('study.answer', { cardId: cardIds[0]!, rating: 1, durationMs: 1000 });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);

      // The undone answer's and the deleted deck's row numbers are taken by the next ones made.
      a.core.clock.advance(60_000);
      await a.core.call('study.undo');
      await a.core.call('study.answer', { cardId: cardIds[0]!, rating: 3, durationMs: 1000 });
      await a.core.call('decks.delete', { id: old.id });
      const made = await a.core.call('decks.create', { name: 'New deck', parentId: null });
      expect(made.id).toBe(old.id);
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);

      const onB = collectionOf(b);
      expect(onB).toEqual(collectionOf(a));
      expect(onB.decks).toEqual(['Estimation', 'New deck']);
      expect(onB.reviews).toHaveLength(1);
      expect(onB.reviews[0]).toMatch(/:3$/);
    },
    60_000,
  );

  it(
    'lets the newer of a deletion and an edit made on two machines win on both',
    async () => {
      const target = await newTarget();
      const a = await machine();
      const b = await machine();
      await deckWithNotes(a.core, 'Six Sigma', 2);
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      const [first, second] = a.core.ctx.db.prepare('SELECT id, guid FROM notes ORDER BY id').all() as { id: number; guid: string }[];
      const onB = (guid: string) => b.core.ctx.db.prepare('SELECT id FROM notes WHERE guid = ?').pluck().get(guid) as number;

      // The first note: deleted on A at 10:05, edited on B at 10:10 (newer: the edit wins, the note comes back to A).
      // The second: edited on B at 10:10, deleted on A at 10:20 (newer: the deletion wins on B too).
      b.core.clock.set('2026-03-02T10:10:00Z');
      await b.core.call('notes.update', { id: onB(first!.guid), fields: ['Six Sigma question 0', 'kept: edited on B'] });
      await b.core.call('notes.update', { id: onB(second!.guid), fields: ['Six Sigma question 1', 'lost: edited on B'] });
      a.core.clock.set('2026-03-02T10:05:00Z');
      await a.core.call('notes.delete', { ids: [first!.id] });
      await a.sync.syncNow(target); // the deletion is timed when sent: 10:05
      a.core.clock.set('2026-03-02T10:20:00Z');
      await a.core.call('notes.delete', { ids: [second!.id] });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      await a.sync.syncNow(target);

      expect(snapshot(a)).toEqual(snapshot(b));
      const left = snapshot(a);
      expect(left).toHaveLength(1);
      expect(JSON.parse(left[0]!.fields)[1]).toBe('kept: edited on B');
    },
    60_000,
  );

  it(
    'makes one deck of the same deck made on two machines before they first synced',
    async () => {
      const target = await newTarget();
      const a = await machine();
      const b = await machine();
      await deckWithNotes(a.core, 'Certification prep', 1);
      await deckWithNotes(b.core, 'Certification prep', 1);
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      await a.sync.syncNow(target);
      for (const m of [a, b]) {
        const decks = (await m.core.call('decks.list')).decks;
        expect(decks.map((d) => d.name)).toEqual(['Certification prep']);
        expect(snapshot(m)).toHaveLength(2);
      }
    },
    60_000,
  );
});
