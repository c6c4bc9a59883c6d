// Two Cadence collections syncing through a real CouchDB-protocol server (pouchdb-server, in memory).
import { describe, expect, it } from 'vitest';
import { deckWithNotes } from './testCore';
import { syncSuite, type Machine } from './syncEngine';

const suite = syncSuite('cadence');
const machine = suite.machine;
async function twoMachines(batchSize?: number) {
  return { target: await suite.target(), a: await machine(batchSize), b: await machine(batchSize) };
}

/** Every card by note GUID and template, with its schedule and how many reviews it has. */
function cardsOf(m: Machine) {
  return m.core.ctx.db
    .prepare(
      `SELECT n.guid, c.ord, c.state, CASE WHEN c.state = 0 THEN NULL ELSE c.due END AS due, round(c.stability, 9) AS stability, round(c.difficulty, 9) AS difficulty, c.reps, c.lapses,
              c.suspended, (SELECT count(*) FROM revlog r WHERE r.card_id = c.id) AS reviews
         FROM cards c JOIN notes n ON n.id = c.note_id ORDER BY n.guid, c.ord`,
    )
    .all() as { guid: string; due: number; reviews: number }[];
}

function notesOf(m: Machine) {
  return m.core.ctx.db.prepare('SELECT guid, fields, tags FROM notes ORDER BY guid').all() as { guid: string; fields: string; tags: string }[];
}

function cardIdOf(m: Machine, guid: string): number {
  return (m.core.ctx.db.prepare('SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = ? AND c.ord = 0').get(guid) as { id: number }).id;
}

