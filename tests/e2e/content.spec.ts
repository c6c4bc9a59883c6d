// What the content pass changed, as a person sees it: a card's source under its answer and in Browse,
// the About & licences page, and a certification whose official sources disagree.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { starterDecksRevision1 } from '../unit/starterRevision1';
import { expect, screenshot, startApp, stopApp, test, type RunningApp } from './fixtures';

const SCRUM = 'Starter::Scrum Guide 2020';

test('a card shows its source under the answer, not with the question, and in Browse', async ({ page }) => {
  const app = await startApp(undefined, { starterDecks: true });
  try {
    await page.goto(app.url);
    await page.getByRole('link', { name: 'Decks', exact: true }).click();
    await page.locator(`tr[data-deck="${SCRUM}"]`).getByRole('link', { name: `Study ${SCRUM} now` }).click();
    const card = page.locator('.study-card');
    await expect(card.getByRole('region', { name: 'Question' })).toBeVisible();
    await expect(card.locator('.note-source')).toHaveCount(0);
    await page.keyboard.press('Space');
    await expect(card.locator('.note-source')).toContainText(/^Source: The Scrum Guide 2020\b/);
    await screenshot(page, 'content-study-source');

    await page.goto(`${app.origin}/#/browse?text=${encodeURIComponent('cancel a Sprint')}`);
    const row = page.locator('.browse-table tbody tr').first();
    await expect(row.locator('.note-source')).toHaveText('Source: The Scrum Guide 2020 (Ken Schwaber and Jeff Sutherland), section “Scrum Events › The Sprint” (scrumguides.org/scrum-guide.html)');
    await screenshot(page, 'content-browse-source');
  } finally {
    await stopApp(app);
  }
});

test('About & licences names the Scrum Guide licence and every shipped package with its licence', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'About & licences' }).click();
  await expect(page.getByRole('heading', { name: 'About & licences', level: 1 })).toBeVisible();
  await expect(page.getByText('Based on The Scrum Guide 2020 © Ken Schwaber and Jeff Sutherland, licensed CC BY-SA 4.0, adapted into flashcards.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'CC BY-SA 4.0 licence' })).toHaveAttribute('href', 'https://creativecommons.org/licenses/by-sa/4.0/');
  await screenshot(page, 'content-about');

  const list = page.getByRole('list', { name: 'Third-party packages' });
  await page.getByLabel('Find a package').fill('react');
  await expect(list.locator('summary', { hasText: 'react-dom' })).toBeVisible();
  await list.locator('summary', { hasText: /^react 19/ }).click();
  await expect(list.locator('.licence-text').first()).toContainText('MIT License');
  await page.getByLabel('Find a package').fill('no-such-package');
  await expect(page.getByText('No package matches “no-such-package”.')).toBeVisible();
});

test('a SAFe certification shows both official claims where its sources disagree, and no live check it never had', async ({ page, app }) => {
  const ssm = await app.call<{ id: number }>('certs.add', { catalogId: 'safe-ssm', earnedOn: '2025-09-01' });
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/certifications?id=${ssm.id}`);
  const sources = page.getByRole('region', { name: 'Where these rules come from' });
  await expect(sources.getByText('Sources disagree').first()).toBeVisible();
  await expect(sources).toContainText('“10 continuing-education hours every year”');
  await expect(sources).toContainText('“24 CEUs within a two-year certification cycle”');
  await expect(sources).toContainText('Last verified against the live official page: not yet');
  await expect(sources).toContainText('(official page, read from a stored copy of unknown date)');
  await sources.scrollIntoViewIfNeeded();
  await screenshot(page, 'content-cert-disputed');
});

/** Stops browser mode but keeps its data folder, to start it again on the same collection. */
async function stopKeepingData(app: RunningApp): Promise<void> {
  const exited = new Promise((resolve) => app.process.once('exit', resolve));
  app.process.kill('SIGTERM');
  await exited;
}

test('a collection holding older starter decks is upgraded at start and says so once', async ({ page }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-e2e-'));
  await stopKeepingData(await startApp(dataDir, { starterDecks: true }));
  // Turn the collection back into one holding the first release of a Scrum Guide note.
  const old = starterDecksRevision1()['scrum-guide-2020.json']!.notes.find((n) => n.guid === 'sg2020-004')!;
  const db = new Database(path.join(dataDir, 'cadence.sqlite'));
  db.prepare('UPDATE starter_decks SET revision = 1').run();
  db.prepare("UPDATE notes SET fields = ?, source = '' WHERE guid = 'starter:sg2020-004'").run(JSON.stringify([old.fields.Text, old.fields.Extra ?? '']));
  db.close();

  const upgraded = await startApp(dataDir, { starterDecks: true });
  await page.goto(upgraded.url);
  const notice = page.locator('.notice').filter({ hasText: 'The starter decks were updated.' });
  await expect(notice).toContainText('Scrum Guide 2020: 1 note corrected. Corrected notes keep their review history.');
  await screenshot(page, 'content-upgrade-notice');
  await stopKeepingData(upgraded);

  // The next start has nothing to say.
  const next = await startApp(dataDir, { starterDecks: true });
  try {
    await page.goto(next.url);
    await expect(page.getByRole('heading', { name: 'Today', exact: true })).toBeVisible();
    await expect(page.locator('.notice')).toHaveCount(0);
  } finally {
    await stopApp(next);
  }
});
