import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { ZipArchive } from '../../electron/core/transfer/zip';
import { makeTestCore, type TestCore } from './testCore';
import { bigCollection, legacyCollectionBytes, legacyPackage, modernPackage, proto, sampleCollection, zstdFrame } from './transfer-fixtures';

let core: TestCore;
afterEach(() => core?.close());

async function attempt(bytes: Uint8Array, jobId = 'bad-1') {
  const { stagedId } = await core.call('files.stage', { name: 'deck.apkg', bytes: new Uint8Array(bytes) });
  return core.fail('import.anki', { stagedId, jobId });
}

/** Everything a user could see change: rows in the collection and files in the media folder. */
function snapshot() {
  const db = core.ctx.db;
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const mediaDir = core.ctx.paths.mediaDir;
  return {
    notes: count('notes'),
    cards: count('cards'),
    decks: count('decks'),
    revlog: count('revlog'),
    noteTypes: count('note_types'),
    media: count('media'),
    files: fs.existsSync(mediaDir) ? fs.readdirSync(mediaDir).sort() : [],
  };
}

/** Offsets of central directory records, by entry name. */
function centralRecords(zip: Uint8Array): Map<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const out = new Map<string, number>();
  let p = view.getUint32(eocd + 16, true);
  for (let i = 0; i < view.getUint16(eocd + 10, true); i++) {
    const n = view.getUint16(p + 28, true);
    out.set(new TextDecoder().decode(zip.subarray(p + 46, p + 46 + n)), p);
    p += 46 + n + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return out;
}

function patchDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const copy = zip.slice();
  const at = centralRecords(copy).get(name)!;
  new DataView(copy.buffer).setUint32(at + 24, size, true);
  return copy;
}

describe('Anki import refuses bad files and changes nothing', () => {
  it('refuses a file that is not a zip', async () => {
    core = await makeTestCore();
    const before = snapshot();
    const err = await attempt(new TextEncoder().encode('Front,Back\nhello,world\n'));
    expect(err.code).toBe('unsupported');
    expect(err.message).toContain('not a zip file');
    expect(snapshot()).toEqual(before);
  });

  it('refuses a truncated package', async () => {
    core = await makeTestCore();
    const before = snapshot();
    const whole = legacyPackage(sampleCollection());
    const err = await attempt(whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(err.message).toContain('incomplete');
    expect(snapshot()).toEqual(before);
  });

  it('refuses an entry that declares more than the per-file limit (zip bomb)', async () => {
    core = await makeTestCore();
    const before = snapshot();
    const bomb = patchDeclaredSize(legacyPackage(sampleCollection()), 'collection.anki21', 3 * 1024 * 1024 * 1024);
    const err = await attempt(bomb);
    expect(err.message).toMatch(/at most 1\.0 GB per file/);
    expect(snapshot()).toEqual(before);
  });

  it('stops unpacking an entry that yields more than it declared (zip bomb)', async () => {
    core = await makeTestCore();
    const before = snapshot();
    // 50 MB of zeros squeezed into a few KB, claiming to be 1 KB.
    const zeros = new Uint8Array(50 * 1024 * 1024);
    const lying = patchDeclaredSize(zipSync({ 'collection.anki2': zeros }), 'collection.anki2', 1024);
    const err = await attempt(lying);
    expect(err.message).toContain('does not unpack to what the file says');
    expect(snapshot()).toEqual(before);
  });

  it('limits the number of entries and the total unpacked size', () => {
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, new Uint8Array(1000)]));
    const zip = zipSync(files);
    expect(() => ZipArchive.open(zip, 'The file', { maxEntries: 10, maxEntryBytes: 1e6, maxTotalBytes: 1e9 })).toThrow(/holds 20 files; Cadence reads at most 10/);
    expect(() => ZipArchive.open(zip, 'The file', { maxEntries: 100, maxEntryBytes: 1e6, maxTotalBytes: 15_000 })).toThrow(/unpacks to more than/);
    expect(ZipArchive.open(zip, 'The file', { maxEntries: 100, maxEntryBytes: 1e6, maxTotalBytes: 1e6 }).names()).toHaveLength(20);
  });

  it('refuses zip entries and media names that climb out of their folder, writing nothing anywhere', async () => {
    core = await makeTestCore();
    const before = snapshot();
    const escape = zipSync({ 'collection.anki21': legacyCollectionBytes(sampleCollection()), '../evil.txt': new Uint8Array([1]) });
    expect((await attempt(escape)).message).toContain('"../evil.txt" that points outside its folder');

    const col = sampleCollection();
    col.media = [{ name: '../../evil.png', bytes: new Uint8Array([1, 2, 3]) }];
    expect((await attempt(legacyPackage(col))).message).toContain('"../../evil.png"');

    const absolute = sampleCollection();
    absolute.media = [{ name: '/tmp/evil.png', bytes: new Uint8Array([1, 2, 3]) }];
    expect((await attempt(modernPackage(absolute))).message).toContain('folder path');

    expect(snapshot()).toEqual(before);
    for (const dir of [core.dataDir, path.dirname(core.dataDir), core.ctx.paths.mediaDir]) {
      expect(fs.existsSync(path.join(dir, 'evil.txt'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'evil.png'))).toBe(false);
    }
  });

  it('refuses a collection that is not SQLite', async () => {
    core = await makeTestCore();
    const before = snapshot();
    const err = await attempt(zipSync({ 'collection.anki21': new TextEncoder().encode('this is not a database '.repeat(20)) }));
    expect(err.message).toContain('is not an SQLite database');
    const modern = zipSync({ meta: [proto([[1, 3]]), { level: 0 }], 'collection.anki21b': [zstdFrame(new Uint8Array(500).fill(7)), { level: 0 }] });
    expect((await attempt(modern)).message).toContain('is not an SQLite database');
    expect(snapshot()).toEqual(before);
  });

  it('refuses a collection that fails the integrity check', async () => {
    core = await makeTestCore();
    const before = snapshot();
    // An index whose stored entries no longer match its table: SQLite opens it, integrity_check does not pass.
    const db = new Database(Buffer.from(legacyCollectionBytes(sampleCollection())));
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.exec("UPDATE sqlite_master SET sql = 'CREATE INDEX ix_notes_csum ON notes (mid)' WHERE name = 'ix_notes_csum'");
    db.pragma('writable_schema = OFF');
    const damaged = db.serialize();
    db.close();
    const err = await attempt(zipSync({ 'collection.anki21': damaged }));
    expect(err.message).toContain('failed the integrity check');
    expect(snapshot()).toEqual(before);
  });

  it('refuses a damaged zstd stream in a current-format package', async () => {
    core = await makeTestCore();
    const frame = zstdFrame(legacyCollectionBytes(sampleCollection()));
    const cut = zipSync({ meta: [proto([[1, 3]]), { level: 0 }], 'collection.anki21b': [frame.subarray(0, frame.length - 100), { level: 0 }] });
    expect((await attempt(cut)).message).toContain('damaged');
    const lying = zipSync({ meta: [proto([[1, 3]]), { level: 0 }], 'collection.anki21b': [zstdFrame(new Uint8Array(10), 2_000_000_000), { level: 0 }] });
    expect((await attempt(lying)).message).toMatch(/unpacks to more than|damaged/);
  });

  it('refuses a package whose note type uses a field it does not have, naming it', async () => {
    core = await makeTestCore();
    const before = snapshot();
    const col = sampleCollection();
    col.noteTypes[3]!.templates[1]!.afmt = '{{FrontSide}}<hr id=answer>{{Pronunciation}}';
    const err = await attempt(modernPackage(col));
    expect(err.message).toContain('"PM Term"');
    expect(err.message).toContain('"Recall"');
    expect(err.message).toContain('"Pronunciation"');
    expect(snapshot()).toEqual(before);
  });

  it('refuses a zip that is not an Anki package and one from a newer Anki', async () => {
    core = await makeTestCore();
    expect((await attempt(zipSync({ 'notes.txt': new Uint8Array([65]) }))).message).toContain('not an Anki package');
    expect((await attempt(zipSync({ meta: proto([[1, 9]]) }))).message).toContain('newer Anki');
  });
});

