// A document one side refuses must not stop every later sync, nor vanish: it is set aside, named in
// plain words, tried again at each sync, and comes in once it can. Everything else syncs meanwhile.
import { describe, expect, it } from 'vitest';
import { deckWithNotes } from './testCore';
import { syncSuite, type Machine } from './syncEngine';

const suite = syncSuite('refused');
const machine = suite.machine;

function fieldsOf(m: Machine): string[] {
  return (m.core.ctx.db.prepare('SELECT fields FROM notes ORDER BY fields').pluck().all() as string[]).map((f) => (JSON.parse(f) as string[])[0]!);
}
const reviewCount = (m: Machine) => m.core.ctx.db.prepare('SELECT count(*) FROM revlog').pluck().get() as number;

async function put(target: { url: string; database: string }, doc: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${target.url}/${target.database}/${encodeURIComponent(doc._id as string)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(doc),
  });
  const body = (await res.json()) as { rev?: string; reason?: string };
  if (!res.ok) throw new Error(`PUT ${String(doc._id)}: ${res.status} ${body.reason}`);
  return body.rev!;
}

describe('a document one side refuses', () => {
  it(
    'is set aside and named when this collection cannot apply it, while everything else syncs, and comes in with its review once it can',
    async () => {
      const target = await suite.target();
      const a = await machine(3);
      const b = await machine(3);
      const { cardIds } = await deckWithNotes(a.core, 'Governance', 4);
      for (const id of cardIds) await a.core.call('study.answer', { cardId: id, rating: 3, durationMs: 1000 });
      await a.sync.syncNow(target);
      const deckDoc = a.core.ctx.db.prepare("SELECT doc_id FROM sync_ids WHERE kind = 'deck'").pluck().get() as string;

      // A note written by something else (a broken copy of the app, a hand edit on the server): a Cloze
      // note without a cloze, which Cadence refuses to save, and a review of it.
      const broken = {
        type: 'note', noteType: 3, fields: ['Which artefact holds the sprint goal?', ''], tags: [], format: 'markdown',
        cards: [{ ord: 0, deck: deckDoc, suspended: false, flag: 0 }], editedAt: Date.parse('2026-03-02T10:30:00Z'), device: 'ffff',
      };
      const rev = await put(target, { _id: 'note:brokenguid01', ...broken });
      await put(target, {
        _id: 'review:brokenguid01:0:1772447400000:3', type: 'review', note: 'note:brokenguid01', ord: 0, reviewedAt: 1772447400000,
        rating: 3, durationMs: 1000, editedAt: 1772447400000, device: 'ffff',
      });

      const first = await b.sync.syncNow(target);
      expect(fieldsOf(b)).toEqual(fieldsOf(a)); // the four good notes arrived
      expect(reviewCount(b)).toBe(4);
      expect(first.refused.map((r) => [r.docId, r.direction, r.label])).toEqual([
        ['note:brokenguid01', 'in', 'Note “Which artefact holds the sprint goal?”'],
        ['review:brokenguid01:0:1772447400000:3', 'in', 'Review of 2026-03-02'],
      ]);
      expect(first.refused[1]!.reason).toBe('it belongs to Note “Which artefact holds the sprint goal?”, which was set aside');
      const status = b.sync.store.state();
      expect(status.last_sync_at).not.toBeNull();
      expect(status.last_error).toMatch(/^Everything else synced, but 2 changes were set aside and will be tried again at the next sync\. Note “Which artefact holds the sprint goal\?”: /);

      // Later syncs are not stopped by it: a note made on A afterwards arrives.
      await a.core.call('notes.create', { noteTypeId: 1, deckId: a.core.ctx.db.prepare('SELECT id FROM decks').pluck().get() as number, fields: ['Added later', 'x'] });
      await a.sync.syncNow(target);
      const second = await b.sync.syncNow(target);
      expect(fieldsOf(b)).toContain('Added later');
      expect(second.refused).toHaveLength(2);

      // Mended on the server: the next sync brings the note and its review in, and the list empties.
      await put(target, { _id: 'note:brokenguid01', _rev: rev, ...broken, fields: ['Which artefact holds the {{c1::sprint goal}}?', ''], editedAt: broken.editedAt + 1000 });
      const third = await b.sync.syncNow(target);
      expect(third.refused).toEqual([]);
      expect(b.sync.store.state().last_error).toBeNull();
      expect(fieldsOf(b)).toContain('Which artefact holds the {{c1::sprint goal}}?');
      expect(reviewCount(b)).toBe(5);
      // And A, which never refused it, ends the same.
      await a.sync.syncNow(target);
      expect(fieldsOf(a)).toEqual(fieldsOf(b));
      expect(reviewCount(a)).toBe(5);
    },
    90_000,
  );

  it(
    'is listed when the server turns it down, while the rest reaches the other machine, and is sent once it is accepted',
    async () => {
      const target = await suite.target();
      // The server's own rule (a validate function, as CouchDB runs them): no notes marked private.
      await put(target, {
        _id: '_design/rules',
        validate_doc_update: `function (doc) { if (doc.type === 'note' && doc.tags && doc.tags.indexOf('private') >= 0) throw { forbidden: 'private notes are not kept on this server' }; }`,
      });
      const a = await machine();
      const b = await machine();
      const { deck } = await deckWithNotes(a.core, 'Stakeholders', 2);
      const secret = await a.core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Salary bands', 'x'], tags: ['private'] });

      const first = await a.sync.syncNow(target);
      expect(first.refused).toEqual([
        expect.objectContaining({ docId: `note:${secret.note.guid}`, direction: 'out', label: 'Note “Salary bands”', reason: 'the sync server refused it (“private notes are not kept on this server”)' }),
      ]);
      expect(a.sync.store.state().last_error).toMatch(/set aside.*Note “Salary bands”: the sync server refused it/);
      await b.sync.syncNow(target);
      expect(fieldsOf(b)).toEqual(['Stakeholders question 0', 'Stakeholders question 1']);

      // Still listed at the next sync (not forgotten once the replication moved past it).
      expect((await a.sync.syncNow(target)).refused).toHaveLength(1);

      a.core.clock.advance(60_000);
      await a.core.call('notes.update', { id: secret.note.id, fields: ['Salary bands', 'x'], tags: [] });
      const again = await a.sync.syncNow(target);
      expect(again.refused).toEqual([]);
      expect(a.sync.store.state().last_error).toBeNull();
      await b.sync.syncNow(target);
      expect(fieldsOf(b)).toEqual(['Salary bands', 'Stakeholders question 0', 'Stakeholders question 1']);
    },
    90_000,
  );
});
