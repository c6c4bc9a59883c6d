// Faults as a user meets them in the window and at the command line: a damaged collection (banner,
// "Recover now"), a full disk (the sentence, the banner, and carrying on once space is freed), a
// read-only file or folder and a second copy of Cadence (a sentence and exit, never a stack trace),
// and the backups list in Settings.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, ROOT, screenshot, startApp, test, type RunningApp } from './fixtures';
import { garblePagesHolding } from '../unit/damage';

/** Stops browser mode but keeps its data folder, to start again on it. */
async function stop(app: RunningApp): Promise<void> {
  if (app.process.exitCode !== null || app.process.signalCode !== null) return;
  const exited = new Promise((resolve) => app.process.once('exit', resolve));
  app.process.kill('SIGTERM');
  await exited;
}

const isRoot = process.getuid?.() === 0;

/** Runs browser mode on `dataDir` expecting it to refuse; as root, as the unprivileged user `nobody`. */
function refusedStart(dataDir: string, asNobody = false): { code: number | null; stderr: string } {
  const args = [path.join(ROOT, 'out/node/web.mjs'), '--port', '0', '--data-dir', dataDir, '--quiet'];
  const [cmd, argv] = asNobody && isRoot ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args]] : [process.execPath, args];
  try {
    execFileSync(cmd, argv as string[], { stdio: 'pipe', timeout: 20_000 });
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { status: number | null; stderr: Buffer };
    return { code: e.status, stderr: e.stderr.toString() };
  }
}

function expectSentence(result: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(pattern);
  // One sentence, never a stack trace or a raw SQLite error.
  expect(result.stderr).not.toMatch(/\n\s+at |SqliteError|SQLITE_/);
}

function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-e2e-faults-'));
}

