// Imports leave the substring index (field searches, wildcards inside a word) to a fill that runs after
// them, in short steps between requests (electron/core/flashcards/searchIndexFill.ts). What a user
// notices: imported notes are found at once, while the index is filled and after; edits and deletes
// meanwhile keep search right; a fill cut short by a quit carries on at the next start; an import that
// does not finish leaves nothing behind; the collection passes its integrity check throughout.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inTransaction } from '../../electron/core/transfer/importCommon';
import { makeSubstringFill } from '../../electron/core/flashcards/searchIndexFill';
import { trigramQuery } from '../../electron/core/flashcards/search';
import { makeTestCore, type TestCore } from './testCore';
import { expectFronts, importTermsCsv, searchFronts } from './search-fixtures';
import { legacyPackage, sampleCollection } from './transfer-fixtures';

let core: TestCore;
afterEach(() => core?.close());

const importCsv = (text: string, jobId?: string) => importTermsCsv(core, text, jobId);
const search = (text: string) => searchFronts(core, text);

const waiting = () => core.ctx.db.prepare('SELECT count(*) FROM notes_text_pending').pluck().get() as number;
/** The background fill, unasked, leaves no note waiting. */
const filledByItself = () => vi.waitFor(() => expect(waiting()).toBe(0), { timeout: 20_000, interval: 20 });
/** The notes the substring index itself names for text containing `run` (before any exact test). */
const inIndex = (run: string) =>
  core.ctx.db.prepare('SELECT rowid FROM notes_text WHERE notes_text MATCH ? ORDER BY rowid').pluck().all(trigramQuery(run)) as number[];
const noteId = (sortField: string) => core.ctx.db.prepare('SELECT id FROM notes WHERE sort_field = ?').pluck().get(sortField) as number;
/** SQLite's own check (the index's tables included) and FTS5's check of the index's structure. */
function checkIntegrity(): string {
  core.ctx.db.prepare("INSERT INTO notes_text (notes_text) VALUES ('integrity-check')").run();
  return core.ctx.db.pragma('integrity_check', { simple: true }) as string;
}

/** 1,500 notes, about 240 KB of text (more than one step of the fill), then a few to search for. */
const BULK = Array.from({ length: 1500 }, (_, i) => `Term ${i},Meaning number ${i} ${'with a longer explanation '.repeat(5)},bulk`);
const SPECIAL = ['Velocity,Work finished per sprint,agile', 'Burndown,Remaining effort over time,charts', 'Café crème,Naïve <b>estimate</b>,lean'];

/** Searches that read the substring index, with what they find once the file above is imported. */
const EXPECTED: Record<string, string[]> = {
  'back:"*per sprint*"': ['Velocity'],
  'rem*ing': ['Burndown'],
  'front:*café*': ['Café crème'],
  'back:*<b>estim*': ['Café crème'],
  'back:"naïve_<b>*"': ['Café crème'],
  'front:term_7': ['Term 7'],
  'back:"*number 1499 *"': ['Term 1499'],
  'front:*retro*': ['Retrospective'],
  'front:*spective*': ['Retrospective'],
  'back:"*work finished*" or front:*burn*': ['Burndown', 'Velocity'],
  'back:"*sprint per*"': [],
};
const expectSearchesRight = (expected = EXPECTED) => expectFronts(core, expected);

