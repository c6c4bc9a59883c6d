// Start-up refusals are sentences, and a file that is not Cadence's is never touched: a second copy of
// Cadence on the same folder, a lock left by a crash, a folder where the file should be, a read-only
// disk, another program's database, a collection of a newer format. Also: text that is not valid
// Unicode never reaches the file.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrate } from '../../electron/core/db/migrate';
import { smallDisk, smallDiskUnavailable } from './faultKit';
import { makeTestCore, tempDir, type TestCore } from './testCore';

const cores: TestCore[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});
async function open(dataDir: string, options: Parameters<typeof makeTestCore>[0] = {}) {
  const c = await makeTestCore({ dataDir, ...options });
  cores.push(c);
  return c;
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Fails the test unless starting on `dataDir` is refused; returns the refusal. */
async function refusal(dataDir: string): Promise<{ code: string; message: string; stack?: string }> {
  try {
    await open(dataDir);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('Cadence started where it should have refused');
}

describe('one writer per data folder', () => {
  it('refuses a second copy with a sentence naming the first, and lets it start once the first closed', async () => {
    const dir = tempDir();
    const first = await open(dir);
    first.describe({ address: 'http://127.0.0.1:5199' });
    const refused = await refusal(dir);
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(
      new RegExp(`already in use by Cadence in browser mode at http://127\\.0\\.0\\.1:5199 \\(process ${process.pid}, started .*\\)\\. Switch to that copy`),
    );
    first.close();
    cores.splice(cores.indexOf(first), 1);
    const second = await open(dir);
    expect((await second.call('decks.list')).decks).toEqual([]);
  });

  it('takes over a lock left by a copy that was killed', async () => {
    const dir = tempDir();
    (await open(dir)).close();
    cores.length = 0;
    // Another process takes the folder the way Cadence does, then dies without a word.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
         const db = new D(${JSON.stringify(path.join(dir, 'cadence.lock'))}, { timeout: 0 });
         db.exec('BEGIN EXCLUSIVE');
         require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'cadence.lock.json'))}, JSON.stringify({ pid: process.pid, mode: 'desktop', appVersion: '1', startedAt: 0 }));
         console.log('locked'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    expect((await refusal(dir)).message).toMatch(/already in use by the Cadence desktop app \(process \d+/);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    const c = await open(dir);
    expect((await c.call('decks.list')).decks).toEqual([]);
  });
});

describe('start-up refusals', () => {
  it('a folder where the collection file should be', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'cadence.sqlite'));
    const refused = await refusal(dir);
    expect(refused.message).toBe(`Cadence's collection should be a file, but ${path.join(dir, 'cadence.sqlite')} is a folder. Move or rename that folder, then start Cadence again.`);
  });

  it('a data folder path that is a file', async () => {
    const dir = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(dir, 'x');
    expect((await refusal(dir)).message).toMatch(/something on that path is a file, not a folder/);
  });

  it.skipIf(smallDiskUnavailable !== null)('a data folder on a disk that became read-only, untouched', async () => {
    const disk = smallDisk(8);
    const c = await open(disk.dir);
    await c.call('decks.create', { name: 'Safe' });
    c.close();
    cores.length = 0;
    const before = sha(path.join(disk.dir, 'cadence.sqlite'));
    disk.readOnly();
    try {
      const refused = await refusal(disk.dir);
      expect(refused.code).toBe('read_only');
      expect(refused.message).toMatch(/^Cadence cannot write to its data folder .* \(the disk it is on is read-only\)/);
      expect(sha(path.join(disk.dir, 'cadence.sqlite'))).toBe(before);
    } finally {
      disk.writable();
    }
  });

  it("another program's SQLite file is refused and left exactly as it was", async () => {
    for (const make of [
      (db: Database.Database) => db.exec('CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES (\'soup\')'),
      (db: Database.Database) => db.pragma('application_id = 1234'),
      // A clashing table name is still not Cadence's.
      (db: Database.Database) => db.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (\'mine\')'),
    ]) {
      const dir = tempDir();
      const file = path.join(dir, 'cadence.sqlite');
      const db = new Database(file);
      make(db);
      db.close();
      const before = sha(file);
      const refused = await refusal(dir);
      expect(refused.message).toMatch(/is a database of another program, not a Cadence collection, so Cadence left it untouched/);
      expect(sha(file)).toBe(before);
      expect(fs.existsSync(`${file}-wal`)).toBe(false);
      expect(fs.readFileSync(file)[18]).toBe(1); // still in rollback-journal mode
    }
  });

  it('a collection of a newer data format is refused before a byte is written, naming the version that wrote it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'cadence.sqlite');
    const db = new Database(file);
    migrate(db);
    db.pragma('application_id = 1130655331');
    db.exec("INSERT INTO app_meta (key, value) VALUES ('app_version', '0.0.0-old')");
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    const before = sha(file);
    const refused = await refusal(dir);
    // The file names an older Cadence than this one beside a newer format: it is not named as the writer.
    expect(refused.message).toBe(
      `This collection was written by a newer version of Cadence (data format ${LATEST_SCHEMA_VERSION + 5}); this is Cadence 0.0.0-test, ` +
        `which reads data formats up to ${LATEST_SCHEMA_VERSION}. Install the newer Cadence or later to open it. Your data was not changed.`,
    );
    expect(sha(file)).toBe(before);
    expect(fs.readFileSync(file)[18]).toBe(1);
  });

  it('marks its collections with its application id, and adopts one made before it did', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'cadence.sqlite');
    const old = new Database(file);
    migrate(old);
    old.exec("INSERT INTO decks (name, created_at, updated_at) VALUES ('Older', 0, 0)");
    old.close();
    const c = await open(dir);
    expect(c.ctx.db.pragma('application_id', { simple: true })).toBe(0x43646e63);
    expect((await c.call('decks.list')).decks.map((d) => d.name)).toEqual(['Older']);
  });
});

describe('text', () => {
  it('half of a surrogate pair never reaches the file: it is stored and read back as one replacement character', async () => {
    const c = await open(tempDir());
    const deck = await c.call('decks.create', { name: 'Broken \uD83D emoji and \uDE00 one' });
    expect(deck.name).toBe('Broken \uFFFD emoji and \uFFFD one');
    const note = await c.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Whole 😀 stays', 'cut \uD83D'], tags: ['tag\uDC00'] });
    expect(note.note.fields).toEqual(['Whole 😀 stays', 'cut \uFFFD']);
    const bytes = c.ctx.db.prepare('SELECT CAST(fields AS BLOB) AS b FROM notes WHERE id = ?').get(note.note.id) as { b: Buffer };
    // Valid UTF-8 on disk: decoding and encoding again gives the same bytes.
    expect(Buffer.from(bytes.b.toString('utf8'), 'utf8').equals(bytes.b)).toBe(true);
  });
});
