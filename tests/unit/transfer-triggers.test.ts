// Imports set the search and stats triggers aside while they write and do their work in bulk before
// the commit (electron/core/transfer/deferredTriggers.ts). What a user notices: imported notes are
// found by search, edited ones by their new text only, the Stats page counts imported history, and a
// cancelled or failed import leaves the collection (its schema included) exactly as it was.
import { afterEach, describe, expect, it } from 'vitest';
import type { CsvColumn } from '../../shared/contract/transfer';
import { inTransaction } from '../../electron/core/transfer/importCommon';
import { deferTriggers } from '../../electron/core/transfer/deferredTriggers';
import { makeTestCore, type TestCore } from './testCore';
import { bigCollection, legacyPackage, sampleCollection } from './transfer-fixtures';

let core: TestCore;
afterEach(() => core?.close());

const field = (c: number): CsvColumn => ({ kind: 'field', field: c });
const CSV = { noteTypeId: 1, deckPath: 'Imported', columns: [field(0), field(1), { kind: 'tags' } as CsvColumn] };

async function stage(bytes: string | Uint8Array, name = 'terms.csv') {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : new Uint8Array(bytes);
  return (await core.call('files.stage', { name, bytes: data })).stagedId;
}
async function importCsv(text: string, jobId = 'csv') {
  return core.call('import.csv', { ...CSV, stagedId: await stage(text), jobId });
}
async function search(text: string): Promise<string[]> {
  const rows = (await core.call('browse.search', { text })).rows;
  return rows.map((r) => r.sortField).sort();
}

/** The schema's triggers, and what an import may create for itself (it must leave none behind). */
function schemaState() {
  const db = core.ctx.db;
  return {
    triggers: db.prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all(),
    temporary: db.prepare('SELECT type, name FROM sqlite_temp_master ORDER BY name').all(),
    cacheSize: db.pragma('cache_size', { simple: true }),
    searchConfig: db.prepare("SELECT k, v FROM notes_fts_config WHERE k <> 'hashsize' ORDER BY k").all(),
    hashSize: db.prepare("SELECT v FROM notes_fts_config WHERE k = 'hashsize'").pluck().get() ?? 1024 * 1024,
  };
}

/** What the search index holds for these notes: every term with its column and position. */
function indexEntries(noteIds: number[]) {
  const db = core.ctx.db;
  db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, notes_fts, instance)');
  return db
    .prepare('SELECT doc, col, offset, term FROM temp.search_terms WHERE doc IN (SELECT value FROM json_each(?)) ORDER BY doc, col, offset')
    .all(JSON.stringify(noteIds));
}

const importedIds = () => core.ctx.db.prepare("SELECT id FROM notes WHERE guid NOT LIKE 'starter:%' ORDER BY id").pluck().all() as number[];