describe('the substring index after an import', () => {
  it('finds imported notes at once, while the index is filled and after; edits and deletes meanwhile keep search right', async () => {
    core = await makeTestCore({ searchFill: false });
    const deckId = (await core.call('decks.create', { name: 'Mine', parentId: null })).id;
    await core.call('notes.create', { noteTypeId: 1, deckId, fields: ['Retrospective', 'Inspect and adapt'], tags: [] });
    expect(waiting()).toBe(0);

    const summary = await importCsv([...BULK, ...SPECIAL].join('\n'));
    expect(summary.notes.added).toBe(1503);
    // The import's transaction listed its notes as waiting instead of indexing them.
    expect(waiting()).toBe(1503);
    expect(inIndex('per sprint')).toEqual([]);
    expect(inIndex('spective')).toEqual([noteId('Retrospective')]);
    await expectSearchesRight();
    expect(checkIntegrity()).toBe('ok');

    // Part of the way: the first notes indexed, the rest (the last three among them) still waiting.
    const fill = makeSubstringFill(core.ctx.db);
    const first = fill.step();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(1500);
    expect(fill.waiting()).toBe(1503 - first);
    expect(inIndex('number 0 ')).toEqual([noteId('Term 0')]);
    await expectSearchesRight();

    // Edited and deleted while waiting: found by the new text only, and not at all.
    await core.call('notes.update', { id: noteId('Burndown'), fields: ['Burndown', 'Work left over time'] });
    await core.call('notes.delete', { ids: [noteId('Velocity')] });
    const afterEdits = { ...EXPECTED, 'rem*ing': [], 'back:"*per sprint*"': [], 'back:*left*': ['Burndown'], 'back:"*work finished*" or front:*burn*': ['Burndown'] };
    await expectSearchesRight(afterEdits);

    await core.searchIndexed();
    expect(waiting()).toBe(0);
    expect(inIndex('left over')).toEqual([noteId('Burndown')]);
    expect(inIndex('remaining')).toEqual([]);
    expect(inIndex('per sprint')).toEqual([]);
    expect(inIndex('number 1499 ')).toEqual([noteId('Term 1499')]);
    await expectSearchesRight(afterEdits);
    expect(checkIntegrity()).toBe('ok');

    // Filled, the index alone decides which notes are read: one taken out of it is no longer found.
    core.ctx.db.prepare('DELETE FROM notes_text WHERE rowid = ?').run(noteId('Café crème'));
    expect(await search('front:*café*')).toEqual([]);
  });

  it('fills the index by itself after an import, an Anki package included', async () => {
    core = await makeTestCore();
    await core.searchIndexed(); // the look at the start has found nothing waiting, and stopped
    await importCsv([...BULK, ...SPECIAL].join('\n'));
    await core.call('import.anki', { stagedId: (await core.call('files.stage', { name: 'deck.apkg', bytes: new Uint8Array(legacyPackage(sampleCollection())) })).stagedId, jobId: 'apkg' });
    await filledByItself();
    expect(inIndex('per sprint')).toContain(noteId('Velocity'));
    expect(inIndex('is a sprint')).toContain(noteId('What is a sprint?'));
    expect(await search('front:"*a sprint*"')).toEqual(['What is a sprint?']);
    expect(checkIntegrity()).toBe('ok');
  });

  it('carries on after a quit in the middle of the fill, at the next start', async () => {
    core = await makeTestCore({ searchFill: false });
    const dataDir = core.dataDir;
    await importCsv([...BULK, ...SPECIAL].join('\n'));
    makeSubstringFill(core.ctx.db).step();
    const left = waiting();
    expect(left).toBeGreaterThan(0);
    core.close();

    core = await makeTestCore({ dataDir });
    // Found while the rest is indexed, and indexed without being asked.
    expect(await search('back:"*per sprint*"')).toEqual(['Velocity']);
    await filledByItself();
    expect(inIndex('per sprint')).toEqual([noteId('Velocity')]);
    await expectSearchesRight({ ...EXPECTED, 'front:*retro*': [], 'front:*spective*': [] });
    expect(checkIntegrity()).toBe('ok');
  });

  it('lists notes as waiting in the import’s own transaction: an import that fails lists none', async () => {
    core = await makeTestCore({ searchFill: false });
    const db = core.ctx.db;
    const insert = (guid: string) =>
      db.prepare("INSERT INTO notes (guid, note_type_id, fields, tags, created_at, updated_at) VALUES (?, 1, '[\"Kept\",\"row\"]', '', 0, 0)").run(guid);
    await expect(
      inTransaction(db, async () => {
        insert('doomed');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(waiting()).toBe(0);
    await inTransaction(db, async () => void insert('kept'));
    expect(db.prepare('SELECT note_id FROM notes_text_pending').pluck().all()).toEqual([db.prepare("SELECT id FROM notes WHERE guid = 'kept'").pluck().get()]);
  });
});
