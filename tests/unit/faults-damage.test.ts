// Damage, emptied files and backups: damage is found when it is met (by a request, or the check at
// every start), writes stop at once, recovery restores the newest good backup and says what is lost,
// and no backup rotation or "Back up now" ever destroys the last good copy.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { listBackups, rotateBackups } from '../../electron/core/db/backup';
import { toErrorShape } from '../../electron/core/invoke';
import { garble, garblePagesHolding } from './damage';
import { deckWithNotes, fakeClock, makeTestCore, tempDir, type TestCore } from './testCore';

let core: TestCore | undefined;
afterEach(() => {
  core?.close();
  core = undefined;
});

const HOUR = 3_600_000;
const names = async (c: TestCore) => (await c.call('decks.list')).decks.map((d) => d.name).sort();

/** A collection with a deck of `notes` notes and one backup of it, made an hour before `clock`'s now. */
async function collectionWithBackup(dir: string, clock = fakeClock('2026-05-01T09:00:00'), notes = 30) {
  core = await makeTestCore({ dataDir: dir, clock });
  await deckWithNotes(core, 'Kept', notes);
  const made = await core.call('backups.create');
  clock.advance(HOUR);
  await core.call('decks.create', { name: 'After the backup' });
  core.close();
  core = undefined;
  return { clock, made };
}

describe('an emptied or missing collection next to backups', () => {
  it('is damage, not a new user: the backup comes back, the empty file is kept, and Back up now never deletes it', async () => {
    const dir = tempDir();
    const { clock, made } = await collectionWithBackup(dir);
    const file = path.join(dir, 'cadence.sqlite');
    fs.rmSync(`${file}-wal`, { force: true });
    fs.truncateSync(file, 0);

    core = await makeTestCore({ dataDir: dir, clock });
    const info = await core.call('app.info');
    expect(info.notices[0]!.message).toMatch(/collection file was empty, although Cadence has backups.*kept as cadence\.sqlite\.damaged-.*backup from 1 May 2026, 09:00 was restored/s);
    expect(await names(core)).toEqual(['Kept']);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('cadence.sqlite.damaged-'))).toBe(true);

    // A manual backup the same day keeps the one that held the notes.
    const again = await core.call('backups.create');
    expect(again.holds.notes).toBe(30);
    expect(listBackups(path.join(dir, 'backups')).map((b) => b.file)).toEqual(expect.arrayContaining([made.backup.file, again.backup.file]));
  });

  it('is restored when the file is gone but backups are there, and the message says how to start over instead', async () => {
    const dir = tempDir();
    const { clock } = await collectionWithBackup(dir);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dir, `cadence.sqlite${suffix}`), { force: true });
    core = await makeTestCore({ dataDir: dir, clock });
    expect((await core.call('app.info')).notices[0]!.message).toMatch(/collection file was missing.*backup from .* was restored/s);
    expect(await names(core)).toEqual(['Kept']);
  });
});

