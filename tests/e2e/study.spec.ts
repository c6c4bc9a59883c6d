import { expect, screenshot, test } from './fixtures';
import type { Page } from '@playwright/test';

const SCRUM = 'Starter::Scrum Guide 2020';

const counts = (page: Page) => page.getByLabel('Cards left today');
const question = (page: Page) => page.getByRole('region', { name: 'Question' }).locator('.card');
const answer = (page: Page) => page.getByRole('region', { name: 'Answer' }).locator('.card');

test('studies the Scrum Guide starter deck with the keyboard only', async ({ page, app }) => {
  await page.goto(app.url);

  // The starter decks come back from Settings.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: /Restore starter decks/ }).click();
  await expect(page.getByText(/Restored \d+ notes/)).toBeVisible();

  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  const row = page.locator(`tr[data-deck="${SCRUM}"]`);
  await expect(row.locator('td.new')).toHaveText('20');
  await expect(row.locator('td.learn')).toHaveText('0');
  await row.getByRole('link', { name: `Study ${SCRUM} now` }).click();

  // Question first; Space shows the answer and the four buttons with their next intervals.
  await expect(counts(page)).toHaveText(/^20\s*new\s*0\s*learning\s*0\s*to review$/);
  const firstQuestion = await question(page).innerText();
  expect(firstQuestion.length).toBeGreaterThan(5);
  await page.keyboard.press('Space');
  await expect(answer(page)).toContainText(firstQuestion.slice(0, 20));
  const buttons = page.getByRole('group', { name: 'How well did you remember?' });
  await expect(buttons.getByRole('button')).toHaveText([/^1m\s*Again/, /^6m\s*Hard/, /^10m\s*Good/, /^\d+d\s*Easy/]);
  await screenshot(page, 'study-answer-light');

  // 3 = Good: the card moves to learning, the next new card shows.
  await page.keyboard.press('3');
  await expect(counts(page)).toHaveText(/^19\s*new\s*1\s*learning\s*0/);
  const secondQuestion = await question(page).innerText();
  expect(secondQuestion).not.toBe(firstQuestion);

  // Enter also shows the answer; 1 = Again.
  await page.keyboard.press('Enter');
  await expect(answer(page)).toBeVisible();
  await page.keyboard.press('1');
  await expect(counts(page)).toHaveText(/^18\s*new\s*2\s*learning/);

  // Ctrl+Z brings the card back exactly as it was: new, and shown again.
  await page.keyboard.press('Control+z');
  await expect(page.getByText('Answer undone.')).toBeVisible();
  await expect(counts(page)).toHaveText(/^19\s*new\s*1\s*learning/);
  await expect(question(page)).toHaveText(secondQuestion);

  // @ suspends it: it leaves the queue (another new card takes its place within today's limit).
  await page.keyboard.press('@');
  await expect(page.getByText(/Card suspended/)).toBeVisible();
  await expect(counts(page)).toHaveText(/^19\s*new\s*1\s*learning/);
  await expect(question(page)).not.toHaveText(secondQuestion);

  // 4 = Easy graduates the next card straight to review.
  await page.keyboard.press('Space');
  await page.keyboard.press('4');
  await expect(counts(page)).toHaveText(/^18\s*new\s*1\s*learning/);

  // The review screen in light and dark mode.
  await expect(question(page)).toBeVisible();
  await screenshot(page, 'study-question-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.keyboard.press('Space');
  await expect(answer(page)).toBeVisible();
  await screenshot(page, 'study-answer-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // The deck list shows what is left: two new cards studied, one suspended, one still learning.
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await expect(row.locator('td.new')).toHaveText('18');
  await expect(row.locator('td.learn')).toHaveText('1');
  await expect(row.locator('td.due')).toHaveText('0');
  const suspended = await app.call<{ total: number }>('browse.search', { state: 'suspended' });
  expect(suspended.total).toBe(1);
});

test('the session ends with a summary', async ({ page, app }) => {
  const deck = await app.call<{ id: number }>('decks.create', { name: 'Tiny' });
  await app.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['What is the Sprint Goal?', 'The single objective for the Sprint'] });
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await page.getByRole('link', { name: 'Study Tiny now' }).click();
  await expect(question(page)).toHaveText('What is the Sprint Goal?');
  await page.keyboard.press('Space');
  await page.keyboard.press('4');
  await expect(page.getByRole('heading', { name: 'Session complete' })).toBeVisible();
  const summary = page.getByRole('status').filter({ hasText: 'Cards studied' });
  await expect(summary).toContainText('Cards studied1');
  await expect(summary).toContainText('Again0%');
  await screenshot(page, 'study-summary-light');
});

test('the next card shows at once, and an answer that fails says so and puts the queue right', async ({ page, app }) => {
  const deck = await app.call<{ id: number }>('decks.create', { name: 'Three' });
  const notes: { note: { id: number } }[] = [];
  for (const q of ['First question', 'Second question', 'Third question']) {
    notes.push(await app.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: [q, `${q} answered`] }));
  }
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await page.getByRole('link', { name: 'Study Three now' }).click();
  await expect(question(page)).toHaveText('First question');

  // Rated: the second card is on screen, then the reply brings the counts.
  await page.keyboard.press('Space');
  await page.keyboard.press('3');
  await expect(question(page)).toHaveText('Second question');
  await expect(counts(page)).toHaveText(/^2\s*new\s*1\s*learning/);

  // The card on screen is deleted elsewhere (another window). Rating it moves on to the card announced
  // with it, but the answer cannot be recorded: the page says so and shows the queue as it really is.
  await app.call('notes.delete', { ids: [notes[1]!.note.id] });
  await page.keyboard.press('Space');
  await page.keyboard.press('3');
  await expect(page.getByRole('alert')).toContainText('Your answer to the previous card was not saved: That card no longer exists');
  await expect(question(page)).toHaveText('Third question');
  await expect(counts(page)).toHaveText(/^1\s*new\s*1\s*learning/);
  const reviews = await app.call<{ total: number }>('browse.search', { state: 'learning' });
  expect(reviews.total).toBe(1);
});
