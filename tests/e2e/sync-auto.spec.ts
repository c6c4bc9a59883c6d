// Automatic, end-to-end encrypted sync between two browser-mode Cadences and one CouchDB-protocol
// server (pouchdb-server): a review made on one shows on the other within one automatic cycle, with
// nobody pressing Sync now; and the progress bar of a long first sync.
import { expect, screenshot, startApp, stopApp, test } from './fixtures';
import { startSyncServer, type SyncServer } from '../unit/syncServer';

// Automatic sync every 3 s here (the app's own setting of the rhythm; 5 minutes when it is not set).
const EVERY_S = 3;
const QUICK = { CADENCE_SYNC_INTERVAL_S: String(EVERY_S) };
const PASSPHRASE = 'lantern backlog meadow';

let server: SyncServer;
test.beforeAll(async () => {
  server = await startSyncServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('a review made on one computer shows on the other within one automatic sync cycle, encrypted on the way', async ({ page }) => {
  test.setTimeout(120_000);
  const { url, database } = await server.database('e2e-auto');
  const a = await startApp(undefined, { env: QUICK });
  const b = await startApp(undefined, { env: QUICK });
  try {
    const deck = await a.call<{ id: number }>('decks.create', { name: 'Kanban', parentId: null });
    const saved = await a.call<{ note: { cards: { id: number }[] } }>('notes.create', {
      noteTypeId: 1,
      deckId: deck.id,
      fields: ['What does a WIP limit cap?', 'The work items in progress in a column or system'],
    });

    // A: set up in Settings → Sync, with a passphrase.
    await page.goto(a.url);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const sync = page.getByRole('region', { name: 'Sync' });
    await sync.scrollIntoViewIfNeeded();
    await sync.getByLabel('Server address').fill(url);
    await sync.getByLabel('Database').fill(database);
    await sync.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await sync.getByLabel('Passphrase again').fill('lantern backlog meadows');
    await sync.getByRole('button', { name: 'Save' }).click();
    await expect(sync.getByText('The two passphrases differ.')).toBeVisible();
    await sync.getByLabel('Passphrase again').fill(PASSPHRASE);
    await sync.getByRole('button', { name: 'Save' }).click();
    await expect(sync.getByRole('group', { name: /End-to-end encryption On/ })).toBeVisible();
    await expect(sync.getByLabel('Sync automatically')).toBeChecked();
    // Nobody presses Sync now: the automatic sync after saving sends the deck and the note.
    await expect(sync.getByText(/^Last synced .*\(just now\)\./)).toBeVisible({ timeout: 30_000 });

    // B: the same server and passphrase; its automatic syncs bring the note.
    await b.call('sync.configure', { url, database, username: '', passphrase: PASSPHRASE });
    const cardsOnB = async () => (await b.call<{ rows: { reps: number }[] }>('browse.search', {})).rows;
    await expect.poll(async () => (await cardsOnB()).length, { timeout: 30_000 }).toBe(1);

    // A review on A: on B within one automatic cycle (A's sync a few seconds after the change, then B's next).
    await a.call('study.answer', { cardId: saved.note.cards[0]!.id, rating: 3, durationMs: 3000 });
    const answeredAt = Date.now();
    await expect.poll(async () => (await cardsOnB())[0]?.reps, { timeout: 8 * EVERY_S * 1000, intervals: [250] }).toBe(1);
    const took = Date.now() - answeredAt;
    expect(took).toBeLessThan(8 * EVERY_S * 1000);

    // The server's copy holds ciphertext only.
    const res = await fetch(`${url}/${database}/_all_docs?include_docs=true`);
    const onServer = await res.text();
    expect(onServer).toContain('"e2e"');
    expect(onServer).not.toContain('WIP limit');
    expect(onServer).not.toContain('Kanban');

    // B's Today says how sync is doing, and leads to Settings → Sync.
    await page.goto(b.url);
    const status = page.getByRole('link', { name: /^(Synced (just now|\d+ minutes? ago)|Syncing….*)\. Open Settings, Sync$/ });
    await expect(status).toBeVisible();
    await expect(page.getByRole('link', { name: /^Synced / })).toBeVisible({ timeout: 15_000 });
    await screenshot(page, 'today-sync-status');
    await page.getByRole('link', { name: /^Synced / }).click();
    const bSync = page.getByRole('region', { name: 'Sync' });
    await expect(bSync.getByRole('group', { name: /End-to-end encryption On/ })).toBeInViewport();
    await screenshot(page, 'settings-sync-encrypted');
    await page.emulateMedia({ colorScheme: 'dark' });
    await bSync.getByText('Sync automatically').scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-sync-encrypted-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // A wrong passphrase on B: a clear sentence, on Today too.
    await b.call('sync.configure', { url, database, username: '', passphrase: 'lantern backlog meadows' });
    await b.call('sync.now').catch(() => {});
    await page.getByRole('link', { name: 'Today', exact: true }).click();
    await expect(page.getByRole('link', { name: 'Sync failed: the passphrase is wrong. Open Settings, Sync' })).toBeVisible();
    await screenshot(page, 'today-sync-failed');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'today-sync-failed-dark');
  } finally {
    await stopApp(a);
    await stopApp(b);
  }
});

test('a long first sync shows its progress', async ({ page }) => {
  test.setTimeout(180_000);
  const { url, database } = await server.database('e2e-progress');
  const a = await startApp(undefined, { starterDecks: true });
  try {
    await a.call('settings.update', { syncAutomatically: false });
    const deck = await a.call<{ id: number }>('decks.create', { name: 'Glossary', parentId: null });
    const terms = Array.from({ length: 2500 }, (_, i) => i);
    for (let i = 0; i < terms.length; i += 25) {
      await Promise.all(
        terms.slice(i, i + 25).map((n) => a.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: [`Glossary term ${n}`, `Meaning ${n}`] })),
      );
    }
    await a.call('sync.configure', { url, database, username: '' });

    await page.goto(a.url);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const sync = page.getByRole('region', { name: 'Sync' });
    await sync.getByRole('button', { name: 'Sync now' }).scrollIntoViewIfNeeded();
    await expect(sync.getByLabel('Sync automatically')).not.toBeChecked();
    await expect(sync.getByText('Not synced yet.')).toBeVisible();
    await sync.getByRole('button', { name: 'Sync now' }).click();
    const bar = sync.getByRole('progressbar', { name: /^(Preparing|Sending) [\d,]+ of 2,8\d\d (changes to send|documents to the server)…$/ });
    await expect(bar).toBeVisible({ timeout: 30_000 });
    // Both numbers read at one moment: the bar moves on (and from one phase to the next) while it is read.
    const [now, max] = await bar.evaluate((el) => [Number(el.getAttribute('aria-valuenow')), Number(el.getAttribute('aria-valuemax'))]);
    expect(now).toBeGreaterThanOrEqual(0);
    expect(now).toBeLessThanOrEqual(max);
    await screenshot(page, 'settings-sync-progress');
    await expect(sync.getByText(/Synced: 2,8\d\d sent, 0 received/)).toBeVisible({ timeout: 120_000 });
    await expect(sync.getByRole('progressbar')).toHaveCount(0);
  } finally {
    await stopApp(a);
  }
});
