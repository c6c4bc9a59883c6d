import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openCollection } from '../../electron/core/db/open';
import { pathsFor } from '../../electron/core/db/paths';
import { durableTransaction } from '../../electron/core/db/durable';
import { LATEST_SCHEMA_VERSION, migrate, migrations, schemaVersion } from '../../electron/core/db/migrate';
import { listBackups, rotateBackups } from '../../electron/core/db/backup';
import { checkIntegrityInBackground } from '../../electron/core/db/integrity';
import { makeNoteStore } from '../../electron/core/flashcards/notes';
import { sortFieldHash } from '../../electron/core/flashcards/sortFieldHash';
import { ASSETS_DIR, fakeClock, makeTestCore, tempDir, testLogger, type TestCore } from './testCore';

let core: TestCore | undefined;
afterEach(() => {
  core?.close();
  core = undefined;
});

/** The schema as SQLite describes it, for comparing two databases. */
function schemaOf(db: Database.Database): string[] {
  return (db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string; sql: string | null }[]).map(
    (r) => `${r.type} ${r.name}: ${r.sql ?? ''}`,
  );
}

function open(dataDir: string, clock = fakeClock()) {
  return openCollection({ paths: pathsFor(dataDir, ASSETS_DIR), clock, log: testLogger, appVersion: '1.0.0' });
}

describe('migrations', () => {
  it('are numbered without gaps and bring an empty database to the latest version', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION });
    expect(migrate(db)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
    db.close();
  });

  it('from every earlier version end in the same schema as from empty', () => {
    const fresh = new Database(':memory:');
    migrate(fresh);
    const expected = schemaOf(fresh);
    for (let start = 0; start < LATEST_SCHEMA_VERSION; start++) {
      const db = new Database(':memory:');
      migrate(db, start);
      expect(schemaVersion(db)).toBe(start);
      migrate(db);
      expect(schemaOf(db), `starting from version ${start}`).toEqual(expected);
      db.close();
    }
  });

  it('fills the sort field hash of notes written before it existed, so duplicate checks still find them', () => {
    const db = new Database(':memory:');
    migrate(db, 7);
    db.exec(`INSERT INTO decks (id, name, created_at, updated_at) VALUES (1, 'Terms', 0, 0);
      INSERT INTO notes (id, guid, note_type_id, fields, sort_field, created_at, updated_at) VALUES
        (1, 'a', 1, '["Sprint","x"]', 'Sprint', 0, 0), (2, 'b', 1, '["",""]', '', 0, 0);
      INSERT INTO cards (note_id, deck_id, ord, due, created_at, updated_at) VALUES (1, 1, 0, 0, 0, 0);`);
    migrate(db);
    expect(db.prepare('SELECT sort_field_hash FROM notes ORDER BY id').pluck().all()).toEqual([sortFieldHash('Sprint'), 0]);
    expect(makeNoteStore(db).findDuplicates(1, 'Sprint')).toEqual([1]);
    db.close();
  });

  it('a failing migration leaves the database at the last whole version', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.exec('CREATE TABLE clash (x)');
    const broken = { version: LATEST_SCHEMA_VERSION + 1, name: 'broken', sql: 'CREATE TABLE ok_part (x); CREATE TABLE clash (x);' };
    migrations.push(broken);
    try {
      expect(() => migrate(db, broken.version)).toThrow(/clash/);
    } finally {
      migrations.pop();
    }
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'ok_part'").get()).toEqual({ n: 0 });
  });
});

