// A server that turns down a whole request (CouchDB's max_http_request_size, a proxy's body limit: HTTP
// 413) must not stop sync: the batch is sent again in smaller parts, and only a document the server
// refuses on its own is set aside, named in plain words, and sent once the server takes it.
import { describe, expect, it, vi } from 'vitest';
import { deckWithNotes } from './testCore';
import { syncSuite, type Machine } from './syncEngine';

const suite = syncSuite('toolarge');
const machine = suite.machine;

function fieldsOf(m: Machine): string[] {
  return (m.core.ctx.db.prepare('SELECT fields FROM notes ORDER BY fields').pluck().all() as string[]).map((f) => (JSON.parse(f) as string[])[0]!);
}
const reviewCount = (m: Machine) => m.core.ctx.db.prepare('SELECT count(*) FROM revlog').pluck().get() as number;

/** The server's limit on one request's body, in bytes (pouchdb-server applies couchdb/max_document_size to the whole body). */
async function limitRequests(url: string, bytes: number): Promise<void> {
  const res = await fetch(`${url}/_config/couchdb/max_document_size`, { method: 'PUT', body: JSON.stringify(String(bytes)) });
  if (!res.ok) throw new Error(`could not set the request limit: ${res.status}`);
}

describe('a server that refuses a whole request as too large', () => {
  it(
    'gets the batch in smaller parts; the one note too large on its own is set aside, named, and sent once the server takes it',
    async () => {
      const target = await suite.target();
      const a = await machine(40);
      const b = await machine(40);
      const { deck, cardIds } = await deckWithNotes(a.core, 'Roadmaps', 24);
      for (const id of cardIds.slice(0, 10)) await a.core.call('study.answer', { cardId: id, rating: 3, durationMs: 1000 });
      const huge = await a.core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Release plan', 'x'.repeat(12_000)] });
      try {
        await limitRequests(target.url, 6_000);
        const first = await a.sync.syncNow(target);
        expect(first.refused.map((r) => [r.docId, r.direction, r.label])).toEqual([[`note:${huge.note.guid}`, 'out', 'Note “Release plan”']]);
        expect(first.refused[0]!.reason).toBe('the sync server refused it as too large to take in one request (its limit on a request’s size is lower than this record)');
        expect(a.sync.store.state().last_error).toMatch(/^Everything else synced, but one change was set aside and will be tried again at the next sync\. Note “Release plan”: the sync server refused it as too large/);

        // Everything else reached the server: B gets every other note and every review.
        await b.sync.syncNow(target);
        expect(fieldsOf(b)).toEqual(fieldsOf(a).filter((f) => f !== 'Release plan'));
        expect(reviewCount(b)).toBe(10);

        // Later changes still go, and the refused note stays listed. It is offered once, on its own: the
        // changes go the way this server took them, not through requests made smaller and smaller again.
        await a.core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Added later', 'y'] });
        const warnings = vi.spyOn(a.core.ctx.log, 'warn');
        expect((await a.sync.syncNow(target)).refused).toHaveLength(1);
        expect(warnings.mock.calls.map(([message]) => message).filter((m) => /too large/.test(m))).toEqual([]);
        warnings.mockRestore();
        await b.sync.syncNow(target);
        expect(fieldsOf(b)).toContain('Added later');
      } finally {
        await limitRequests(target.url, 4 * 1024 * 1024);
      }
      // The server's limit raised: the note goes, and the list empties.
      const last = await a.sync.syncNow(target);
      expect(last.refused).toEqual([]);
      expect(a.sync.store.state().last_error).toBeNull();
      await b.sync.syncNow(target);
      expect(fieldsOf(b)).toEqual(fieldsOf(a));
    },
    120_000,
  );
});
