// A full disk: writes are refused with a sentence, reads go on, the background log housekeeping never
// throws, Cadence carries on by itself once space is freed, partial files never keep the disk full, and
// nothing that was confirmed is lost. Run on a real small disk (tmpfs) where the machine allows it, and
// always on SQLite's own page limit (the same SQLITE_FULL, needing nothing).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listing, smallDisk, smallDiskUnavailable } from './faultKit';
import { makeTestCore, tempDir, type TestCore } from './testCore';
import { stageFile, writeExport } from '../../electron/core/files';
import { checkIntegrityInBackground, stopReaders } from '../../electron/core/db/integrity';
import { faultOf, READER_STOPPED } from '../../electron/core/faults';

let core: TestCore | undefined;
afterEach(() => {
  core?.close();
  core = undefined;
});

if (smallDiskUnavailable) console.log(`Small-disk fault tests skipped: ${smallDiskUnavailable}`);

const big = (i: number) => `Note ${i} ${'lorem ipsum dolor sit amet '.repeat(40)}`;

/** Adds notes until one is refused; returns the ids confirmed and the error that ended it. */
async function writeUntilRefused(c: TestCore, deckId: number) {
  const confirmed: number[] = [];
  for (let i = 0; i < 5000; i++) {
    try {
      const saved = await c.call('notes.create', { noteTypeId: 1, deckId, fields: [big(i), 'back'] });
      confirmed.push(saved.note.id);
    } catch (err) {
      return { confirmed, error: err as { code: string; message: string } };
    }
  }
  throw new Error('the disk never filled up');
}

interface Filler {
  /** Makes the disk full. */
  fill(c: TestCore): void;
  /** Makes room again. */
  free(c: TestCore): void;
  dataDir(): string;
}

const pageLimit: Filler = {
  dataDir: () => tempDir(),
  fill: (c) => {
    const pages = c.ctx.db.pragma('page_count', { simple: true }) as number;
    c.ctx.db.pragma(`max_page_count = ${pages + 2}`);
  },
  free: (c) => void c.ctx.db.pragma('max_page_count = 4294967294'),
};

function tmpfsFiller(): Filler {
  const disk = smallDisk(12);
  return { dataDir: () => disk.dir, fill: () => void disk.fill(), free: () => disk.free() };
}

const cases: [string, () => Filler, string | null][] = [
  ['SQLite page limit', () => pageLimit, null],
  ['a real full disk (tmpfs)', tmpfsFiller, smallDiskUnavailable],
];

describe.each(cases)('a full disk (%s)', (_name, makeFiller, unavailable) => {
  it.skipIf(unavailable !== null)('refuses writes in a sentence, keeps reads, recovers by itself, and loses nothing confirmed', async () => {
    const filler = makeFiller();
    const dataDir = filler.dataDir();
    core = await makeTestCore({ dataDir });
    const deck = await core.call('decks.create', { name: 'Full' });
    const before = await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Saved before', 'yes'] });
    core.tickWal();

    filler.fill(core);
    const { confirmed, error } = await writeUntilRefused(core, deck.id);
    expect(error.code).toBe('disk_full');
    expect(error.message).toMatch(/^Your disk is full, so this change was not saved\./);
    // The banner says so, and the background housekeeping meets the full disk without throwing.
    const health = await core.call('app.health');
    expect(health.state).toBe('disk_full');
    expect(health.message).toMatch(/disk is full/);
    expect(() => core!.tickWal()).not.toThrow();
    // Reads keep working.
    expect((await core.call('notes.get', { id: before.note.id })).fields).toEqual(['Saved before', 'yes']);
    expect((await core.call('decks.list')).decks.map((d) => d.name)).toEqual(['Full']);

    filler.free(core);
    core.tickWal();
    expect((await core.call('app.health')).state).toBe('ok');
    expect(core.events.filter((e) => e.name === 'app.health').map((e) => (e.payload as { state: string }).state)).toEqual(['disk_full', 'ok']);
    const after = await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Saved after', 'yes'] });

    // Everything that was confirmed is there after a restart.
    core.close();
    core = await makeTestCore({ dataDir });
    for (const id of [before.note.id, ...confirmed, after.note.id]) expect((await core.call('notes.get', { id })).id).toBe(id);
  });
});

