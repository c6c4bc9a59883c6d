// Updating from a newer copy of a deck and importing imperfect CSV files, as a user does it: the
// importer asks before notes change note type, and a CSV file's bad lines are listed, not fatal.
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { NT, legacyPackage, sampleCollection } from '../unit/transfer-fixtures';

async function openImport(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await page.getByRole('link', { name: 'Import…' }).click();
  await expect(page.getByRole('heading', { name: 'Import & export' })).toBeVisible();
}

async function importFile(page: Page, name: string, buffer: Buffer) {
  await page.getByLabel('File to import').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
}

test('a deck whose note type gained a field asks first, then moves the notes to the new design', async ({ page, app }) => {
  await openImport(page, app.url);
  await importFile(page, 'pm.apkg', Buffer.from(legacyPackage(sampleCollection())));
  await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();

  const newer = sampleCollection();
  const term = newer.noteTypes.find((t) => t.id === NT.custom)!;
  term.fields.push('Source');
  term.mtime = 1_767_200_000;
  newer.notes.find((n) => n.guid === 'gOkr0005')!.fields.push('Measure What Matters');
  await page.getByRole('button', { name: 'Import another file' }).click();
  await importFile(page, 'pm-newer.apkg', Buffer.from(legacyPackage(newer)));

  const question = page.getByRole('alertdialog', { name: 'This deck changed a note type' });
  await expect(question).toBeVisible();
  await expect(question).toContainText('"PM Term" (1 note here)');
  await screenshot(page, 'import-note-type-question');
  await question.getByRole('button', { name: 'Import as a new note type' }).click();

  await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
  await expect(page.getByText('Updated card designs (your notes keep their cards and history): PM Term.')).toBeVisible();
  await expect(page.locator('.summary-counts div', { hasText: 'Updated' }).locator('dd')).toHaveText('1');
  await screenshot(page, 'import-note-type-updated');
});

test('a CSV file with malformed lines imports its good rows and lists the bad lines', async ({ page, app }) => {
  await openImport(page, app.url);
  const csv = '#separator:Comma\nSprint,A time-box\nVelocity,Work done,per sprint\nIncrement,A usable step\nBacklog\n';
  await page.getByLabel('File to import').setInputFiles({ name: 'terms.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const warning = page.getByRole('status').filter({ hasText: 'Some lines of this file will be left out.' });
  await expect(warning).toContainText('Line 3 will be skipped');
  await expect(warning).toContainText('Line 5 will be skipped');
  await page.getByLabel('Deck').fill('Scrum');
  await screenshot(page, 'import-csv-bad-lines-preview');
  await page.getByRole('button', { name: /^Import 2 rows?$/ }).click();

  await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
  await expect(page.locator('.summary-counts div', { hasText: 'Added' }).locator('dd')).toHaveText('2');
  const lines = page.getByRole('heading', { name: 'Lines not imported' }).locator('..');
  await expect(lines.getByRole('listitem')).toHaveText([/^Line 3: it has 3 columns/, /^Line 5: it has 1 column,/]);
  await screenshot(page, 'import-csv-bad-lines-summary');
});
