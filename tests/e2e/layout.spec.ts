// Every page at the smallest supported window (1024x700) and a large one (1600x1000), and the small one in
// dark mode: nothing spills sideways out of the window, and nothing inside the page needs a sideways
// scrollbar (a table that only fits by scrolling is clipped for most people). Screenshots land in
// tests/e2e/screenshots/ for a person to look at.
import { expect, screenshot, startApp, stopApp, test } from './fixtures';

const PAGES = ['today', 'study', 'decks', 'certifications', 'curriculum', 'exams', 'questions', 'question', 'stats', 'settings', 'browse', 'editor', 'import', 'about'];

const WINDOWS = [
  { width: 1024, height: 700, dark: false },
  { width: 1600, height: 1000, dark: false },
  { width: 1024, height: 700, dark: true },
] as const;

for (const { width, height, dark } of WINDOWS) {
  test(`every page fits a ${width}x${height} window${dark ? ' in dark mode' : ''}`, async ({ page }) => {
    const app = await startApp(undefined, { starterDecks: true });
    try {
      await page.setViewportSize({ width, height });
      if (dark) await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto(app.url);
      await expect(page.getByRole('heading', { name: 'Today', exact: true })).toBeVisible();
      if (dark) expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(17, 19, 24)');
      for (const name of PAGES) {
        await page.goto(`${app.origin}/#/${name}`);
        await expect(page.locator('main h1').first()).toBeVisible();
        await page.waitForLoadState('networkidle');
        // Every section has loaded, so the screenshot shows the page as a person sees it.
        await expect(page.locator('main .loading')).toHaveCount(0);
        const overflow = await page.evaluate(() => {
          const main = document.querySelector('main')!;
          const scrollers = [...main.querySelectorAll<HTMLElement>('*')]
            .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
            .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${el.scrollWidth - el.clientWidth}px too wide)`);
          return { page: document.documentElement.scrollWidth - window.innerWidth, main: main.scrollWidth - main.clientWidth, scrollers };
        });
        expect.soft(overflow, `${name} at ${width}x${height}${dark ? ' dark' : ''}`).toEqual({ page: 0, main: 0, scrollers: [] });
        await screenshot(page, `layout-${width}${dark ? '-dark' : ''}-${name}`);
      }
    } finally {
      await stopApp(app);
    }
  });
}

test('the row menu of the lowest deck opens inside a 1024x700 window and works from the keyboard', async ({ page }) => {
  const app = await startApp(undefined, { starterDecks: true });
  try {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(`${app.url}`);
    await page.getByRole('link', { name: 'Decks', exact: true }).click();
    const row = page.locator('tr[data-deck]').last();
    const path = await row.getAttribute('data-deck');
    const more = row.getByRole('button', { name: `More actions for ${path}`, exact: true });
    await more.scrollIntoViewIfNeeded();
    await more.focus();
    await expect(more).toHaveAttribute('aria-haspopup', 'menu');
    await expect(more).toHaveAttribute('aria-expanded', 'false');

    // ArrowDown opens it with the first item focused; the whole menu is inside the window.
    await page.keyboard.press('ArrowDown');
    const menu = page.getByRole('menu', { name: `More actions for ${path}` });
    await expect(menu).toBeVisible();
    await expect(more).toHaveAttribute('aria-expanded', 'true');
    await expect(menu.getByRole('menuitem', { name: `Options of ${path}` })).toBeFocused();
    const box = (await menu.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    expect(box.y + box.height).toBeLessThanOrEqual(700);
    await screenshot(page, 'layout-1024-decks-menu');

    // Arrow keys wrap around; End and Home jump; Escape closes and gives focus back to the button.
    await page.keyboard.press('ArrowUp');
    await expect(menu.getByRole('menuitem', { name: `Delete ${path}` })).toBeFocused();
    await page.keyboard.press('Home');
    await expect(menu.getByRole('menuitem', { name: `Options of ${path}` })).toBeFocused();
    await page.keyboard.press('End');
    await expect(menu.getByRole('menuitem', { name: `Delete ${path}` })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(more).toBeFocused();
    await expect(more).toHaveAttribute('aria-expanded', 'false');

    // A click elsewhere closes it too.
    await page.keyboard.press('Enter');
    await expect(menu).toBeVisible();
    await page.getByRole('heading', { name: 'Decks', exact: true }).click();
    await expect(menu).toBeHidden();

    // Choosing an item opens its dialog; closing the dialog brings focus back to the row's button.
    await more.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await expect(menu.getByRole('menuitem', { name: `Rename ${path}` })).toBeFocused();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /Rename/ });
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(more).toBeFocused();
  } finally {
    await stopApp(app);
  }
});