describe('files on a full disk', () => {
  it.skipIf(smallDiskUnavailable !== null)('an upload, an export and a backup that do not fit leave nothing behind and say why', async () => {
    const disk = smallDisk(12);
    core = await makeTestCore({ dataDir: disk.dir });
    const deck = await core.call('decks.create', { name: 'Export me' });
    await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Front', 'Back'] });
    core.tickWal();
    disk.fill();
    disk.free();
    // Leave about 1 MB free: a 6 MB upload cannot fit.
    const room = disk.fill();
    disk.free();
    fs.writeFileSync(path.join(disk.dir, 'filler.bin'), Buffer.alloc(room - 1024 * 1024));

    const stagingBefore = fs.existsSync(core.ctx.paths.stagingDir) ? listing(core.ctx.paths.stagingDir) : {};
    expect(() => stageFile(core!.ctx.paths, 'deck.apkg', new Uint8Array(6 * 1024 * 1024))).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    expect(listing(core.ctx.paths.stagingDir)).toEqual(stagingBefore);
    const upload = await core.fail('files.stage', { name: 'deck.apkg', bytes: new Uint8Array(6 * 1024 * 1024) });
    expect(upload).toEqual({ code: 'disk_full', message: expect.stringMatching(/^Your disk is full/) });
    expect(listing(core.ctx.paths.stagingDir)).toEqual(stagingBefore);

    expect(() => writeExport(core!.ctx.paths, 'big.csv', 'x'.repeat(6 * 1024 * 1024))).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    expect(fs.existsSync(core.ctx.paths.exportsDir) ? listing(core.ctx.paths.exportsDir) : {}).toEqual({});

    // A backup needs as much room as the collection: fill up completely first.
    disk.fill();
    const backups = listing(core.ctx.paths.backupsDir);
    const backup = await core.fail('backups.create', undefined);
    expect(backup.code).toBe('disk_full');
    expect(listing(core.ctx.paths.backupsDir)).toEqual(backups);
  });
});

describe('the write-ahead log', () => {
  const walSize = (c: TestCore) => (fs.existsSync(`${c.ctx.paths.dbFile}-wal`) ? fs.statSync(`${c.ctx.paths.dbFile}-wal`).size : 0);

  it('stays bounded while a long reader holds it open, and is cut to nothing when Cadence is idle', async () => {
    core = await makeTestCore();
    const deck = await core.call('decks.create', { name: 'Busy' });
    // A reader holding one snapshot (as the daily check's worker does for seconds) keeps every new
    // frame in the log: it can neither be folded in nor start over.
    const reader = new (await import('better-sqlite3')).default(core.ctx.paths.dbFile, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM notes').get();
    for (let i = 0; i < 2500; i++) await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: [big(i), 'back'] });
    core.tickWal();
    const grown = walSize(core);
    expect(grown).toBeGreaterThan(32 * 1024 * 1024);
    reader.exec('COMMIT');
    reader.close();
    // Past the cap: cut back at the next round, writes or not.
    core.tickWal();
    expect(walSize(core)).toBeLessThanOrEqual(32 * 1024 * 1024);

    await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['one more', 'back'] });
    core.tickWal();
    expect(walSize(core)).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) core.tickWal(); // idle
    expect(walSize(core)).toBe(0);
    expect((await core.call('browse.search', { text: 'one more' })).total).toBe(1);
  });
});

describe('a background check that holds the log open', () => {
  it('gives way when asked, and reads as busy where a request meets it', async () => {
    core = await makeTestCore();
    await core.call('decks.create', { name: 'Checked' });
    const running = checkIntegrityInBackground(core.ctx.paths.dbFile, 'full');
    expect(stopReaders(core.ctx.paths.dbFile)).toBe(1);
    await expect(running).rejects.toMatchObject({ code: READER_STOPPED });
    expect(stopReaders(core.ctx.paths.dbFile)).toBe(0);
    // Met by a request (a backup being made), it reads as "busy", not as a failure inside Cadence.
    expect(faultOf(Object.assign(new Error('stopped'), { code: READER_STOPPED }))).toBe('busy');
  });
});