describe('Anki import jobs', () => {
  it('cancel in the middle leaves the collection and media folder exactly as before', async () => {
    core = await makeTestCore();
    await (async () => {
      const { stagedId } = await core.call('files.stage', { name: 'small.apkg', bytes: new Uint8Array(legacyPackage(sampleCollection())) });
      await core.call('import.anki', { stagedId, jobId: 'first' });
    })();
    const before = snapshot();
    const dbRowsBefore = core.ctx.db.prepare('SELECT id, fields, tags, updated_at FROM notes ORDER BY id').all();

    const { stagedId } = await core.call('files.stage', { name: 'big.apkg', bytes: new Uint8Array(legacyPackage(bigCollection(1600, 40))) });
    const running = core.fail('import.anki', { stagedId, jobId: 'big-job' });
    const seen = () =>
      core.events.some((e) => e.name === 'transfer.progress' && (e.payload as { jobId: string; phase: string }).phase === 'writing' && (e.payload as { jobId: string }).jobId === 'big-job');
    while (!seen()) await new Promise((r) => setImmediate(r));
    // Partway through writing, rows of the import are already in the open transaction.
    expect((core.ctx.db.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n).toBeGreaterThan(before.notes);
    expect(await core.call('transfer.cancel', { jobId: 'big-job' })).toEqual({ cancelled: true });
    const err = await running;
    expect(err.code).toBe('cancelled');
    expect(err.message).toContain('Nothing was changed');
    expect(snapshot()).toEqual(before);
    expect(core.ctx.db.prepare('SELECT id, fields, tags, updated_at FROM notes ORDER BY id').all()).toEqual(dbRowsBefore);
    expect(await core.call('transfer.cancel', { jobId: 'big-job' })).toEqual({ cancelled: false });

    // The same file imports fine afterwards (the staged file was kept for a retry).
    const summary = await core.call('import.anki', { stagedId, jobId: 'retry' });
    expect(summary.notes.added).toBe(1600);
    expect(summary.media.added).toBe(40);
  });

  it('refuses a second import while one is running', async () => {
    core = await makeTestCore();
    const a = await core.call('files.stage', { name: 'a.apkg', bytes: new Uint8Array(legacyPackage(bigCollection(1200))) });
    const b = await core.call('files.stage', { name: 'b.apkg', bytes: new Uint8Array(legacyPackage(sampleCollection())) });
    const first = core.call('import.anki', { stagedId: a.stagedId, jobId: 'one' });
    while (!core.events.some((e) => e.name === 'transfer.progress')) await new Promise((r) => setImmediate(r));
    const err = await core.fail('import.anki', { stagedId: b.stagedId, jobId: 'two' });
    expect(err.code).toBe('conflict');
    expect((await first).notes.added).toBe(1200);
  });
});
