// Packages built to hurt: ones that unpack to far more than their size, reuse one stored file for many
// media names, or carry SQL of their own. Each is refused whole and leaves the collection as it was.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { zipSync, type Zippable } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { readAnkiPackage, DEFAULT_PACKAGE_LIMITS } from '../../electron/core/transfer/anki/readPackage';
import { openDatabaseBytes } from '../../electron/core/transfer/sqliteBytes';
import { makeTestCore, type TestCore } from './testCore';
import { legacyCollectionBytes, modernCollectionBytes, PNG, proto, sampleCollection, zstdFrame } from './transfer-fixtures';

let core: TestCore;
afterEach(() => core?.close());

const MB = 1024 * 1024;

/**
 * A valid Zstandard frame of `size` copies of one byte, in RLE blocks (4 bytes per 128 KB): a few
 * kilobytes that unpack to `size` bytes. No content size is declared, so only unpacking tells.
 */
function rleFrame(size: number, byte = 0x41): Uint8Array {
  const BLOCK = 128 * 1024;
  const out: number[] = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3]; // no declared size, 128 KB window
  for (let left = size; left > 0; left -= BLOCK) {
    const n = Math.min(BLOCK, left);
    const header = (n << 3) | (1 << 1) | (left <= BLOCK ? 1 : 0);
    out.push(header & 255, (header >> 8) & 255, (header >> 16) & 255, byte);
  }
  return Uint8Array.from(out);
}

/** A current-format package with the sample notes and the given media: [name, stored frame, zip name]. */
function modernWith(media: { name: string; frame: Uint8Array; zipName?: number }[]): Uint8Array {
  const stored = { level: 0 as const };
  const col = sampleCollection();
  const files: Zippable = {
    meta: [proto([[1, 3]]), stored],
    'collection.anki21b': [zstdFrame(modernCollectionBytes({ ...col, media: [] })), stored],
  };
  const list: [number, Uint8Array][] = media.map((m, i) => {
    const zipName = m.zipName ?? i;
    files[String(zipName)] = [m.frame, stored];
    const fields: [number, number | string | Uint8Array][] = [[1, m.name], [2, 1], [3, new Uint8Array(20)]];
    if (m.zipName !== undefined) fields.push([255, m.zipName]);
    return [1, proto(fields)];
  });
  files.media = [zstdFrame(proto(list)), stored];
  return zipSync(files);
}

async function attempt(bytes: Uint8Array) {
  const { stagedId } = await core.call('files.stage', { name: 'deck.apkg', bytes: new Uint8Array(bytes) });
  return core.fail('import.anki', { stagedId, jobId: 'untrusted-1' });
}

function snapshot() {
  const db = core.ctx.db;
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const dir = core.ctx.paths.mediaDir;
  return {
    notes: count('notes'),
    cards: count('cards'),
    decks: count('decks'),
    media: count('media'),
    files: fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [],
  };
}

describe('unpacked size of an Anki package', () => {
  it('the RLE frame really is tiny and unpacks to its full size', () => {
    const frame = rleFrame(64 * MB);
    expect(frame.length).toBeLessThan(3 * 1024);
    const pkg = readAnkiPackage(modernWith([{ name: 'big.bin', frame }]));
    expect(pkg.readMedia(pkg.media[0]!)!.length).toBe(64 * MB);
  });

  it('refuses a media file that unpacks past 100 MB and keeps nothing from the import', async () => {
    core = await makeTestCore();
    const before = snapshot();
    // A genuine picture first, so the rollback of media already stored is seen too.
    const err = await attempt(modernWith([{ name: 'ok.png', frame: zstdFrame(PNG) }, { name: 'bomb.png', frame: rleFrame(101 * MB) }]));
    expect(err.code).toBe('unsupported');
    expect(err.message).toContain('"bomb.png" unpacks to more than 100.0 MB');
    expect(err.message).toContain('Nothing was imported.');
    expect(snapshot()).toEqual(before);
  });

  it('counts every media file against one budget for the whole package', () => {
    const limits = { ...DEFAULT_PACKAGE_LIMITS, maxTotalBytes: 10 * MB };
    const pkg = readAnkiPackage(
      modernWith(Array.from({ length: 5 }, (_, i) => ({ name: `part${i}.bin`, frame: rleFrame(3 * MB) }))),
      limits,
    );
    expect(pkg.readMedia(pkg.media[0]!)!.length).toBe(3 * MB);
    expect(pkg.readMedia(pkg.media[1]!)!.length).toBe(3 * MB);
    expect(pkg.readMedia(pkg.media[2]!)!.length).toBe(3 * MB);
    expect(() => pkg.readMedia(pkg.media[3]!)).toThrow(
      /This package unpacks to more than 10\.0 MB; it may be damaged or malicious\. Nothing was imported\./,
    );
  });

  it('counts the collection against the same budget', () => {
    const collectionSize = modernCollectionBytes({ ...sampleCollection(), media: [] }).length;
    const limits = { ...DEFAULT_PACKAGE_LIMITS, maxTotalBytes: collectionSize + 100 * 1024 };
    const pkg = readAnkiPackage(modernWith([{ name: 'small.bin', frame: rleFrame(200 * 1024) }]), limits);
    // 200 KB alone fits the limit; after the collection it does not.
    expect(() => pkg.readMedia(pkg.media[0]!)).toThrow(/This package unpacks to more than/);
  });

  it('refuses a media list that names one stored file for many media files', async () => {
    core = await makeTestCore();
    const before = snapshot();
    const frame = zstdFrame(PNG);
    const reused = modernWith(Array.from({ length: 3 }, (_, i) => ({ name: `copy${i}.png`, frame, zipName: 0 })));
    const err = await attempt(reused);
    expect(err.message).toContain('lists the same stored file ("0") for more than one media file');
    expect(snapshot()).toEqual(before);
  });
});

describe('SQL inside an imported collection never runs', () => {
  it('opens imported databases with trusted_schema off', () => {
    const db = openDatabaseBytes(legacyCollectionBytes(sampleCollection()), 'The collection');
    try {
      expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
    } finally {
      db.close();
    }
  });

  it('reads tables, never a view that stands in for one', async () => {
    core = await makeTestCore();
    const before = snapshot();
    // The collection's notes table is hidden behind a view of the same name that changes every field.
    const src = new Database(Buffer.from(legacyCollectionBytes(sampleCollection())));
    src.exec("ALTER TABLE notes RENAME TO real_notes; CREATE VIEW notes AS SELECT id, guid, mid, mod, usn, tags, 'planted' || char(31) || 'planted' AS flds, sfld, csum, flags, data FROM real_notes;");
    const bytes = src.serialize();
    src.close();
    const err = await attempt(zipSync({ 'collection.anki21': bytes, media: new TextEncoder().encode('{}') }));
    expect(err.code).toBe('unsupported');
    expect(snapshot()).toEqual(before);
  });

  it('imports a collection that carries a trigger without running it', async () => {
    core = await makeTestCore();
    const src = new Database(Buffer.from(legacyCollectionBytes(sampleCollection())));
    src.exec('CREATE TRIGGER planted AFTER UPDATE ON col BEGIN DELETE FROM notes; END;');
    const bytes = src.serialize();
    src.close();
    const { stagedId } = await core.call('files.stage', { name: 'deck.apkg', bytes: new Uint8Array(zipSync({ 'collection.anki21': bytes, media: new TextEncoder().encode('{}') })) });
    const summary = await core.call('import.anki', { stagedId, jobId: 'untrusted-2' });
    expect(summary.notes.added).toBe(sampleCollection().notes.length);
  });
});
