// End-to-end encryption of synced documents: the server holds only ids and ciphertext, a second
// computer with the passphrase converges, and the wrong passphrase or a mixed database is refused
// in words with nothing changed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deckWithNotes, type TestCore } from './testCore';
import { syncSuite } from './syncEngine';

const suite = syncSuite('e2ee');
const core = async (): Promise<TestCore> => (await suite.machine()).core;
const PASSPHRASE = 'velvet kanban harbour';

/** Every document on the server as it stores it, read over HTTP (not through Cadence). */
async function serverDocs(database: string): Promise<{ id: string; doc: Record<string, unknown> }[]> {
  const res = await fetch(`${suite.server().url}/${database}/_all_docs?include_docs=true`);
  const body = (await res.json()) as { rows: { id: string; doc: Record<string, unknown> }[] };
  return body.rows.map((r) => ({ id: r.id, doc: r.doc }));
}

function notesOf(c: TestCore) {
  return c.ctx.db.prepare('SELECT guid, fields, tags FROM notes ORDER BY guid').all();
}
function reviewsOf(c: TestCore) {
  return c.ctx.db.prepare('SELECT n.guid, r.reviewed_at, r.rating FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id ORDER BY 1, 2').all();
}

describe('end-to-end encrypted sync', () => {
  it('leaves only ids and ciphertext on the server, and a second computer with the passphrase converges', async () => {
    const { url, database } = await suite.target();
    const a = await core();
    const status = await a.call('sync.configure', { url, database, username: '', passphrase: PASSPHRASE });
    expect(status.encrypted).toBe(true);
    expect(JSON.stringify(status)).not.toContain(PASSPHRASE);
    const file = path.join(a.dataDir, 'sync-passphrase');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const { cardIds } = await deckWithNotes(a, 'Confidential retros', 3);
    await a.call('study.answer', { cardId: cardIds[0]!, rating: 3, durationMs: 3000 });
    expect((await a.call('sync.now')).sent).toBe(5); // a deck, three notes, a review

    const docs = await serverDocs(database);
    expect(docs.map((d) => d.id)).toContain('cadence-encryption');
    const records = docs.filter((d) => d.id !== 'cadence-encryption');
    expect(records).toHaveLength(5);
    const onServer = JSON.stringify(docs);
    for (const secret of ['Confidential retros', 'question', 'answer', '"note"', '"deck"', '"review"', 'fields', 'editedAt']) expect(onServer).not.toContain(secret);
    for (const { doc } of records) expect(Object.keys(doc).filter((k) => !k.startsWith('_'))).toEqual(['e2e']);

    const b = await core();
    await b.call('sync.configure', { url, database, username: '', passphrase: PASSPHRASE });
    expect((await b.call('sync.now')).received).toBe(5);
    expect(notesOf(b)).toEqual(notesOf(a));
    expect(reviewsOf(b)).toEqual(reviewsOf(a));

    // And back: an edit made on B reaches A through the ciphertext.
    const noteB = b.ctx.db.prepare('SELECT id FROM notes ORDER BY id').pluck().get() as number;
    b.clock.advance(60_000);
    await b.call('notes.update', { id: noteB, fields: ['Confidential retros question 0', 'Edited on the second computer'] });
    await b.call('sync.now');
    await a.call('sync.now');
    expect(notesOf(a)).toEqual(notesOf(b));
    expect(JSON.stringify(await serverDocs(database))).not.toContain('Edited on the second computer');
  }, 90_000);

  it('refuses the wrong passphrase, or none, on a second computer in words, and changes nothing there', async () => {
    const { url, database } = await suite.target();
    const a = await core();
    await a.call('sync.configure', { url, database, username: '', passphrase: PASSPHRASE });
    await deckWithNotes(a, 'Scrum', 2);
    await a.call('sync.now');

    const b = await core();
    await deckWithNotes(b, 'Kept here', 1);
    const before = notesOf(b);
    await b.call('sync.configure', { url, database, username: '', passphrase: 'velvet kanban harbor' });
    const wrong = await b.fail('sync.now', {});
    expect(wrong.message).toMatch(/^That passphrase does not open the encrypted database “e2ee-\d+”.*Nothing was changed\.$/);
    let status = await b.call('sync.status');
    expect(status).toMatchObject({ lastError: wrong.message, problem: 'the passphrase is wrong', lastSyncAt: null });

    await b.call('sync.configure', { url, database, username: '', passphrase: '' });
    expect((await b.call('sync.status')).encrypted).toBe(false);
    expect(fs.existsSync(path.join(b.dataDir, 'sync-passphrase'))).toBe(false);
    const none = await b.fail('sync.now', {});
    expect(none.message).toMatch(/end-to-end encrypted\. Enter the passphrase used on your other computers in Settings → Sync/);
    status = await b.call('sync.status');
    expect(status.problem).toBe('the server is encrypted: enter its passphrase');

    expect(notesOf(b)).toEqual(before);
    expect(b.ctx.db.prepare('SELECT count(*) FROM sync_revs').pluck().get()).toBe(0);
    // Only A's documents on the server: B sent nothing.
    expect((await serverDocs(database)).length).toBe(1 + 3);

    // The right passphrase: both collections, merged.
    await b.call('sync.configure', { url, database, username: '', passphrase: PASSPHRASE });
    await b.call('sync.now');
    await a.call('sync.now');
    expect(notesOf(a)).toEqual(notesOf(b));
    expect(notesOf(a)).toHaveLength(3);
  }, 90_000);

  it('refuses to encrypt into a database holding plain documents, and encrypts everything afresh into a new one', async () => {
    const plain = await suite.target();
    const a = await core();
    await a.call('sync.configure', { url: plain.url, database: plain.database, username: '' });
    await deckWithNotes(a, 'Stakeholder map', 2);
    await a.call('sync.now');
    const plainDocs = await serverDocs(plain.database);
    expect(JSON.stringify(plainDocs)).toContain('Stakeholder map');

    await a.call('sync.configure', { url: plain.url, database: plain.database, username: '', passphrase: PASSPHRASE });
    const refused = await a.fail('sync.now', {});
    expect(refused.message).toMatch(/already holds documents that are not encrypted.*sync to a new, empty database/);
    expect(await serverDocs(plain.database)).toEqual(plainDocs);

    // A new, empty database: the whole collection goes there sealed, though it was sent in the clear before.
    const sealed = await suite.target();
    await a.call('sync.configure', { url: sealed.url, database: sealed.database, username: '', passphrase: PASSPHRASE });
    expect((await a.call('sync.now')).sent).toBe(3);
    const docs = await serverDocs(sealed.database);
    expect(docs).toHaveLength(4);
    expect(JSON.stringify(docs)).not.toContain('Stakeholder map');

    const b = await core();
    await b.call('sync.configure', { url: sealed.url, database: sealed.database, username: '', passphrase: PASSPHRASE });
    await b.call('sync.now');
    expect(notesOf(b)).toEqual(notesOf(a));
  }, 90_000);
});