describe('damage met while Cadence runs', () => {
  it('found by the start-up check: writes stop at once, recovery restores the newest good backup and says what is lost', async () => {
    const dir = tempDir();
    const { clock } = await collectionWithBackup(dir, fakeClock('2026-05-01T09:00:00'), 300);
    expect(garblePagesHolding(path.join(dir, 'cadence.sqlite'), 'Kept question 1')).toBeGreaterThan(0);

    // The same day: no daily check is due, but every start looks the file over quickly.
    clock.advance(HOUR);
    core = await makeTestCore({ dataDir: dir, clock, dailyMaintenance: true });
    await core.maintenance;
    const health = await core.call('app.health');
    expect(health).toMatchObject({ state: 'damaged', newestBackupAt: new Date('2026-05-01T09:00:00').getTime() });
    const refused = await core.fail('decks.create', { name: 'Goes nowhere' });
    expect(refused.code).toBe('damaged');
    expect(refused.message).toMatch(/stopped saving changes.*Recover/);
    expect(fs.existsSync(path.join(dir, 'needs-recovery'))).toBe(true);
    // A backup of the damaged file is refused too: it would only rotate the good ones away.
    expect((await core.fail('backups.create', undefined)).code).toBe('damaged');

    const recovered = await core.call('collection.recover');
    expect(recovered.restoredFrom).toBe(new Date('2026-05-01T09:00:00').getTime());
    expect(recovered.message).toMatch(/backup from 1 May 2026, 09:00 was restored: changes made after that are missing/);
    expect(recovered.keptAs).toMatch(/^cadence\.sqlite\.damaged-/);
    expect(fs.existsSync(path.join(dir, recovered.keptAs!))).toBe(true);
    expect((await core.call('app.health')).state).toBe('ok');
    expect(await names(core)).toEqual(['Kept']);
    expect((await core.call('browse.search', { text: '' })).total).toBe(300);
    await core.call('decks.create', { name: 'Writes work again' });
    expect(fs.existsSync(path.join(dir, 'needs-recovery'))).toBe(false);
  });

  it('damage inside the search indexes (the full-text tables SQLite keeps for them) is found at start too', async () => {
    const good = tempDir();
    const { clock } = await collectionWithBackup(good, fakeClock('2026-05-01T09:00:00'), 300);
    const file = path.join(good, 'cadence.sqlite');
    const probe = new Database(file, { readonly: true });
    const pageSize = probe.pragma('page_size', { simple: true }) as number;
    const shadowPages = probe
      .prepare("SELECT s.name, s.pageno FROM dbstat s JOIN pragma_table_list t ON t.name = s.name WHERE t.type = 'shadow' AND s.pagetype = 'leaf'")
      .all() as { name: string; pageno: number }[];
    probe.close();
    const tables = [...new Set(shadowPages.map((p) => p.name.replace(/_[a-z]+$/, '')))];
    expect(tables).toEqual(expect.arrayContaining(['notes_fts', 'notes_text']));
    for (const table of ['notes_fts', 'notes_text']) {
      const page = shadowPages.find((p) => p.name.startsWith(`${table}_`))!;
      const dir = tempDir();
      fs.cpSync(good, dir, { recursive: true });
      const bytes = fs.readFileSync(path.join(dir, 'cadence.sqlite'));
      for (let i = 0; i < 64; i++) bytes[(page.pageno - 1) * pageSize + i] = (i * 131 + 17) & 0xff;
      fs.writeFileSync(path.join(dir, 'cadence.sqlite'), bytes);
      const c = await makeTestCore({ dataDir: dir, clock, dailyMaintenance: true });
      await c.maintenance;
      const found = (await c.call('app.info')).notices.some((n) => /damaged/.test(n.message)) || (await c.call('app.health')).state === 'damaged';
      c.close();
      expect(found, `a page of ${page.name}`).toBe(true);
    }
  });

  it('garbage of 4 to 32 KB anywhere in the middle of the file is found by the end of the start-up check, never later', async () => {
    const good = tempDir();
    const { clock } = await collectionWithBackup(good, fakeClock('2026-05-01T09:00:00'), 300);
    for (const kb of [4, 16, 32]) {
      for (const at of [0.25, 0.5, 0.75]) {
        const dir = tempDir();
        fs.cpSync(good, dir, { recursive: true });
        garble(path.join(dir, 'cadence.sqlite'), kb * 1024, at);
        const c = await makeTestCore({ dataDir: dir, clock, dailyMaintenance: true });
        await c.maintenance;
        const recoveredAtStart = (await c.call('app.info')).notices.some((n) => /damaged/.test(n.message));
        const stoppedWrites = (await c.call('app.health')).state === 'damaged';
        c.close();
        expect(recoveredAtStart || stoppedWrites, `${kb} KB at ${at * 100}% of the file`).toBe(true);
      }
    }
  });

  it('met by a request: the request says so in a sentence and no further write reaches the file', async () => {
    const dir = tempDir();
    const clock = fakeClock('2026-05-01T09:00:00');
    core = await makeTestCore({ dataDir: dir, clock });
    for (let i = 0; i < 200; i++) await core.call('decks.create', { name: `Deck ${i} ${'x'.repeat(60)}` });
    core.close();
    // Damage the pages holding the decks; the header and schema stay readable, so it opens.
    const file = path.join(dir, 'cadence.sqlite');
    expect(garblePagesHolding(file, 'Deck 1')).toBeGreaterThan(0);
    core = await makeTestCore({ dataDir: dir, clock });
    const met = await core.fail('decks.list', undefined);
    expect(met.code).toBe('damaged');
    expect(met.message).not.toMatch(/Something went wrong/);
    const sizeBefore = fs.statSync(file).size;
    expect((await core.fail('settings.update', { dailyGoalCards: 77 })).code).toBe('damaged');
    core.tickWal();
    expect(fs.statSync(file).size).toBe(sizeBefore);
    // No backup was good: recovery starts a new collection and keeps the damaged file.
    const recovered = await core.call('collection.recover');
    expect(recovered.restoredFrom).toBeNull();
    expect(recovered.message).toMatch(/No good backup was found, so Cadence started a new, empty collection/);
    expect(await names(core)).toEqual([]);
  });

  it("damage met while reading a file the user chose is that file's, not the collection's", async () => {
    core = await makeTestCore();
    const corrupt = () => Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    expect(toErrorShape(corrupt(), 'import.anki', core.ctx)).toEqual({ code: 'unsupported', message: 'The file you chose is damaged, so Cadence could not read it. Nothing was changed.' });
    expect((await core.call('app.health')).state).toBe('ok');
    await core.call('decks.create', { name: 'Still writable' });
    // Met by any other request, it is the collection's.
    expect(toErrorShape(corrupt(), 'decks.list', core.ctx).code).toBe('damaged');
    expect((await core.call('app.health')).state).toBe('damaged');
  });

  it('refuses to "recover" a healthy collection', async () => {
    core = await makeTestCore();
    expect(await core.fail('collection.recover', undefined)).toMatchObject({ code: 'conflict', message: expect.stringMatching(/not damaged/) });
  });
});

