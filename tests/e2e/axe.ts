// axe-core's WCAG 2.x A/AA and best-practice rules, run on a list of pages and states in turn, in
// light or dark mode; each violation is one readable entry ("state: rule (impact) help" and the
// elements it was found on) and each state leaves a screenshot to look at.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, screenshot, type RunningApp } from './fixtures';

/** A place to check: how to get there (and what to do there) before axe looks. */
export interface AxeState<S> {
  name: string;
  open: (page: Page, app: RunningApp, seeded: S) => Promise<void>;
}

/** Opens each state in order and returns every violation found; screenshots are named `<shots>-<state>`. */
export async function axeStates<S>(page: Page, app: RunningApp, seeded: S, states: AxeState<S>[], options: { dark: boolean; shots: string }): Promise<string[]> {
  if (options.dark) await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Today', exact: true })).toBeVisible();
  const found: string[] = [];
  for (const state of states) {
    await state.open(page, app, seeded);
    await expect(page.locator('main h1').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expect(page.locator('main .loading')).toHaveCount(0);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
    for (const v of result.violations) {
      found.push(`${state.name}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`).join('\n    ')}`);
    }
    await screenshot(page, `${options.shots}-${state.name.replace(/\s+/g, '-')}`);
  }
  return found;
}
