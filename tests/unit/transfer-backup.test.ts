import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from '../../electron/core/db/migrate';
import { makeTestCore, type TestCore } from './testCore';
import { legacyPackage, modernPackage, sampleCollection } from './transfer-fixtures';

let core: TestCore;
afterEach(() => core?.close());

const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

async function stage(bytes: Uint8Array, name = 'backup.zip') {
  return (await core.call('files.stage', { name, bytes: new Uint8Array(bytes) })).stagedId;
}

async function downloadBackup(): Promise<Uint8Array> {
  const out = await core.call('collection.export', { jobId: 'backup-job' });
  return fs.readFileSync(path.join(core.ctx.paths.exportsDir, out.downloadName));
}

/** What a user would see of the collection. */
function state() {
  const db = core.ctx.db;
  return {
    notes: db.prepare('SELECT guid, fields, tags FROM notes ORDER BY guid').all(),
    cards: db.prepare('SELECT note_id, ord, deck_id, state, due, stability, suspended FROM cards ORDER BY note_id, ord').all(),
    decks: db.prepare('SELECT id, name, parent_id FROM decks ORDER BY id').all(),
    revlog: (db.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n,
  };
}

/** A backup zip rebuilt from parts with a manifest whose checksums match. */
function rebuild(files: Record<string, Uint8Array>, manifestPatch: Record<string, unknown> = {}): Uint8Array {
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
  const listed = Object.entries(files)
    .filter(([name]) => name !== 'manifest.json')
    .map(([name, bytes]) => ({ path: name, size: bytes.length, sha256: sha(bytes) }));
  const zip: Zippable = { ...files, 'manifest.json': new TextEncoder().encode(JSON.stringify({ ...manifest, files: listed, ...manifestPatch })) };
  return zipSync(zip);
}

describe('whole-collection backup', () => {
  it('downloads one zip with the database, every media file and a manifest of checksums', async () => {
    core = await makeTestCore();
    const { stagedId } = await core.call('files.stage', { name: 'deck.apkg', bytes: new Uint8Array(modernPackage(sampleCollection())) });
    await core.call('import.anki', { stagedId, jobId: 'imp' });
    const out = await core.call('collection.export', {});
    expect(out.fileName).toMatch(/^cadence-backup-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}\.zip$/);
    expect(out.mediaFiles).toBe(3);
    const files = unzipSync(fs.readFileSync(path.join(core.ctx.paths.exportsDir, out.downloadName)));
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as {
      format: string;
      schemaVersion: number;
      files: { path: string; size: number; sha256: string }[];
    };
    expect(manifest.format).toBe('cadence-backup');
    expect(manifest.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(Object.keys(files).filter((n) => n !== 'manifest.json').sort());
    for (const f of manifest.files) {
      expect(sha(files[f.path]!)).toBe(f.sha256);
      expect(files[f.path]!.length).toBe(f.size);
    }
    for (const name of fs.readdirSync(core.ctx.paths.mediaDir)) expect(files[`media/${name}`]).toBeDefined();
    const db = new Database(Buffer.from(files['collection.sqlite']!));
    expect((db.prepare("SELECT count(*) AS n FROM notes WHERE guid LIKE 'g%'").get() as { n: number }).n).toBe(7);
    db.close();
  });

  it('restores a backup in place, after saving the current collection, and the saved copy restores back', async () => {
    core = await makeTestCore();
    const first = await core.call('files.stage', { name: 'deck.apkg', bytes: new Uint8Array(legacyPackage(sampleCollection())) });
    await core.call('import.anki', { stagedId: first.stagedId, jobId: 'imp' });
    const backup = await downloadBackup();
    const atBackup = state();

    // Later changes: a deck deleted, media files gone.
    const pm = (core.ctx.db.prepare("SELECT id FROM decks WHERE name = 'PM' AND parent_id IS NULL").get() as { id: number }).id;
    await core.call('decks.delete', { id: pm });
    for (const f of fs.readdirSync(core.ctx.paths.mediaDir)) fs.rmSync(path.join(core.ctx.paths.mediaDir, f));
    const changed = state();
    expect(changed).not.toEqual(atBackup);

    const stagedId = await stage(backup);
    expect(await core.call('collection.inspectBackup', { stagedId })).toMatchObject({ notes: atBackup.notes.length, mediaFiles: 3, schemaVersion: LATEST_SCHEMA_VERSION });
    const result = await core.call('collection.restore', { stagedId });
    expect(result.restored).toBe(true);
    expect(result.mediaAdded).toBe(3);
    expect(state()).toEqual(atBackup);
    expect(fs.readdirSync(core.ctx.paths.mediaDir)).toHaveLength(3);
    expect(core.events.some((e) => e.name === 'collection.restored')).toBe(true);
    // The live handlers keep working on the restored collection.
    expect((await core.call('decks.list')).decks.some((d) => d.path === 'PM::Agile::Scrum')).toBe(true);
    expect(core.ctx.db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);

    // The copy saved first holds the collection as it was just before the restore.
    const safety = path.join(core.ctx.paths.backupsDir, result.safetyBackup);
    expect(fs.existsSync(safety)).toBe(true);
    await core.call('collection.restore', { stagedId: await stage(fs.readFileSync(safety)) });
    expect(state()).toEqual(changed);

    // And it survives a restart.
    core.close();
    core = await makeTestCore({ dataDir: core.dataDir, clock: core.clock });
    expect(state()).toEqual(changed);
  });

  it('refuses a damaged or foreign backup before changing anything', async () => {
    core = await makeTestCore();
    const { stagedId } = await core.call('files.stage', { name: 'deck.apkg', bytes: new Uint8Array(legacyPackage(sampleCollection())) });
    await core.call('import.anki', { stagedId, jobId: 'imp' });
    const files = unzipSync(await downloadBackup());
    const before = state();
    const backupsBefore = fs.readdirSync(core.ctx.paths.backupsDir).sort();

    const tamperedMedia = { ...files };
    const mediaName = Object.keys(files).find((n) => n.startsWith('media/'))!;
    tamperedMedia[mediaName] = Uint8Array.from([1, 2, 3]);
    const refuse = async (bytes: Uint8Array) => core.fail('collection.restore', { stagedId: await stage(bytes) });
    expect((await refuse(zipSync(tamperedMedia))).message).toContain(`"${mediaName}" does not match its checksum`);

    const { [mediaName]: _gone, ...missing } = files;
    void _gone;
    expect((await refuse(zipSync(missing))).message).toContain('is incomplete');

    const newer = new Database(Buffer.from(files['collection.sqlite']!));
    newer.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    const newerBytes = newer.serialize();
    newer.close();
    expect((await refuse(rebuild({ ...files, 'collection.sqlite': newerBytes }))).message).toContain('newer Cadence');

    const garbage = rebuild({ ...files, 'collection.sqlite': new TextEncoder().encode('not a database at all '.repeat(10)) });
    expect((await refuse(garbage)).message).toContain('not an SQLite database');

    const sneaky = rebuild({ ...files, 'media/x.png': Uint8Array.from([1]) });
    const sneakyManifest = unzipSync(sneaky);
    const m = JSON.parse(new TextDecoder().decode(sneakyManifest['manifest.json'])) as { files: { path: string }[] };
    m.files.find((f) => f.path === 'media/x.png')!.path = 'media/../../x.png';
    sneakyManifest['manifest.json'] = new TextEncoder().encode(JSON.stringify(m));
    expect((await refuse(zipSync(sneakyManifest))).message).toContain('outside its media folder');

    expect((await refuse(legacyPackage(sampleCollection()))).message).toContain('not a Cadence backup');
    expect((await refuse(new TextEncoder().encode('hello'))).message).toContain('not a zip file');

    expect(state()).toEqual(before);
    expect(fs.readdirSync(core.ctx.paths.backupsDir).sort()).toEqual(backupsBefore);
    expect(fs.existsSync(path.join(path.dirname(core.dataDir), 'x.png'))).toBe(false);
  });

  it('restores a backup from an older Cadence and brings it up to the current format', async () => {
    core = await makeTestCore();
    const files = unzipSync(await downloadBackup());
    const old = new Database(':memory:');
    migrate(old, LATEST_SCHEMA_VERSION - 1);
    old.prepare("INSERT INTO decks (name, created_at, updated_at) VALUES ('From the old days', 0, 0)").run();
    old.prepare("INSERT INTO app_meta (key, value) VALUES ('app_version', '0.0.1')").run();
    const oldBytes = old.serialize();
    old.close();
    const result = await core.call('collection.restore', {
      stagedId: await stage(rebuild({ 'manifest.json': files['manifest.json']!, 'collection.sqlite': oldBytes }, { schemaVersion: LATEST_SCHEMA_VERSION - 1 })),
    });
    expect(result.restored).toBe(true);
    expect(schemaVersion(core.ctx.db)).toBe(LATEST_SCHEMA_VERSION);
    expect((await core.call('decks.list')).decks.map((d) => d.name)).toEqual(['From the old days']);
  });
});
