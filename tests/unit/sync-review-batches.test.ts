// Reviews travel in batches: a handful of immutable documents, each review in them still known by its
// identity (note GUID, template, answered at, rating), so every review is kept exactly once on every
// machine: from a copy of the collection, beside the documents of Cadence versions that sent one
// document per review, and after an undo made elsewhere.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncTarget } from '../../electron/core/sync/target';
import { deckWithNotes, fakeClock, makeTestCore, tempDir } from './testCore';
import { collectionOf, reviewsOf, syncFor, syncSuite, type Machine } from './syncEngine';

const suite = syncSuite('batches');

async function serverDocs(target: SyncTarget): Promise<{ id: string; doc: Record<string, unknown> }[]> {
  const res = await fetch(`${target.url}/${target.database}/_all_docs?include_docs=true`);
  return ((await res.json()) as { rows: { id: string; doc: Record<string, unknown> }[] }).rows;
}

/** The collection copied to another computer (as a backup restored there, or the file carried over). */
async function copyOf(m: Machine, batchSize: number): Promise<Machine> {
  const dataDir = tempDir();
  m.core.ctx.db.exec(`VACUUM INTO '${path.join(dataDir, path.relative(m.core.dataDir, m.core.ctx.paths.dbFile))}'`);
  const core = await makeTestCore({ dataDir, clock: fakeClock(m.core.clock.now()) });
  return { core, sync: syncFor(core, batchSize) };
}

const cardOf = (m: Machine, guid: string) =>
  m.core.ctx.db.prepare('SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = ? AND c.ord = 0').pluck().get(guid) as number;

