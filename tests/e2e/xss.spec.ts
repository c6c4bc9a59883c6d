// Card content is untrusted (imported decks carry HTML): nothing in a field may run code, whether it is
// shown for study, in the browser, or in the editor's live preview while it is typed.
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

const PAYLOADS = [
  `<img src=x onerror="window.__xss = 'img'; alert('img')">Which event inspects the Increment?`,
  `<script>window.__xss = 'script'; alert('script')</script>`,
  `<a id="js-link" href="javascript:window.__xss='link';alert('link')">a link</a>`,
  `<svg onload="window.__xss='svg'"><circle r="4"/></svg>`,
  `<iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>`,
  `<details open ontoggle="window.__xss='toggle'"><summary>more</summary>x</details>`,
  `[markdown link](javascript:window.__xss='md')`,
  `<style>body { display: none }</style><form action="https://example.com"><input name="q"></form>`,
].join('\n\n');

async function expectNothingRan(page: Page) {
  // Give any event handler that slipped through the chance to fire.
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  await expect(page.locator('body')).toBeVisible();
}

test.beforeEach(async ({ page }) => {
  page.on('dialog', (dialog) => {
    throw new Error(`A dialog opened from card content: ${dialog.message()}`);
  });
});

test('HTML in fields never executes when studying, browsing or editing', async ({ page, app }) => {
  const deck = await app.call<{ id: number }>('decks.create', { name: 'Imported' });
  const saved = await app.call<{ note: { id: number } }>('notes.create', { noteTypeId: 1, deckId: deck.id, fields: [PAYLOADS, PAYLOADS] });

  await page.goto(app.url);
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await page.getByRole('link', { name: 'Study Imported now' }).click();
  const question = page.getByRole('region', { name: 'Question' }).locator('.card');
  await expect(question).toContainText('Which event inspects the Increment?');
  await expectNothingRan(page);
  // The image stays, without its handler; scripts, frames, forms and styles are gone.
  const img = page.getByRole('region', { name: 'Question' }).locator('img');
  await expect(img).toHaveCount(1);
  expect(await img.getAttribute('onerror')).toBeNull();
  for (const tag of ['script', 'iframe', 'form', 'style:not(:first-child)', 'input']) {
    await expect(page.getByRole('region', { name: 'Question' }).locator(`.card ${tag}`)).toHaveCount(0);
  }

  await page.keyboard.press('Space');
  const answer = page.getByRole('region', { name: 'Answer' });
  await expect(answer.locator('.card')).toContainText('a link');
  // javascript: links lose their address; clicking them does nothing.
  const links = answer.locator('a');
  for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
    expect(href ?? '').not.toMatch(/^\s*javascript:/i);
  }
  await answer.locator('#js-link').first().click();
  await answer.locator('details summary').first().click();
  await expectNothingRan(page);

  await page.goto(`${app.origin}/#/browse`);
  await expect(page.getByRole('link', { name: /Which event inspects the Increment/ })).toBeVisible();
  await expectNothingRan(page);

  await page.goto(`${app.origin}/#/editor?note=${saved.note.id}`);
  await expect(page.getByRole('region', { name: 'Card: question' }).locator('.card')).toContainText('Which event inspects the Increment?');
  await expectNothingRan(page);
});

test('HTML typed into the editor never executes in the live preview', async ({ page, app }) => {
  await app.call('decks.create', { name: 'Typed' });
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/editor`);
  const form = page.getByRole('form', { name: 'Add a note' });
  await form.getByLabel('Front').fill(PAYLOADS);
  await form.getByLabel('Back').fill('<img src="nope.png" onerror="window.__xss=\'typed\'"> **bold answer**');
  await expect(page.getByRole('region', { name: 'Card: answer' }).locator('.card strong')).toHaveText('bold answer');
  await expectNothingRan(page);
  await form.getByRole('button', { name: /Add/ }).click();
  await expect(page.getByText(/Added a note with 1 card/)).toBeVisible();
  await expectNothingRan(page);
});
