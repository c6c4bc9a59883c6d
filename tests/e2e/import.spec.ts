import zlib from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { NT, bigCollection, legacyPackage, type FxCollection } from '../unit/transfer-fixtures';

/** A real PNG (solid colour with a diagonal stripe), so the browser can decode and show it. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const stripe = Math.abs(x - y * (width / height)) < 6;
      row.set(stripe ? [220, 60, 60] : [79, 70, 229], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** A shared-deck-sized package: `bulk` notes in "Big", and one picture card in "Pictures". */
function pictureDeck(bulk: number): Buffer {
  const col: FxCollection = bigCollection(bulk, 200);
  const id = new Date('2026-01-20T10:00:00').getTime();
  col.decks.push({ id: 78, name: 'Pictures' });
  col.notes.push({ id, guid: 'e2e-burndown', mid: NT.basic, mod: id / 1000, tags: ['charts'], fields: ['Which chart is this? <img src="burndown.png">', 'A burn-down chart'] });
  col.cards.push({ id: id + 1, nid: id, did: 78, ord: 0, type: 0, queue: 0, due: 0 });
  col.media.push({ name: 'burndown.png', bytes: png(160, 90) });
  return Buffer.from(legacyPackage(col));
}

async function openImport(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await page.getByRole('link', { name: 'Import…' }).click();
  await expect(page.getByRole('heading', { name: 'Import & export' })).toBeVisible();
}

test('imports an Anki package with a progress bar, then studies a card that shows its picture', async ({ page, app }) => {
  await openImport(page, app.url);
  await page.getByLabel('File to import').setInputFiles({ name: 'pm-pictures.apkg', mimeType: 'application/octet-stream', buffer: pictureDeck(6000) });
  await expect(page.getByText('pm-pictures.apkg')).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  // The bar shows while the package is worked on, with what is happening and a way out.
  const bar = page.getByRole('progressbar');
  await expect(bar).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel import' })).toBeVisible();
  await expect(page.locator('.job-progress-text strong')).toHaveText(/Reading the file|Copying pictures|Working out schedules|Saving notes/);
  await screenshot(page, 'import-progress');

  await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible({ timeout: 60_000 });
  await expect(bar).toHaveCount(0);
  const added = page.locator('.summary-counts div', { hasText: 'Added' }).locator('dd');
  await expect(added).toHaveText('6,001');
  await expect(page.getByText(/201 new media files/)).toBeVisible();
  await expect(page.getByText('Decks: Big, Pictures.')).toBeVisible();
  await screenshot(page, 'import-summary');

  // Study the picture card: its image comes from the media folder and is really shown.
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await page.locator('tr[data-deck="Pictures"]').getByRole('link', { name: 'Study Pictures now' }).click();
  const question = page.getByRole('region', { name: 'Question' });
  await expect(question).toContainText('Which chart is this?');
  const image = question.locator('img');
  await expect(image).toHaveCount(1);
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(160);
  await screenshot(page, 'import-study-picture');
  await page.keyboard.press('Space');
  await expect(page.getByRole('region', { name: 'Answer' })).toContainText('A burn-down chart');
  await page.keyboard.press('4');
  await expect(page.getByRole('heading', { name: 'Session complete' })).toBeVisible();
});

test('cancelling an import leaves the collection as it was', async ({ page, app }) => {
  await openImport(page, app.url);
  await page.getByLabel('File to import').setInputFiles({ name: 'big.apkg', mimeType: 'application/octet-stream', buffer: pictureDeck(20000) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.locator('.job-progress-text strong')).toHaveText(/Copying pictures|Working out schedules|Saving notes/, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Cancel import' }).click();
  await expect(page.getByRole('status')).toHaveText('Import cancelled. Nothing was changed.', { timeout: 30_000 });
  expect(await app.call<{ decks: unknown[] }>('decks.list')).toEqual({ decks: [] });
  // The file is still there to try again.
  await expect(page.getByRole('button', { name: 'Import', exact: true })).toBeVisible();
});

test('maps the columns of a CSV file before importing it', async ({ page, app }) => {
  await openImport(page, app.url);
  const csv = 'Term;Meaning;Tags\nWIP limit;Caps work in progress;kanban\nVelocity;Work done per sprint;scrum metrics\n';
  await page.getByLabel('File to import').setInputFiles({ name: 'terms.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByLabel('Separator')).toHaveValue('semicolon');
  await expect(page.getByLabel('The first row holds column titles')).not.toBeChecked();
  await page.getByLabel('The first row holds column titles').check();
  await page.getByLabel('Column 3').selectOption('tags');
  await page.getByLabel('Deck').fill('Agile::Terms');
  await screenshot(page, 'import-csv-mapping');
  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
  await expect(page.locator('.summary-counts div', { hasText: 'Added' }).locator('dd')).toHaveText('2');
  const decks = await app.call<{ decks: { path: string; counts: { total: number } }[] }>('decks.list');
  expect(decks.decks.find((d) => d.path === 'Agile::Terms')?.counts.total).toBe(2);
});

test('downloads a backup file and restores it from Settings', async ({ page, app }) => {
  await app.call('decks.create', { name: 'Keep me' });
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Backup file' });
  const downloading = page.waitForEvent('download');
  await section.getByRole('button', { name: 'Download backup' }).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toMatch(/^cadence-backup-.*\.zip$/);
  await expect(section.getByRole('status')).toContainText('Saved cadence-backup-');
  const backup = await file.path();

  // Later the deck is deleted; the backup brings it back after a confirmation.
  const { decks } = await app.call<{ decks: { id: number }[] }>('decks.list');
  await app.call('decks.delete', { id: decks[0]!.id });
  await section.getByLabel('Backup file (.zip)').setInputFiles(backup);
  const dialog = page.getByRole('dialog', { name: 'Replace your collection with this backup?' });
  await expect(dialog).toContainText('Every checksum matched');
  await screenshot(page, 'backup-restore-confirm');
  await dialog.getByRole('button', { name: 'Restore' }).click();
  await expect(section.getByRole('status').filter({ hasText: 'Restored.' })).toBeVisible();
  const after = await app.call<{ decks: { name: string }[] }>('decks.list');
  expect(after.decks.map((d) => d.name)).toEqual(['Keep me']);
  await screenshot(page, 'backup-restored');
});