describe('backups', () => {
  it('"Back up now" says what it holds; a listed backup can be restored, saving the current collection first', async () => {
    const dir = tempDir();
    const { clock, made } = await collectionWithBackup(dir, fakeClock('2026-05-01T09:00:00'), 12);
    expect(made.holds).toEqual({ notes: 12, cards: 12, reviews: 0 });
    expect(made.backup.kind).toBe('manual');

    core = await makeTestCore({ dataDir: dir, clock });
    expect(await names(core)).toEqual(['After the backup', 'Kept']);
    const name = path.basename(made.backup.file);
    const inspected = await core.call('backups.inspect', { name });
    expect(inspected.holds.notes).toBe(12);
    expect(inspected.current.notes).toBe(12);
    const restored = await core.call('backups.restore', { name });
    expect(restored.restoredFrom).toBe(made.backup.createdAt);
    expect(await names(core)).toEqual(['Kept']);
    expect(fs.existsSync(path.join(dir, 'backups', restored.safetyBackup))).toBe(true);
    expect((await core.fail('backups.restore', { name: '../cadence.sqlite' })).code).toBe('invalid_input');
    expect((await core.fail('backups.restore', { name: 'cadence-daily-2020-01-01T00-00-00-1.sqlite' })).code).toBe('not_found');
  });

  it('rotation keeps the last manual backups and never deletes one that holds more than the collection now', () => {
    const dir = tempDir();
    const day = 86_400_000;
    const start = new Date('2026-01-01T12:00:00').getTime();
    const make = (kind: string, t: number, notes: number) => {
      const db = new Database(path.join(dir, `cadence-${kind}-2026-01-01T00-00-00-${t}.sqlite`));
      db.exec('CREATE TABLE notes (id); CREATE TABLE cards (id); CREATE TABLE revlog (id);');
      const insert = db.prepare('INSERT INTO notes VALUES (?)');
      db.transaction(() => {
        for (let i = 0; i < notes; i++) insert.run(i);
      })();
      db.close();
    };
    // Sixty days of dailies of a collection of 10 notes, but one old day held 500.
    for (let d = 0; d < 60; d++) make('daily', start + d * day, d === 5 ? 500 : 10);
    // Six manual backups on one old day.
    for (let i = 0; i < 6; i++) make('manual', start + 3 * day + i * 60_000, 10);
    const rotation = rotateBackups(dir, { notes: 10, cards: 10, reviews: 0 });
    expect(rotation.keptLarger.map((b) => [b.createdAt, b.notes])).toEqual([[start + 5 * day, 500]]);
    const left = listBackups(dir);
    expect(left.filter((b) => b.kind === 'manual')).toHaveLength(5);
    expect(left.some((b) => b.createdAt === start + 5 * day)).toBe(true);
  });
});