describe('sync between two machines', () => {
  it(
    'brings decks, notes and cards made on one machine to the other',
    async () => {
      const { target, a, b } = await twoMachines();
      const { deck } = await deckWithNotes(a.core, 'Scrum', 3);
      await a.core.call('decks.create', { name: 'Sprint events', parentId: deck.id });
      const first = await a.sync.syncNow(target);
      expect(first.sent).toBe(5); // two decks, three notes
      await b.sync.syncNow(target);

      const decks = (await b.core.call('decks.list')).decks.map((d) => d.path).sort();
      expect(decks).toEqual(['Scrum', 'Scrum::Sprint events']);
      expect(notesOf(b)).toEqual(notesOf(a));
      expect(cardsOf(b)).toEqual(cardsOf(a));
    },
    60_000,
  );

  it(
    'converges to identical due dates when both machines studied offline',
    async () => {
      const { target, a, b } = await twoMachines(7);
      await deckWithNotes(a.core, 'PMP', 4);
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      // In the order they were made (the order the solo machine below makes its notes in).
      const guids = a.core.ctx.db.prepare('SELECT guid FROM notes ORDER BY id').pluck().all() as string[];

      // Machine A studies every card in the morning; B, offline, studies two of them at noon and the next day.
      for (const guid of guids) await a.core.call('study.answer', { cardId: cardIdOf(a, guid), rating: 3, durationMs: 4000 });
      a.core.clock.advance(2 * 3600_000);
      await a.core.call('study.answer', { cardId: cardIdOf(a, guids[0]!), rating: 1, durationMs: 2000 });
      b.core.clock.set('2026-03-02T12:00:30Z');
      await b.core.call('study.answer', { cardId: cardIdOf(b, guids[0]!), rating: 4, durationMs: 3000 });
      await b.core.call('study.answer', { cardId: cardIdOf(b, guids[1]!), rating: 2, durationMs: 3000 });
      b.core.clock.set('2026-03-03T09:00:00Z');
      await b.core.call('study.answer', { cardId: cardIdOf(b, guids[1]!), rating: 3, durationMs: 3000 });

      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      await a.sync.syncNow(target);

      const onA = cardsOf(a);
      expect(onA).toEqual(cardsOf(b));
      // Every review kept exactly once: 4 + 1 on A, 3 on B.
      expect(onA.reduce((n, c) => n + c.reviews, 0)).toBe(8);

      // And the merged schedule is what answering the merged history in order on one machine gives.
      const solo = await machine();
      await deckWithNotes(solo.core, 'PMP', 4);
      const soloIds = solo.core.ctx.db.prepare('SELECT c.id FROM cards c ORDER BY c.note_id').pluck().all() as number[];
      for (const id of soloIds) await solo.core.call('study.answer', { cardId: id, rating: 3, durationMs: 4000 });
      solo.core.clock.set('2026-03-02T12:00:00Z');
      await solo.core.call('study.answer', { cardId: soloIds[0]!, rating: 1, durationMs: 2000 });
      solo.core.clock.set('2026-03-02T12:00:30Z');
      await solo.core.call('study.answer', { cardId: soloIds[0]!, rating: 4, durationMs: 3000 });
      await solo.core.call('study.answer', { cardId: soloIds[1]!, rating: 2, durationMs: 3000 });
      solo.core.clock.set('2026-03-03T09:00:00Z');
      await solo.core.call('study.answer', { cardId: soloIds[1]!, rating: 3, durationMs: 3000 });
      const soloDues = solo.core.ctx.db.prepare('SELECT due FROM cards ORDER BY note_id').pluck().all();
      const mergedDues = guids.map((g) => onA.find((c) => c.guid === g)!.due);
      expect(mergedDues).toEqual(soloDues);
    },
    90_000,
  );

  it(
    'resolves the same note edited on both machines the same way, newest edit winning, and lists the losing version on both',
    async () => {
      const { target, a, b } = await twoMachines();
      const { cardIds } = await deckWithNotes(a.core, 'Agile', 1);
      const noteIdA = (await a.core.call('notes.get', { id: a.core.ctx.db.prepare('SELECT note_id FROM cards WHERE id = ?').pluck().get(cardIds[0]!) as number })).id;
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      const noteIdB = b.core.ctx.db.prepare('SELECT id FROM notes').pluck().get() as number;

      a.core.clock.set('2026-03-05T10:00:00Z');
      await a.core.call('notes.update', { id: noteIdA, fields: ['What does a Scrum Master serve?', 'The team (edited on A)'] });
      b.core.clock.set('2026-03-05T11:00:00Z'); // B's edit is an hour newer
      await b.core.call('notes.update', { id: noteIdB, fields: ['What does a Scrum Master serve?', 'The team, the PO and the org (edited on B)'] });

      await a.sync.syncNow(target);
      const second = await b.sync.syncNow(target);
      expect(second.conflicts).toBe(1);
      await a.sync.syncNow(target);

      for (const m of [a, b]) {
        const [note] = notesOf(m);
        expect(JSON.parse(note!.fields)[1]).toBe('The team, the PO and the org (edited on B)');
        const conflicts = m.sync.store.conflicts();
        expect(conflicts).toHaveLength(1);
        expect(conflicts[0]!.label).toBe('Note “What does a Scrum Master serve?”');
        expect((conflicts[0]!.body as { fields: string[] }).fields[1]).toBe('The team (edited on A)');
      }
    },
    60_000,
  );

  it(
    'carries a deletion to the other machine, with the note\'s cards and reviews',
    async () => {
      const { target, a, b } = await twoMachines();
      const { cardIds } = await deckWithNotes(a.core, 'Kanban', 2);
      await a.core.call('study.answer', { cardId: cardIds[0]!, rating: 3, durationMs: 1000 });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      expect(notesOf(b)).toHaveLength(2);
      const gone = b.core.ctx.db.prepare('SELECT note_id FROM cards c JOIN revlog r ON r.card_id = c.id').pluck().get() as number;

      b.core.clock.advance(60_000);
      await b.core.call('notes.delete', { ids: [gone] });
      await b.sync.syncNow(target);
      await a.sync.syncNow(target);

      expect(notesOf(a)).toEqual(notesOf(b));
      expect(notesOf(a)).toHaveLength(1);
      expect(a.core.ctx.db.prepare('SELECT count(*) FROM revlog').pluck().get()).toBe(0);
    },
    60_000,
  );

  it(
    'says in words that the server cannot be reached, and changes nothing',
    async () => {
      const { a } = await twoMachines();
      await deckWithNotes(a.core, 'Offline', 2);
      const before = a.core.ctx.db.prepare('SELECT count(*) FROM sync_outbox').pluck().get();
      const down = { url: 'http://127.0.0.1:9', database: 'cadence' };
      await expect(a.sync.syncNow(down)).rejects.toThrow(
        'Cadence could not reach the sync server at 127.0.0.1:9. Check that it is running and that this computer is online, then try again. Nothing was changed; your collection is as it was.',
      );
      expect(a.core.ctx.db.prepare('SELECT count(*) FROM sync_outbox').pluck().get()).toBe(before);
      expect(a.sync.store.state().last_error).toMatch(/could not reach the sync server/);
      expect(a.sync.store.state().last_sync_at).toBeNull();
      // A server without the database, and an address that is not HTTPS.
      await expect(a.sync.syncNow({ url: suite.server().url, database: 'no-such-db' })).rejects.toThrow(
        `There is no database called “no-such-db” on the sync server at 127.0.0.1:${suite.server().port}. Create it there first`,
      );
      await expect(a.sync.syncNow({ url: 'http://couch.example.org', database: 'cadence' })).rejects.toThrow(/must be reached over HTTPS/);
    },
    60_000,
  );
});
