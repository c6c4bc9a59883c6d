import { expect, screenshot, test } from './fixtures';

interface Deck {
  id: number;
  path: string;
}

test('start the TPM template, link a deck, study, mark a module done, and see Today and the progress change', async ({ page, app }) => {
  // A deck of four risk cards to measure the "Risk management" module by.
  const deck = await app.call<Deck>('decks.create', { name: 'TPM practice' });
  for (const [front, back] of [
    ['Risk register', 'A list of risks with probability, impact, owner and response'],
    ['Four threat responses', 'Avoid, transfer, mitigate, accept'],
    ['Risk vs issue', 'A risk may happen; an issue has happened'],
    ['Risk owner', 'The person who watches a risk and carries out its response'],
  ]) {
    await app.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: [front, back], tags: ['tpm::risk'] });
  }

  await page.goto(app.url);
  await page.getByRole('link', { name: 'Curriculum' }).first().click();
  await page.getByRole('button', { name: 'Start from template' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Start from a template' });
  await dialog.getByLabel('Template').selectOption({ label: 'Technical Project Management — 12 weeks (12 modules)' });
  await expect(dialog.getByText("not any school's official syllabus")).toBeVisible();
  await dialog.getByRole('button', { name: 'Start' }).click();

  await expect(page.getByRole('heading', { name: 'Technical Project Management — 12 weeks', level: 2 })).toBeVisible();
  await expect(page.getByText('0 of 12 modules done')).toBeVisible();

  // Link the deck to "Risk management".
  const risk = page.getByRole('article', { name: 'Risk management' });
  await risk.getByText('Details, links and notes').click();
  await risk.getByRole('button', { name: 'Link deck or tag' }).click();
  const linkDialog = page.getByRole('dialog', { name: 'Link cards to “Risk management”' });
  await linkDialog.getByLabel('Deck').selectOption({ label: 'TPM practice' });
  await linkDialog.getByRole('button', { name: 'Link' }).click();
  await expect(risk.getByText('0 of 4 cards reviewed')).toBeVisible();

  // Study two of the four cards.
  for (let i = 0; i < 2; i++) {
    const next = await app.call<{ card: { id: number } | null }>('study.next', { deckId: deck.id });
    expect(next.card).not.toBeNull();
    await app.call('study.answer', { cardId: next.card!.id, rating: 3, durationMs: 4000 });
  }
  await page.reload();
  await expect(risk.getByText('2 of 4 cards reviewed')).toBeVisible();

  // Half the cards unreviewed: Cadence asks once before marking it done.
  await risk.getByLabel('Status of Risk management').selectOption('done');
  const ask = page.getByRole('dialog', { name: 'Mark done before it is mastered?' });
  await expect(ask).toBeVisible();
  await expect(ask.getByText('2 of 4 cards reviewed')).toBeVisible();
  await ask.getByRole('button', { name: 'Mark done anyway' }).click();
  await expect(risk.getByText('marked done before mastery')).toBeVisible();
  await expect(page.getByText('1 of 12 modules done')).toBeVisible();
  await screenshot(page, 'curriculum');

  // Today shows the curriculum progress, the streak and the goal.
  await page.getByRole('link', { name: 'Today' }).first().click();
  const curriculum = page.getByRole('region', { name: 'Curriculum' });
  await expect(curriculum.getByText('1 of 12 modules done')).toBeVisible();
  await expect(curriculum.getByRole('progressbar', { name: /1 of 12 modules done/ })).toHaveAttribute('aria-valuenow', '1');
  await expect(page.getByRole('region', { name: 'Study streak' }).getByText('1 day')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: /Today's goal: 2 of/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Cards due by deck' }).getByRole('link', { name: 'Study TPM practice' })).toBeVisible();
  await screenshot(page, 'today');

  // Stats: the year and the answers just given.
  await page.getByRole('link', { name: 'Stats' }).first().click();
  await expect(page.getByText('reviews in the last year')).toBeVisible();
  await expect(page.getByRole('img', { name: /Reviews per day over the last 365 days/ })).toBeVisible();
  const reviews = page.getByRole('region', { name: 'Reviews per day' });
  await reviews.getByText('Show as table').click();
  // Newest first: today's row, whose last cell is the day's total.
  await expect(reviews.locator('tbody tr').first().locator('td').last()).toHaveText('2');
  await screenshot(page, 'stats');
  // The whole page at once, to look at every chart.
  await page.setViewportSize({ width: 1280, height: 2600 });
  await screenshot(page, 'stats-full');
});

test('mentor check-ins: schedule one and see it on Today', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Curriculum' }).first().click();
  await page.getByRole('link', { name: 'Mentor check-ins' }).click();
  const form = page.getByRole('form', { name: 'Check-in schedule' });
  await form.getByLabel('on', { exact: true }).selectOption('Friday');
  await form.getByLabel('at', { exact: true }).fill('17:30');
  await form.getByLabel('with', { exact: true }).fill('Sam');
  await form.getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByText(/Next check-in: .*Friday/)).toBeVisible();
  await page.getByLabel(/^Notes from the check-in/).fill('Went through the risk register');
  await page.getByRole('button', { name: 'Log check-in' }).click();
  await expect(page.getByText('Went through the risk register')).toBeVisible();

  await page.getByRole('link', { name: 'Today' }).first().click();
  await expect(page.getByRole('region', { name: 'Next mentor check-in' }).getByText('with Sam')).toBeVisible();
});
