// Launches the real desktop app where an Electron binary exists; elsewhere it skips and says why.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
// @ts-expect-error plain ESM helper shared with scripts/start.mjs
import { electronSqliteBinding, installedElectron } from '../../scripts/electron-env.mjs';

const ROOT = path.resolve(__dirname, '../..');

test('the desktop app opens its window, keeps Node out of the page, and creates a deck', async () => {
  process.chdir(ROOT);
  const executablePath = (installedElectron as () => string | null)();
  if (!executablePath) {
    const reason = 'Electron smoke test skipped: no Electron binary on this machine (it downloads at first launch and this machine cannot reach the download).';
    console.log(reason);
    test.skip(true, reason);
    return;
  }
  const binding = (electronSqliteBinding as () => string | null)();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-electron-'));
  const app = await electron.launch({
    executablePath,
    args: [ROOT],
    env: { ...process.env, CADENCE_DATA_DIR: dataDir, CADENCE_SQLITE_BINDING: binding ?? '' },
  });
  try {
    const page = await app.firstWindow();
    await expect(page).toHaveTitle(/Cadence/);
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as unknown as { cadence?: unknown }).cadence)).toBe('object');
    await page.getByRole('link', { name: 'Decks' }).click();
    await page.getByLabel('New deck').fill('Desktop deck');
    await page.getByRole('button', { name: 'Create deck' }).click();
    await expect(page.locator('tr[data-deck="Desktop deck"]')).toBeVisible();
    // Links never navigate the window away from the app.
    const before = page.url();
    await page.evaluate(() => {
      const a = document.createElement('a');
      a.href = 'https://example.com/';
      document.body.appendChild(a);
      a.click();
    });
    await page.waitForTimeout(300);
    expect(page.url()).toBe(before);
  } finally {
    await app.close();
  }
});