describe('opening the collection', () => {
  it('uses WAL, foreign keys and normal sync, and makes the first daily backup after checking the file', async () => {
    const dir = tempDir();
    core = await makeTestCore({ dataDir: dir, dailyMaintenance: true });
    const db = core.ctx.db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    await core.maintenance;
    expect(listBackups(path.join(dir, 'backups')).map((b) => b.kind)).toEqual(['daily']);
  });

  it('commits durable transactions with a full sync, all or nothing, and goes back to normal after', async () => {
    core = await makeTestCore();
    const db = core.ctx.db;
    const level = () => db.pragma('synchronous', { simple: true });
    const inside = durableTransaction(db, () => {
      db.prepare("INSERT INTO settings (key, value) VALUES ('durable.test', '1')").run();
      return [level(), db.inTransaction];
    });
    expect(inside).toEqual([2, true]);
    expect(level()).toBe(1);
    expect(() =>
      durableTransaction(db, () => {
        db.prepare("INSERT INTO settings (key, value) VALUES ('durable.rolled', '1')").run();
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(level()).toBe(1);
    expect(db.prepare("SELECT key FROM settings WHERE key LIKE 'durable.%'").pluck().all()).toEqual(['durable.test']);
  });

  it('refuses a database made by a newer Cadence, says which version, and leaves it untouched', async () => {
    const dir = tempDir();
    const { db } = await open(dir);
    db.prepare("UPDATE app_meta SET value = '9.4.0' WHERE key = 'app_version'").run();
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 3}`);
    db.close();
    const file = path.join(dir, 'cadence.sqlite');
    const before = fs.readFileSync(file);
    await expect(open(dir)).rejects.toThrow(/written by Cadence 9\.4\.0.*this is Cadence 1\.0\.0/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('backs up before migrating an older database', async () => {
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThan(1);
    const dir = tempDir();
    fs.mkdirSync(dir, { recursive: true });
    const old = new Database(path.join(dir, 'cadence.sqlite'));
    migrate(old, LATEST_SCHEMA_VERSION - 1);
    old.prepare("INSERT INTO decks (name, created_at, updated_at) VALUES ('Kept', 0, 0)").run();
    old.close();
    const { db } = await open(dir);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT name FROM decks').all()).toEqual([{ name: 'Kept' }]);
    db.close();
    const pre = listBackups(path.join(dir, 'backups')).find((b) => b.kind === 'pre-migration');
    expect(pre).toBeDefined();
    const snapshot = new Database(pre!.file, { readonly: true });
    expect(schemaVersion(snapshot)).toBe(LATEST_SCHEMA_VERSION - 1);
    snapshot.close();
  });

  it('makes one daily backup a day, however often it is opened', async () => {
    const dir = tempDir();
    const clock = fakeClock('2026-05-01T09:00:00');
    const openAndMaintain = async () => {
      const c = await makeTestCore({ dataDir: dir, clock, dailyMaintenance: true });
      await c.maintenance;
      c.close();
    };
    await openAndMaintain();
    clock.advance(3 * 3_600_000);
    await openAndMaintain();
    expect(listBackups(path.join(dir, 'backups'))).toHaveLength(1);
    clock.advance(24 * 3_600_000);
    await openAndMaintain();
    expect(listBackups(path.join(dir, 'backups'))).toHaveLength(2);
  });

  it('finds damage deep inside the file in the background, keeps the good backups, and recovers at the next start', async () => {
    const dir = tempDir();
    const clock = fakeClock('2026-05-01T09:00:00');
    core = await makeTestCore({ dataDir: dir, clock, dailyMaintenance: true });
    await core.maintenance;
    for (let i = 0; i < 300; i++) await core.call('decks.create', { name: `Deck ${i} ${'x'.repeat(60)}` });
    core.close();
    core = undefined;
    // Damage the pages holding the decks (the header and schema stay readable).
    const file = path.join(dir, 'cadence.sqlite');
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    let damaged = 0;
    for (let page = 1; page * pageSize < bytes.length; page++) {
      const at = page * pageSize;
      if (bytes.subarray(at, at + pageSize).includes(Buffer.from('Deck 1'))) {
        bytes.fill(0xff, at, at + 64);
        damaged++;
      }
    }
    expect(damaged).toBeGreaterThan(0);
    fs.writeFileSync(file, bytes);
    expect((await checkIntegrityInBackground(file)).ok).toBe(false);

    clock.advance(24 * 3_600_000);
    core = await makeTestCore({ dataDir: dir, clock, dailyMaintenance: true });
    await core.maintenance;
    // The check stops writes at once and says so; recovery is offered now.
    const health = await core.call('app.health');
    expect(health.state).toBe('damaged');
    expect(health.message).toMatch(/found damage.*stopped saving changes/);
    expect(core.events.some((e) => e.name === 'app.health')).toBe(true);
    expect((await core.fail('decks.create', { name: 'Lost?' })).code).toBe('damaged');
    // No backup of the damaged file was made.
    expect(listBackups(path.join(dir, 'backups'))).toHaveLength(1);
    core.close();

    // Quitting without recovering: the next start recovers by itself.
    core = await makeTestCore({ dataDir: dir, clock });
    const info = await core.call('app.info');
    expect(info.notices[0]!.message).toMatch(/damaged.*backup from/s);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('cadence.sqlite.damaged-'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'needs-recovery'))).toBe(false);
  });

  it('recovers a damaged file from the newest good backup, keeps the damaged file, and says so', async () => {
    const dir = tempDir();
    const clock = fakeClock('2026-05-01T09:00:00');
    core = await makeTestCore({ dataDir: dir, clock });
    await core.call('decks.create', { name: 'Before the backup' });
    clock.advance(60_000);
    await core.call('backups.create');
    await core.call('decks.create', { name: 'After the backup' });
    core.close();
    core = undefined;
    const file = path.join(dir, 'cadence.sqlite');
    const bytes = fs.readFileSync(file);
    bytes.fill(0x41, 0, 4096); // clobber the header page
    fs.writeFileSync(file, bytes);
    fs.rmSync(file + '-wal', { force: true });

    clock.advance(3_600_000);
    core = await makeTestCore({ dataDir: dir, clock });
    const info = await core.call('app.info');
    expect(info.notices).toHaveLength(1);
    expect(info.notices[0]!.level).toBe('error');
    expect(info.notices[0]!.message).toMatch(/damaged.*kept as cadence\.sqlite\.damaged-.*backup from/s);
    const names = (await core.call('decks.list')).decks.map((d) => d.name);
    expect(names).toEqual(['Before the backup']);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('cadence.sqlite.damaged-'))).toBe(true);
  });

  it('starts an empty collection when the file is damaged and no backup is good, and says so', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'cadence.sqlite'), 'this is not a database at all'.repeat(200));
    core = await makeTestCore({ dataDir: dir });
    const info = await core.call('app.info');
    expect(info.notices[0]!.message).toMatch(/no good backup was found/i);
    expect((await core.call('decks.list')).decks).toEqual([]);
    const aside = fs.readdirSync(dir).find((f) => f.startsWith('cadence.sqlite.damaged-'));
    expect(fs.readFileSync(path.join(dir, aside!), 'utf8')).toContain('this is not a database');
  });
});

describe('backup rotation', () => {
  it('keeps the newest backup of the last 7 days, then one for each of 4 earlier weeks, and 3 pre-migration ones', () => {
    const dir = tempDir();
    const day = 86_400_000;
    const start = new Date('2026-01-01T12:00:00').getTime();
    const made: number[] = [];
    for (let d = 0; d < 60; d++) {
      for (const hour of [0, 2]) {
        const t = start + d * day + hour * 3_600_000;
        made.push(t);
        fs.writeFileSync(path.join(dir, `cadence-daily-2026-01-01T00-00-00-${t}.sqlite`), '');
      }
    }
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, `cadence-pre-migration-2026-01-01T00-00-00-${start + i * day}.sqlite`), '');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a backup');

    rotateBackups(dir);
    const left = listBackups(dir);
    const daily = left.filter((b) => b.kind === 'daily');
    expect(daily).toHaveLength(11);
    // The newest 7 are the later backup of each of the last 7 days.
    const last = start + 59 * day + 2 * 3_600_000;
    expect(daily.slice(0, 7).map((b) => b.createdAt)).toEqual(Array.from({ length: 7 }, (_, i) => last - i * day));
    // The 4 weekly ones are at least a week apart from each other.
    const weekly = daily.slice(7).map((b) => b.createdAt);
    for (let i = 1; i < weekly.length; i++) expect(weekly[i - 1]! - weekly[i]!).toBeGreaterThanOrEqual(day);
    expect(new Set(weekly.map((t) => Math.floor((t - start) / (7 * day)))).size).toBe(4);
    expect(left.filter((b) => b.kind === 'pre-migration')).toHaveLength(3);
    expect(fs.existsSync(path.join(dir, 'notes.txt'))).toBe(true);
  });
});
