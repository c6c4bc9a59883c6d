import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { legacyPackage } from '../unit/transfer-fixtures';
import { FITTED, knownParamsCollection, legacyWithPreset } from '../unit/fsrs-fixtures';

const START = new Date('2026-01-05T00:00:00Z').getTime();

/** Imports a year of reviews (from a learner FSRS's defaults do not describe well) through the Import page. */
async function importHistory(page: Page, url: string, cards: number) {
  const col = knownParamsCollection([{ id: 81, name: 'History', count: cards }], START, Math.min(Date.now(), START + 300 * 86_400_000));
  await importPackage(page, url, legacyPackage(col));
}

async function importPackage(page: Page, url: string, bytes: Uint8Array) {
  await page.goto(url);
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await page.getByRole('link', { name: 'Import…' }).click();
  await page.getByLabel('File to import').setInputFiles({ name: 'history.apkg', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible({ timeout: 60_000 });
}

async function openFsrs(page: Page) {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const section = page.getByRole('region', { name: 'FSRS parameters' });
  await section.scrollIntoViewIfNeeded();
  return section;
}

test('optimises a preset from Settings with a progress bar, shows the evaluation, applies and restores', async ({ page, app }) => {
  await importHistory(page, app.url, 1500);
  const fsrs = await openFsrs(page);
  await expect(fsrs.getByText('This preset schedules with FSRS’s default parameters')).toBeVisible();

  await fsrs.getByRole('button', { name: 'Optimise' }).click();
  const bar = fsrs.getByRole('progressbar');
  await expect(bar).toBeVisible();
  await expect(fsrs.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await expect(fsrs.locator('.job-progress-text strong')).toHaveText(/Reading your review history|Preparing the training set|Fitting the parameters|Measuring the fit/);
  await screenshot(page, 'fsrs-progress');

  const result = fsrs.getByRole('region', { name: 'Optimisation result' });
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expect(bar).toHaveCount(0);
  const rows = result.getByRole('row');
  await expect(rows).toHaveCount(3); // header, defaults, fitted
  await expect(result.getByRole('rowheader', { name: /FSRS defaults/ })).toBeVisible();
  await expect(result.getByRole('rowheader', { name: /Fitted to your reviews/ })).toContainText('best');
  await expect(result.getByText(/^The fitted parameters predict your reviews better than the default parameters: log loss/)).toBeVisible();
  await result.scrollIntoViewIfNeeded();
  await screenshot(page, 'fsrs-evaluation');

  await result.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(fsrs.getByRole('status')).toHaveText('Applied: your next answers are scheduled with the fitted parameters.');
  await expect(fsrs.getByText(/This preset schedules with parameters fitted to [\d,]+ of your reviews \(Decks using “Default”\), applied on/)).toBeVisible();
  const preset = await app.call<{ fsrsParams: number[] | null }>('presets.get', { id: 1 });
  expect(preset.fsrsParams).toHaveLength(21);
  await screenshot(page, 'fsrs-applied');

  // Undo: back to the defaults.
  await fsrs.getByRole('button', { name: 'Restore the defaults' }).click();
  await expect(fsrs.getByText('This preset schedules with FSRS’s default parameters')).toBeVisible();
  await expect(fsrs.getByRole('button', { name: 'Restore the defaults' })).toHaveCount(0);
  expect((await app.call<{ fsrsParams: number[] | null }>('presets.get', { id: 1 })).fsrsParams).toBeNull();
});

test('says why it cannot optimise a short history, and simulates a year to choose a desired retention', async ({ page, app }) => {
  await importHistory(page, app.url, 30);
  const fsrs = await openFsrs(page);
  await fsrs.getByRole('button', { name: 'Optimise' }).click();
  await expect(fsrs.getByRole('status')).toContainText(/^Not enough review history yet: .* of the 400 it needs\./);

  await fsrs.getByRole('button', { name: 'Simulate a year' }).click();
  const sim = fsrs.getByRole('region', { name: 'Desired retention' });
  const table = sim.locator('table.fsrs-simulation-table');
  await expect(table).toBeVisible({ timeout: 30_000 });
  await expect(table.getByRole('row')).toHaveCount(16); // header + 70, 72, ... 96, 97 %
  await expect(table.getByText('least work', { exact: true })).toHaveCount(1);
  // Both charts mark the same retention as the table, named in their legends.
  const best = (await table.getByRole('row').filter({ hasText: 'least work' }).getByRole('rowheader').innerText()).match(/^(\d+) %/)![1];
  for (const chart of ['Reviews a day', 'Cards remembered']) {
    await expect(sim.getByRole('img', { name: new RegExp(`^${chart} by desired retention; least work per card remembered at ${best} %$`) })).toBeVisible();
  }
  await expect(sim.locator('.fsrs-charts .u-legend').filter({ hasText: `Least work per card remembered (${best} %)` })).toHaveCount(2);
  await expect(table.getByRole('rowheader', { name: /^90 %/ })).toContainText('now');
  await sim.scrollIntoViewIfNeeded();
  await screenshot(page, 'fsrs-simulation');
  await sim.getByRole('button', { name: 'Use 80 %' }).click();
  await expect.poll(async () => (await app.call<{ desiredRetention: number }>('presets.get', { id: 1 })).desiredRetention).toBe(0.8);
  await expect(table.getByRole('rowheader', { name: /^80 %/ })).toContainText('now');
});

test('offers parameters an Anki package carried, and discards them on request; trains on whole deck trees', async ({ page, app }) => {
  await importPackage(page, app.url, legacyWithPreset({ fsrsParams6: FITTED }));
  const fsrs = await openFsrs(page);
  const offer = fsrs.locator('.notice').filter({ hasText: 'carried FSRS parameters fitted in Anki' });
  await expect(offer).toBeVisible();
  await expect(offer.getByRole('button', { name: 'Use them' })).toBeVisible();

  // "Train on" offers the preset or a whole deck tree (PM with PM::Agile and PM::Agile::Scrum), never a subdeck alone.
  const trainOn = fsrs.getByLabel('Train on');
  // The deck trees arrive with the deck list, a moment after the preset's own option.
  await expect(trainOn.locator('option', { hasText: 'and its subdecks' })).not.toHaveCount(0);
  const options = await trainOn.locator('option').allInnerTexts();
  expect(options[0]).toBe('Every deck using “Default”');
  expect(options).toContain('“PM” and its subdecks');
  expect(options.filter((o) => /Agile|Scrum|›/.test(o))).toEqual([]);
  await offer.scrollIntoViewIfNeeded();
  await screenshot(page, 'fsrs-offered');

  await offer.getByRole('button', { name: 'Discard' }).click();
  await expect(offer).toHaveCount(0);
  await expect(fsrs.getByText('This preset schedules with FSRS’s default parameters')).toBeVisible();
  const status = await app.call<{ offered: unknown; usingDefaults: boolean }>('fsrs.status', { presetId: 1 });
  expect(status).toMatchObject({ offered: null, usingDefaults: true });
  // Still gone after a reload: discarded, not hidden.
  await page.reload();
  await expect((await openFsrs(page)).getByText('This preset schedules with FSRS’s default parameters')).toBeVisible();
  await expect(page.getByText('carried FSRS parameters fitted in Anki')).toHaveCount(0);
});