test('a damaged collection: the banner says so, writes stop, and "Recover now" restores the newest backup', async ({ page }) => {
  const dir = tempDataDir();
  let app = await startApp(dir);
  const deck = await app.call<{ id: number }>('decks.create', { name: 'Scrum events' });
  for (let i = 0; i < 120; i++) await app.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: [`Event question ${i} ${'x'.repeat(80)}`, 'answer'] });
  await app.call('backups.create');
  await stop(app);
  // Damage the pages holding the notes; the file still opens.
  expect(garblePagesHolding(path.join(dir, 'cadence.sqlite'), 'Event question 1')).toBeGreaterThan(0);

  app = await startApp(dir);
  try {
    await page.goto(app.url);
    const banner = page.getByRole('alert').filter({ hasText: 'Your collection file is damaged.' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('stopped saving changes');
    await screenshot(page, 'faults-damaged-banner');
    await banner.getByRole('button', { name: 'Recover now…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Recover your collection?' });
    await expect(dialog).toContainText('restores your newest good backup, from');
    await screenshot(page, 'faults-recover-dialog');
    await dialog.getByRole('button', { name: 'Recover', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: /was restored: changes made after that are missing/ })).toBeVisible();
    await expect(banner).toHaveCount(0);
    await page.getByRole('link', { name: 'Decks', exact: true }).click();
    await expect(page.getByRole('link', { name: 'Scrum events', exact: true })).toBeVisible();
    await screenshot(page, 'faults-recovered');
  } finally {
    await stop(app);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a full disk: the action says "Your disk is full", the banner stays until space is freed, then Cadence carries on', async ({ page }) => {
  const dir = tempDataDir();
  // A real small disk where this machine lets us mount one (root, with the right to mount). Elsewhere
  // this test says why it cannot run; the same refusals are also proved on SQLite's own page limit,
  // which needs nothing, in tests/unit/faults-disk.test.ts.
  let cannotMount: string | null = null;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    cannotMount = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim() || 'mount failed';
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`Full-disk end-to-end test skipped: cannot mount a small disk here (${cannotMount}).`);
  }
  test.skip(cannotMount !== null, `cannot mount a small disk here (${cannotMount})`);
  let app: RunningApp | undefined;
  try {
    app = await startApp(dir);
    await page.goto(app.url);
    await page.getByRole('link', { name: 'Decks', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Decks', level: 1 })).toBeVisible();
    // Fill the disk.
    const filler = path.join(dir, 'filler.bin');
    const fd = fs.openSync(filler, 'w');
    try {
      for (;;) fs.writeSync(fd, Buffer.alloc(64 * 1024, 1));
    } catch {
      // ENOSPC: full.
    } finally {
      fs.closeSync(fd);
    }
    // Writes until one is refused (a log file with room left takes a few first).
    let refused: string | null = null;
    for (let i = 0; i < 400 && !refused; i++) {
      try {
        await app.call('notes.create', { noteTypeId: 1, deckId: (await app.call<{ id: number }>('decks.create', { name: `Deck ${i} ${'y'.repeat(80)}` })).id, fields: ['x'.repeat(4000), 'y'] });
      } catch (err) {
        refused = (err as Error).message;
      }
    }
    expect(refused).toMatch(/^Your disk is full, so this change was not saved\./);
    await page.reload();
    const banner = page.getByRole('alert').filter({ hasText: 'Changes are not being saved.' });
    await expect(banner).toContainText('Your disk is full');
    await screenshot(page, 'faults-disk-full');
    fs.rmSync(filler);
    // Cadence notices by itself (its next write check, within seconds).
    await expect(banner).toHaveCount(0, { timeout: 15_000 });
    await app.call('decks.create', { name: 'After space was freed' });
  } finally {
    if (app) await stop(app);
    execFileSync('umount', ['-l', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a read-only collection file or data folder, and a second copy on the same folder, are refused in one sentence', async () => {
  const dir = tempDataDir();
  const app = await startApp(dir);
  try {
    await app.call('decks.create', { name: 'Kept as it was' });
    const second = refusedStart(dir);
    expectSentence(second, new RegExp(`Cadence could not start: This data folder \\(.*\\) is already in use by Cadence in browser mode at ${app.origin.replace(/[.]/g, '\\.')} \\(process \\d+`));
  } finally {
    await stop(app);
  }
  try {
    // File permissions bind everyone but root: as root, Cadence runs as the unprivileged user nobody.
    if (isRoot) execFileSync('chown', ['-R', '65534:65534', dir]);
    const file = path.join(dir, 'cadence.sqlite');
    fs.chmodSync(file, 0o444);
    const before = fs.readFileSync(file);
    expectSentence(refusedStart(dir, true), /Cadence could not start: Cadence's collection file .*cadence\.sqlite is read-only, so nothing you study could be saved\./);
    expect(fs.readFileSync(file).equals(before)).toBe(true);

    fs.chmodSync(file, 0o644);
    fs.chmodSync(dir, 0o555);
    expectSentence(refusedStart(dir, true), /Cadence could not start: Cadence cannot write to its data folder .*, so nothing could be saved\./);
  } finally {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Settings: "Back up now" says what it saved, and a listed backup can be restored', async ({ page, app }) => {
  const deck = await app.call<{ id: number }>('decks.create', { name: 'Before the backup' });
  await app.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Sprint Review', 'Inspect the outcome'] });
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Backed up 1 note, 1 card and 0 reviews' })).toBeVisible();
  await app.call('decks.create', { name: 'After the backup' });
  const restore = page.getByRole('button', { name: /^Restore the backup from / }).first();
  await restore.scrollIntoViewIfNeeded();
  await screenshot(page, 'faults-backups-list');
  await restore.click();
  const dialog = page.getByRole('dialog', { name: 'Replace your collection with this backup?' });
  await expect(dialog).toContainText('holds 1 note, 1 card and 0 reviews');
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Restored the backup from .*saved in the backups folder as cadence-before-restore-/ })).toBeVisible();
  const decks = await app.call<{ decks: { name: string }[] }>('decks.list');
  expect(decks.decks.map((d) => d.name)).toEqual(['Before the backup']);
});
