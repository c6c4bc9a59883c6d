// Settings → Sync between two browser-mode Cadences and one CouchDB-protocol server (pouchdb-server).
import { expect, screenshot, startApp, stopApp, test } from './fixtures';
import { startSyncServer, type SyncServer } from '../unit/syncServer';

let server: SyncServer;
test.beforeAll(async () => {
  server = await startSyncServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('sets up sync in Settings, syncs a review to a second computer, and lists a conflict to bring back', async ({ page, app }) => {
  const { url, database } = await server.database('e2e-sync');
  const other = await startApp();
  try {
    // Syncs here happen when the test says so (automatic sync has its own spec).
    for (const c of [app, other]) await c.call('settings.update', { syncAutomatically: false });
    // This computer: a deck with a note, answered once.
    const deck = await app.call<{ id: number }>('decks.create', { name: 'Scrum events', parentId: null });
    const saved = await app.call<{ note: { id: number; cards: { id: number }[] } }>('notes.create', {
      noteTypeId: 1,
      deckId: deck.id,
      fields: ['How long is the Sprint Review for a one-month Sprint?', 'At most four hours'],
    });
    await app.call('study.answer', { cardId: saved.note.cards[0]!.id, rating: 3, durationMs: 4000 });

    await page.goto(app.url);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const sync = page.getByRole('region', { name: 'Sync' });
    await sync.scrollIntoViewIfNeeded();
    // An empty address, a short passphrase and two passphrases that differ are each told beside their
    // field, with focus on it, not with the browser's bubble; nothing is saved.
    const address = sync.getByLabel('Server address');
    await sync.getByRole('button', { name: 'Save' }).click();
    await expect(address).toHaveAttribute('aria-invalid', 'true');
    await expect(address).toHaveAccessibleDescription('Enter the server address, like https://couch.example.org:6984.');
    await expect(address).toBeFocused();
    await address.fill(url);
    const passphrase = sync.getByLabel(/^Passphrase(?! again)/);
    await passphrase.fill('short');
    await sync.getByRole('button', { name: 'Save' }).click();
    await expect(passphrase).toHaveAttribute('aria-invalid', 'true');
    await expect(passphrase).toBeFocused();
    await passphrase.fill('a long passphrase');
    await sync.getByLabel(/^Passphrase again/).fill('another passphrase');
    await sync.getByRole('button', { name: 'Save' }).click();
    await expect(sync.getByLabel(/^Passphrase again/)).toHaveAccessibleDescription('The two passphrases differ. Type the same passphrase in both boxes.');
    await expect(sync.getByLabel(/^Passphrase again/)).toBeFocused();
    expect((await app.call<{ configured: boolean }>('sync.status')).configured).toBe(false);
    await passphrase.fill('');
    // Plain http to another computer is refused in words.
    await sync.getByLabel('Server address').fill('http://couch.example.org:5984');
    await sync.getByRole('button', { name: 'Save' }).click();
    await expect(sync.getByText(/must be reached over HTTPS/)).toBeVisible();
    await sync.getByLabel('Server address').fill(url);
    await sync.getByLabel('Database').fill(database);
    await sync.getByRole('button', { name: 'Save' }).click();
    await expect(sync.getByText('Not synced yet.')).toBeVisible();
    await sync.getByRole('button', { name: 'Sync now' }).click();
    await expect(sync.getByText(/Synced: 3 sent, 0 received/)).toBeVisible({ timeout: 30_000 });
    await expect(sync.getByText(/Last synced/)).toBeVisible();

    // The other computer: the deck, the note and the review arrive.
    await other.call('sync.configure', { url, database, username: '' });
    await other.call('sync.now');
    const decks = await other.call<{ decks: { name: string; id: number }[] }>('decks.list');
    expect(decks.decks.map((d) => d.name)).toEqual(['Scrum events']);
    const rows = await other.call<{ rows: { noteId: number; reps: number; due: number; state: string }[] }>('browse.search', {});
    const here = await app.call<{ rows: { due: number; state: string }[] }>('browse.search', {});
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({ reps: 1, state: here.rows[0]!.state, due: here.rows[0]!.due });

    // Both edit the note before syncing: the newer edit wins, the other is listed here to bring back.
    const otherNote = rows.rows[0]!.noteId;
    await app.call('notes.update', { id: saved.note.id, fields: ['How long is the Sprint Review for a one-month Sprint?', 'Four hours (edited here)'] });
    await new Promise((r) => setTimeout(r, 20));
    await other.call('notes.update', { id: otherNote, fields: ['How long is the Sprint Review for a one-month Sprint?', 'Four hours at most (edited on the other computer)'] });
    await app.call('sync.now');
    await other.call('sync.now');
    await sync.getByRole('button', { name: 'Sync now' }).click();
    await expect(sync.getByText('Note “How long is the Sprint Review for a one-month Sprint?”')).toBeVisible({ timeout: 30_000 });
    await expect(sync.getByText('Four hours (edited here)')).toBeVisible();
    await sync.getByRole('button', { name: 'Bring this version back' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-sync');
    // The conflict cards stand in a plain list: no bullet beside them.
    await expect(sync.getByRole('listitem').filter({ hasText: 'Four hours (edited here)' })).toHaveCSS('list-style-type', 'none');
    await sync.getByRole('button', { name: 'Bring this version back' }).click();
    await expect(sync.getByText('No conflicts')).toBeVisible();
    const back = await app.call<{ fields: string[] }>('notes.get', { id: saved.note.id });
    expect(back.fields[1]).toBe('Four hours (edited here)');
  } finally {
    await stopApp(other);
  }
});

test('says a sync that set a change aside synced, names the change, and counts what the first sync will send', async ({ page, app }) => {
  const { url, database } = await server.database('e2e-setaside');
  // The server's own rule (a validate function): no notes tagged private.
  const rule = await fetch(`${url}/${database}/_design/rules`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      validate_doc_update: `function (doc) { if (doc.type === 'note' && doc.tags && doc.tags.indexOf('private') >= 0) throw { forbidden: 'private notes are not kept on this server' }; }`,
    }),
  });
  expect(rule.ok).toBe(true);
  await app.call('settings.update', { syncAutomatically: false });
  const deck = await app.call<{ id: number }>('decks.create', { name: 'Stakeholders', parentId: null });
  await app.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Who signs off the budget?', 'The sponsor'] });
  await app.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Salary bands', 'x'], tags: ['private'] });
  await app.call('sync.configure', { url, database, username: '' });

  await page.goto(app.url);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const sync = page.getByRole('region', { name: 'Sync' });
  await sync.scrollIntoViewIfNeeded();
  await expect(sync.getByText('Not synced yet. 3 changes waiting to be sent.')).toBeVisible();
  await sync.getByRole('button', { name: 'Sync now' }).click();
  await expect(sync.getByRole('alert')).toContainText('Synced, but one change was set aside. Everything else synced, but one change was set aside');
  await expect(sync.getByRole('alert')).toContainText('Note “Salary bands”: the sync server refused it (“private notes are not kept on this server”)');
  await screenshot(page, 'sync-set-aside');
  await page.getByRole('link', { name: 'Today', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Synced, but one change was set aside. Open Settings, Sync' })).toBeVisible();
});
