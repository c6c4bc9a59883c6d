import { expect, screenshot, test } from './fixtures';

test('creates a nested deck, renames it, and it survives a reload', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'No decks yet' })).toBeVisible();

  const form = page.getByRole('form', { name: 'Create a deck' });
  await form.getByLabel('New deck').fill('Product');
  await form.getByRole('button', { name: 'Create deck' }).click();
  await expect(page.getByRole('row', { name: /Product/ })).toBeVisible();

  await form.getByLabel('New deck').fill('OKRs');
  await form.getByLabel('Inside').selectOption({ label: '\u00a0\u00a0'.repeat(0) + 'Product' });
  await form.getByRole('button', { name: 'Create deck' }).click();
  await expect(page.locator('tr[data-deck="Product::OKRs"]')).toBeVisible();

  await page.getByRole('button', { name: 'More actions for Product::OKRs' }).click();
  await page.getByRole('menuitem', { name: 'Rename Product::OKRs' }).click();
  const dialog = page.getByRole('dialog', { name: /Rename/ });
  await dialog.getByLabel('Name').fill('Goals and OKRs');
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await expect(page.locator('tr[data-deck="Product::Goals and OKRs"]')).toBeVisible();
  await screenshot(page, 'decks-light');

  await page.reload();
  await expect(page.locator('tr[data-deck="Product::Goals and OKRs"]')).toBeVisible();
  await expect(page.locator('tr[data-deck="Product"]')).toBeVisible();
});

test('a bad input shows the error message and creates nothing', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  const form = page.getByRole('form', { name: 'Create a deck' });
  await form.getByLabel('New deck').fill('   ');
  await form.getByRole('button', { name: 'Create deck' }).click();
  await expect(page.getByRole('alert')).toHaveText(/^Name must not be empty./);
  await form.getByLabel('New deck').fill('Scrum::Events');
  await form.getByRole('button', { name: 'Create deck' }).click();
  await expect(page.getByRole('alert')).toContainText('must not contain "::"');
  expect(await app.call<{ decks: unknown[] }>('decks.list')).toEqual({ decks: [] });
});

test('deleting a deck says what goes with it', async ({ page, app }) => {
  const parent = await app.call<{ id: number }>('decks.create', { name: 'Agile' });
  await app.call('decks.create', { name: 'Kanban', parentId: parent.id });
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await page.getByRole('button', { name: 'More actions for Agile', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Delete Agile', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “Agile”?' });
  await expect(dialog).toContainText('the deck and its 1 subdeck');
  await dialog.getByRole('button', { name: 'Delete deck' }).click();
  await expect(page.getByRole('heading', { name: 'No decks yet' })).toBeVisible();
});

test('dark mode follows the system', async ({ page, app }) => {
  await app.call('decks.create', { name: 'Scrum' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await expect(page.locator('tr[data-deck="Scrum"]')).toBeVisible();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(17, 19, 24)');
  await screenshot(page, 'decks-dark');
});