describe('imports and search', () => {
  it('finds imported notes by their fields and tags, and changed notes by their new text only', async () => {
    core = await makeTestCore();
    const deckId = (await core.call('decks.create', { name: 'Mine', parentId: null })).id;
    await core.call('notes.create', { noteTypeId: 1, deckId, fields: ['Retrospective', 'Inspect and adapt'], tags: [] });

    await importCsv('Velocity,Work finished per sprint,agile\nBurndown,Remaining effort over time,kanban charts\nWIP limit,Caps work in progress,kanban\n');
    expect(await search('sprint')).toEqual(['Velocity']);
    expect(await search('effort')).toEqual(['Burndown']);
    expect(await search('kanban')).toEqual(['Burndown', 'WIP limit']);
    expect(await search('inspect')).toEqual(['Retrospective']);
    // Field and wildcard searches read the substring index, which the import fills too.
    expect(await search('back:"*per sprint*"')).toEqual(['Velocity']);
    expect(await search('rem*ing')).toEqual(['Burndown']);

    // Updated by first field: the old words are gone from search, the new ones found; tags too.
    const again = await importCsv('Velocity,Story points per iteration,metrics\nBurndown,Remaining effort over time,kanban charts\n', 'csv-2');
    expect(again.notes).toMatchObject({ updated: 1, unchanged: 1 });
    expect(await search('sprint')).toEqual([]);
    expect(await search('iteration')).toEqual(['Velocity']);
    expect(await search('metrics')).toEqual(['Velocity']);
    expect(await search('agile')).toEqual([]);
    expect(await search('effort')).toEqual(['Burndown']);
    expect(await search('back:"*per sprint*"')).toEqual([]);
    expect(await search('back:"*per iteration*"')).toEqual(['Velocity']);
  });

  it('indexes exactly what the per-row triggers would, also for a note added and changed by the same file', async () => {
    core = await makeTestCore();
    await importCsv('Kanban,Visualise the work,flow\nScrum,Sprints of a month or less,framework\n');
    // A note here before (Kanban) changed twice, and one added and then changed by the same file (Lean).
    const rows = [
      'Lean,Eliminate waste,lean',
      'Kanban,Limit work in progress,flow',
      'Kanban,Pull rather than push <b>work</b>,flow pull',
      'Lean,Deliver value with less <i>waste</i>,lean thinking',
      'Scrum,Sprints of a month or less,framework',
    ];
    const summary = await importCsv(rows.join('\n'), 'csv-2');
    expect(summary.notes).toEqual({ added: 1, updated: 3, unchanged: 1, skipped: 0 });
    expect(await search('visualise')).toEqual([]);
    expect(await search('limit')).toEqual([]);
    expect(await search('eliminate')).toEqual([]);
    expect(await search('pull')).toEqual(['Kanban']);
    expect(await search('waste')).toEqual(['Lean']);
    expect(await search('thinking')).toEqual(['Lean']);

    const ids = importedIds();
    expect(ids).toHaveLength(3);
    // The word index is filled after the import, in the background (searchIndexFill.ts).
    await core.searchIndexed();
    const bulk = indexEntries(ids);
    expect(bulk.length).toBeGreaterThan(10);
    // Index the same notes again through the update trigger (tags "changed" to themselves): same entries.
    core.ctx.db.prepare('UPDATE notes SET tags = tags WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids));
    expect(indexEntries(ids)).toEqual(bulk);
  });

  it('leaves the same triggers, nothing temporary, and the usual cache and index settings; later edits keep search right', async () => {
    core = await makeTestCore();
    const before = schemaState();
    await importCsv(Array.from({ length: 1200 }, (_, i) => `Term ${i},Meaning number ${i},bulk`).join('\n'));
    await core.call('import.anki', { stagedId: await stage(legacyPackage(sampleCollection()), 'deck.apkg'), jobId: 'apkg' });
    expect(schemaState()).toEqual(before);
    expect((await core.call('browse.search', { text: 'meaning' })).total).toBe(1200);

    // The triggers are back at work: an edit after the import is searchable at once.
    const id = core.ctx.db.prepare("SELECT id FROM notes WHERE sort_field = 'Term 7'").pluck().get() as number;
    await core.call('notes.update', { id, fields: ['Term 7', 'Rewritten definition'] });
    expect(await search('rewritten')).toEqual(['Term 7']);
    expect((await core.call('browse.search', { text: 'meaning' })).total).toBe(1199);
    const deckId = (await core.call('decks.create', { name: 'After', parentId: null })).id;
    await core.call('notes.create', { noteTypeId: 1, deckId, fields: ['Afterwards', 'Added by hand'], tags: [] });
    expect(await search('hand')).toEqual(['Afterwards']);
  });
});

describe('imports that do not finish', () => {
  async function cancelWhileWriting(channel: 'import.csv' | 'import.anki', input: Record<string, unknown>) {
    const running = core.fail(channel, input);
    while (!core.events.some((e) => e.name === 'transfer.progress' && (e.payload as { phase: string }).phase === 'writing')) {
      await new Promise((r) => setImmediate(r));
    }
    await core.call('transfer.cancel', { jobId: input.jobId as string });
    expect((await running).code).toBe('cancelled');
  }

  it('a cancelled CSV import restores the triggers and leaves nothing in notes, search or schema', async () => {
    core = await makeTestCore();
    const before = schemaState();
    const stagedId = await stage(Array.from({ length: 1500 }, (_, i) => `Cancelled ${i},Never kept ${i},gone`).join('\n'));
    await cancelWhileWriting('import.csv', { ...CSV, stagedId, jobId: 'big' });
    expect(importedIds()).toEqual([]);
    expect(schemaState()).toEqual(before);
    expect(await search('cancelled')).toEqual([]);

    const deckId = (await core.call('decks.create', { name: 'After', parentId: null })).id;
    await core.call('notes.create', { noteTypeId: 1, deckId, fields: ['Kept', 'Written after the cancel'], tags: [] });
    expect(await search('written')).toEqual(['Kept']);
  });

  it('a cancelled Anki import restores the triggers and adds no notes, history or stats marks', async () => {
    core = await makeTestCore();
    const before = schemaState();
    const db = core.ctx.db;
    const stagedId = await stage(legacyPackage(bigCollection(1500)), 'big.apkg');
    await cancelWhileWriting('import.anki', { stagedId, jobId: 'apkg' });
    expect(importedIds()).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM revlog').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM stats_dirty_hours').pluck().get()).toBe(0);
    expect(schemaState()).toEqual(before);
    expect(await search('question')).toEqual([]);
  });

  it('an import that fails part-way rolls back its rows and puts the triggers back', async () => {
    core = await makeTestCore();
    const before = schemaState();
    const db = core.ctx.db;
    await expect(
      inTransaction(db, async () => {
        db.prepare("INSERT INTO notes (guid, note_type_id, fields, tags, created_at, updated_at) VALUES ('x1', 1, '[\"Doomed\",\"row\"]', '', 0, 0)").run();
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(schemaState()).toEqual(before);
    expect(db.prepare("SELECT count(*) FROM notes WHERE guid = 'x1'").pluck().get()).toBe(0);
    expect(await search('doomed')).toEqual([]);
  });
});

describe('imports and the stats cache', () => {
  it('counts imported review history on days the Stats page had already worked out', async () => {
    core = await makeTestCore();
    const col = sampleCollection();
    const sum = (days: { reviews: number }[]) => days.reduce((s, d) => s + d.reviews, 0);
    expect(sum((await core.call('stats.get')).days)).toBe(0); // past days are now cached, all empty
    const summary = await core.call('import.anki', { stagedId: await stage(legacyPackage(col), 'deck.apkg'), jobId: 'apkg' });
    expect(summary.reviewsAdded).toBe(col.revlog.length);
    const answers = core.ctx.db.prepare('SELECT count(*) FROM revlog WHERE rating > 0').pluck().get() as number;
    expect(answers).toBeGreaterThan(0);
    expect(sum((await core.call('stats.get')).days)).toBe(answers);
  });
});

describe('which triggers an import sets aside', () => {
  it('sets aside the search and review-log triggers the schema holds, and only inside a transaction', async () => {
    core = await makeTestCore();
    const db = core.ctx.db;
    expect(() => deferTriggers(db)).toThrow('inside a transaction');
    db.exec('BEGIN');
    try {
      // All of them: a migration that changes one of these triggers must change the bulk step with it.
      expect([...deferTriggers(db).deferred].sort()).toEqual([
        'notes_fts_insert',
        'notes_fts_update',
        'notes_text_insert',
        'notes_text_update',
        'stats_revlog_insert',
        // Sync is not set up: its tracking triggers would do nothing.
        'sync_card_insert',
        'sync_deck_insert',
        'sync_note_insert',
        'sync_review_insert',
      ]);
    } finally {
      db.exec('ROLLBACK');
    }
  });

  it('with sync set up, leaves its tracking in place: every imported note is queued to send', async () => {
    core = await makeTestCore();
    const db = core.ctx.db;
    db.prepare('UPDATE sync_state SET track = 1').run();
    db.exec('BEGIN');
    try {
      expect(deferTriggers(db).deferred.filter((name) => name.startsWith('sync_'))).toEqual([]);
    } finally {
      db.exec('ROLLBACK');
    }
    await importCsv('Velocity,Work finished per sprint,agile\nBurndown,Work left over time,agile\n');
    const queued = db.prepare("SELECT count(*) FROM sync_outbox o JOIN notes n ON n.id = o.local_id WHERE o.kind = 'note' AND n.sort_field IN ('Velocity', 'Burndown')").pluck().get();
    expect(queued).toBe(2);
  });

  it('leaves a trigger it does not know in place, so it still does its own work', async () => {
    core = await makeTestCore();
    const db = core.ctx.db;
    // A different search trigger (indexing only the first field): the import must not replace its work.
    db.exec(`DROP TRIGGER notes_fts_insert;
      CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
        INSERT INTO notes_fts (rowid, fields, tags) VALUES (new.id, new.sort_field, new.tags);
      END;`);
    const before = schemaState();
    await importCsv('Velocity,Work finished per sprint,agile\n');
    expect(await search('velocity')).toEqual(['Velocity']);
    expect(await search('sprint')).toEqual([]);
    expect(schemaState()).toEqual(before);
  });
});
