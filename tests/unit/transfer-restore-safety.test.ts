// A backup file is someone else's database until proven otherwise: one whose schema is not exactly the
// one Cadence builds (a planted trigger, a view, a changed trigger body) is refused before anything
// changes, so no SQL from the file ever runs against the live collection.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from './testCore';
import { legacyPackage, sampleCollection } from './transfer-fixtures';

let core: TestCore;
afterEach(() => core?.close());

const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

async function stage(bytes: Uint8Array) {
  return (await core.call('files.stage', { name: 'backup.zip', bytes: new Uint8Array(bytes) })).stagedId;
}

function state() {
  const db = core.ctx.db;
  return {
    notes: db.prepare('SELECT guid, fields FROM notes ORDER BY guid').all(),
    cards: (db.prepare('SELECT count(*) AS n FROM cards').get() as { n: number }).n,
    decks: db.prepare('SELECT id, name FROM decks ORDER BY id').all(),
    schema: db.prepare("SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name").all(),
    media: fs.existsSync(core.ctx.paths.mediaDir) ? fs.readdirSync(core.ctx.paths.mediaDir).sort() : [],
  };
}

/** A real backup of the current collection with its database changed by `tamper`, checksums redone. */
async function tamperedBackup(tamper: (db: Database.Database) => void): Promise<Uint8Array> {
  const out = await core.call('collection.export', {});
  const files = unzipSync(fs.readFileSync(path.join(core.ctx.paths.exportsDir, out.downloadName)));
  const db = new Database(Buffer.from(files['collection.sqlite']!));
  tamper(db);
  files['collection.sqlite'] = new Uint8Array(db.serialize());
  db.close();
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
  const listed = Object.entries(files)
    .filter(([name]) => name !== 'manifest.json')
    .map(([name, bytes]) => ({ path: name, size: bytes.length, sha256: sha(bytes) }));
  const zip: Zippable = { ...files, 'manifest.json': new TextEncoder().encode(JSON.stringify({ ...manifest, files: listed })) };
  return zipSync(zip);
}

async function withNotes() {
  core = await makeTestCore();
  const { stagedId } = await core.call('files.stage', { name: 'deck.apkg', bytes: new Uint8Array(legacyPackage(sampleCollection())) });
  await core.call('import.anki', { stagedId, jobId: 'imp' });
}

describe('restoring a backup whose schema Cadence did not make', () => {
  it('refuses a planted trigger and changes nothing', async () => {
    await withNotes();
    const bomb = await tamperedBackup((db) => db.exec('CREATE TRIGGER wipe AFTER INSERT ON revlog BEGIN DELETE FROM notes; END;'));
    // The media folder is emptied so a restore would add files: none may be left behind.
    for (const f of fs.readdirSync(core.ctx.paths.mediaDir)) fs.rmSync(path.join(core.ctx.paths.mediaDir, f));
    const before = state();
    const failure = await core.fail('collection.restore', { stagedId: await stage(bomb) });
    expect(failure.code).toBe('unsupported');
    expect(failure.message).toContain('structure Cadence did not make (trigger "wipe")');
    expect(failure.message).toContain('Nothing was changed.');
    expect(state()).toEqual(before);
    // Studying still works and deletes nothing.
    expect(state().notes.length).toBeGreaterThan(0);
  });

  it('refuses a view', async () => {
    await withNotes();
    const withView = await tamperedBackup((db) => db.exec('CREATE VIEW peek AS SELECT * FROM notes;'));
    const before = state();
    const failure = await core.fail('collection.restore', { stagedId: await stage(withView) });
    expect(failure.message).toContain('view "peek"');
    expect(state()).toEqual(before);
  });

  it('refuses one of its own triggers with a different body', async () => {
    await withNotes();
    const trigger = core.ctx.db.prepare<[], { name: string; tbl_name: string }>("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY name LIMIT 1").get()!;
    const swapped = await tamperedBackup((db) =>
      db.exec(`DROP TRIGGER "${trigger.name}"; CREATE TRIGGER "${trigger.name}" AFTER DELETE ON "${trigger.tbl_name}" BEGIN DELETE FROM decks; END;`),
    );
    const before = state();
    const failure = await core.fail('collection.restore', { stagedId: await stage(swapped) });
    expect(failure.message).toContain(`trigger "${trigger.name}"`);
    expect(state()).toEqual(before);
  });

  it('refuses a backup missing one of Cadence\'s own triggers', async () => {
    await withNotes();
    const trigger = core.ctx.db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name LIMIT 1").get()!;
    const missing = await tamperedBackup((db) => db.exec(`DROP TRIGGER "${trigger.name}";`));
    const failure = await core.fail('collection.restore', { stagedId: await stage(missing) });
    expect(failure.message).toContain(`trigger "${trigger.name}" (missing)`);
  });

  it('shows nothing for a tampered backup when inspecting it either', async () => {
    await withNotes();
    const bomb = await tamperedBackup((db) => db.exec('CREATE TRIGGER wipe AFTER INSERT ON revlog BEGIN DELETE FROM notes; END;'));
    const failure = await core.fail('collection.inspectBackup', { stagedId: await stage(bomb) });
    expect(failure.message).toContain('trigger "wipe"');
  });

  it('still restores an untouched backup', async () => {
    await withNotes();
    const same = await tamperedBackup(() => {});
    const before = state();
    await core.call('decks.create', { name: 'Made later' });
    expect((await core.call('collection.restore', { stagedId: await stage(same) })).restored).toBe(true);
    expect(state()).toEqual(before);
  });
});