describe('reviews synced in batches', () => {
  it(
    'sends a collection’s reviews in one document per thousand, and the other machine gets each review once with the same schedule',
    async () => {
      const target = await suite.target();
      const a = await suite.machine(7);
      const b = await suite.machine(7);
      const { cardIds } = await deckWithNotes(a.core, 'Risk', 30);
      for (let round = 0; round < 3; round++) {
        for (const cardId of cardIds) await a.core.call('study.answer', { cardId, rating: round === 1 ? 1 : 3, durationMs: 2500 });
        a.core.clock.advance(86_400_000);
      }
      await a.sync.syncNow(target);
      const docs = await serverDocs(target);
      // A deck, 30 notes, and the 90 reviews in one batch (one document each would be 121).
      expect(docs).toHaveLength(32);
      expect(docs.filter((d) => d.id.startsWith('reviews:'))).toHaveLength(1);

      await b.sync.syncNow(target);
      expect(reviewsOf(b)).toHaveLength(90);
      expect(collectionOf(b)).toEqual(collectionOf(a));
    },
    60_000,
  );

  it(
    'keeps every review once when a copied collection syncs from two computers, and an undo on one takes its review back everywhere for good',
    async () => {
      const target = await suite.target();
      const a = await suite.machine(5);
      const b = await suite.machine(5);
      const { cardIds } = await deckWithNotes(a.core, 'Scrum', 3);
      for (const cardId of cardIds) await a.core.call('study.answer', { cardId, rating: 3, durationMs: 2000 });
      const copy = await copyOf(a, 5);
      try {
        a.core.clock.advance(60_000);
        await a.core.call('study.answer', { cardId: cardIds[0]!, rating: 1, durationMs: 2000 });
        // The copy holds that answer too (copied after it): both send it, in batches of their own.
        const c = await copyOf(a, 5);
        try {
          await a.sync.syncNow(target);
          await b.sync.syncNow(target);
          expect(reviewsOf(b)).toEqual(reviewsOf(a));
          expect(reviewsOf(b)).toHaveLength(4);

          // A takes the last answer back after it was sent; C (the copy) has not synced yet and still holds it.
          a.core.clock.advance(60_000);
          await a.core.call('study.undo');
          expect(reviewsOf(a)).toHaveLength(3);
          for (const m of [a, b, c, copy, a, b]) await m.sync.syncNow(target);

          const kept = reviewsOf(a);
          expect(kept).toHaveLength(3);
          for (const m of [b, c, copy]) {
            expect(reviewsOf(m)).toEqual(kept);
            expect(collectionOf(m)).toEqual(collectionOf(a));
          }
          // The card is back where it was before the answer, on every machine.
          const guid = a.core.ctx.db.prepare('SELECT n.guid FROM notes n JOIN cards c ON c.note_id = n.id WHERE c.id = ?').pluck().get(cardIds[0]!) as string;
          for (const m of [b, c]) expect(m.core.ctx.db.prepare('SELECT reps FROM cards WHERE id = ?').pluck().get(cardOf(m, guid))).toBe(1);
        } finally {
          await c.sync.close();
          c.core.close();
        }
      } finally {
        await copy.sync.close();
        copy.core.close();
      }
    },
    90_000,
  );

  it(
    'reads reviews that Cadence versions before batches sent one document each, and takings back sent that way, never counting a review twice',
    async () => {
      const target = await suite.target();
      const a = await suite.machine();
      const b = await suite.machine();
      const { cardIds } = await deckWithNotes(a.core, 'Kanban', 2);
      await a.core.call('study.answer', { cardId: cardIds[0]!, rating: 3, durationMs: 2000 });
      a.core.clock.advance(60_000);
      await a.core.call('study.answer', { cardId: cardIds[1]!, rating: 4, durationMs: 2000 });
      await a.sync.syncNow(target);
      const [first, second] = reviewsOf(a).sort((x, y) => Number(x.split(':')[2]) - Number(y.split(':')[2]));
      const [guid, ord] = first!.split(':');

      // An older Cadence elsewhere sent the same first review as a document of its own, a review made
      // there, and took the second back (a tombstone under its identity).
      const made = a.core.clock.now() + 3_600_000;
      const old = (id: string, body: object) => ({ _id: `review:${id}`, editedAt: made, device: 'older', ...body });
      const res = await fetch(`${target.url}/${target.database}/_bulk_docs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          docs: [
            old(first!, { type: 'review', note: `note:${guid}`, ord: Number(ord), reviewedAt: Number(first!.split(':')[2]), rating: 3, durationMs: 2000 }),
            old(`${guid}:${ord}:${made}:2`, { type: 'review', note: `note:${guid}`, ord: Number(ord), reviewedAt: made, rating: 2, durationMs: 5000 }),
            old(second!, { type: 'review', note: '', ord: 0, reviewedAt: 0, rating: 0, durationMs: 0, deleted: true }),
          ],
        }),
      });
      expect(res.ok).toBe(true);

      await b.sync.syncNow(target);
      await a.sync.syncNow(target);
      const expected = [first!, `${guid}:${ord}:${made}:2`].sort();
      expect(reviewsOf(a)).toEqual(expected);
      expect(reviewsOf(b)).toEqual(expected);
      expect(collectionOf(b)).toEqual(collectionOf(a));
    },
    60_000,
  );

  it(
    'sends everything to a server that takes only small requests, in smaller requests',
    async () => {
      const target = await suite.target();
      const config = `${suite.server().url}/_config/couchdb/max_document_size`;
      const limit = async (bytes: number) => expect((await fetch(config, { method: 'PUT', body: JSON.stringify(String(bytes)) })).ok).toBe(true);
      const a = await suite.machine(40);
      const b = await suite.machine(40);
      const { cardIds } = await deckWithNotes(a.core, 'Lean portfolio management', 40);
      for (const cardId of cardIds) await a.core.call('study.answer', { cardId, rating: 3, durationMs: 2000 });
      // Forty notes in one request are far more than 8 KB; the batch of forty reviews alone is less.
      await limit(8000);
      try {
        await a.sync.syncNow(target);
      } finally {
        await limit(4 * 1024 ** 3);
      }
      expect(a.sync.store.state().last_error).toBeNull();
      await b.sync.syncNow(target);
      expect(collectionOf(b)).toEqual(collectionOf(a));
      expect(reviewsOf(b)).toHaveLength(40);
    },
    60_000,
  );

  it(
    'brings a note deleted here and edited later elsewhere back with the reviews its batch carried',
    async () => {
      const target = await suite.target();
      const a = await suite.machine();
      const b = await suite.machine();
      const { cardIds } = await deckWithNotes(a.core, 'Stakeholders', 2);
      for (const cardId of cardIds) await a.core.call('study.answer', { cardId, rating: 3, durationMs: 2000 });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      const noteIdOf = (m: Machine) => m.core.ctx.db.prepare('SELECT min(id) FROM notes').pluck().get() as number;
      const guid = a.core.ctx.db.prepare('SELECT guid FROM notes WHERE id = ?').pluck().get(noteIdOf(a)) as string;

      b.core.clock.advance(60_000);
      await b.core.call('notes.delete', { ids: [b.core.ctx.db.prepare('SELECT id FROM notes WHERE guid = ?').pluck().get(guid) as number] });
      expect(reviewsOf(b)).toHaveLength(1);
      a.core.clock.advance(120_000); // A's edit is the newer: the note stays, with its review
      await a.core.call('notes.update', { id: noteIdOf(a), fields: ['Who is a stakeholder?', 'Anyone affected (edited on A)'] });
      for (const m of [b, a, b]) await m.sync.syncNow(target);

      expect(reviewsOf(b)).toEqual(reviewsOf(a));
      expect(reviewsOf(b)).toHaveLength(2);
      expect(collectionOf(b)).toEqual(collectionOf(a));
    },
    60_000,
  );

  it(
    'makes a card new again on the other machine when its only answer is taken back',
    async () => {
      const target = await suite.target();
      const a = await suite.machine();
      const b = await suite.machine();
      const { cardIds } = await deckWithNotes(a.core, 'Estimation', 1);
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      await a.core.call('study.answer', { cardId: cardIds[0]!, rating: 4, durationMs: 2000 });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      const stateOf = (m: Machine) => m.core.ctx.db.prepare('SELECT state, reps, stability FROM cards').get();
      expect(stateOf(b)).toEqual(stateOf(a));
      expect(stateOf(b)).not.toEqual({ state: 0, reps: 0, stability: 0 });

      await a.core.call('study.undo');
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      expect(reviewsOf(b)).toEqual([]);
      expect(stateOf(a)).toEqual({ state: 0, reps: 0, stability: 0 });
      expect(stateOf(b)).toEqual(stateOf(a));
    },
    60_000,
  );
});
