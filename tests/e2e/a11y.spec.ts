// axe-core (WCAG 2.x A and AA rules, plus the best-practice rules axe runs by default) on every page and
// the states a newcomer meets, in light and dark mode: any violation fails the test and is listed with
// the elements it was found on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { axeStates, type AxeState } from './axe';
import { expect, startApp, stopApp, test, type RunningApp } from './fixtures';
import { garblePagesHolding } from '../unit/damage';

function daysAgo(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

interface Seeded {
  deckId: number;
  cspo: number;
  pmp: number;
  reviewed: number;
}

/** A collection with something on every page: starter decks, a studied deck, certifications with credits, a curriculum, check-ins. */
async function seed(app: RunningApp): Promise<Seeded> {
  const deck = await app.call<{ id: number }>('decks.create', { name: 'Practice' });
  await app.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Sprint length', 'At most **one month**'], tags: ['scrum'] });
  const types = await app.call<{ noteTypes: { id: number; kind: string }[] }>('noteTypes.list');
  const cloze = types.noteTypes.find((t) => t.kind === 'cloze')!;
  await app.call('notes.create', { noteTypeId: cloze.id, deckId: deck.id, fields: ['The {{c1::Product Owner}} orders the {{c2::Product Backlog}}', ''], tags: [] });
  const next = await app.call<{ card: { id: number } }>('study.next', { deckId: deck.id });
  await app.call('study.answer', { cardId: next.card.id, rating: 3, durationMs: 3000 });
  const cspo = await app.call<{ id: number }>('certs.add', { catalogId: 'sa-cspo', earnedOn: daysAgo(660) });
  await app.call('credits.add', { certificationId: cspo.id, date: daysAgo(20), units: 6, category: 'events', provider: 'Regional Scrum Gathering' });
  const pmp = await app.call<{ id: number }>('certs.add', { catalogId: 'pmp', earnedOn: daysAgo(800) });
  await app.call('credits.add', { certificationId: pmp.id, date: daysAgo(30), units: 10, category: 'working_as_practitioner', provider: 'Acme Corp' });
  await app.call('curricula.startTemplate', { templateKey: 'technical-project-management-12-weeks', startDate: daysAgo(14) });
  await app.call('checkins.setSchedule', { cadence: 'weekly', weekday: 5, time: '17:30', mentor: 'Sam' });
  await app.call('checkins.log', { notes: 'Went through the **risk register**' });
  await app.call('backups.create');
  // One mock exam answered and scored (the one in progress is started from its dialog).
  const done = await app.call<{ id: number }>('exams.start', { formatKey: 'psm-1', questions: 3, minutes: 5 });
  for (let position = 0; position < 3; position++) await app.call('exams.answer', { attemptId: done.id, position, chosen: [position % 2], flagged: false });
  await app.call('exams.submit', { attemptId: done.id });
  return { deckId: deck.id, cspo: cspo.id, pmp: pmp.id, reviewed: done.id };
}

test.use({ actionTimeout: 20_000 });

type State = AxeState<Seeded>;

/** Each state: where to go and what to do there before axe looks. In groups, each group one test, so no test runs for long. */
const FLASHCARDS: State[] = [
  { name: 'today', open: async (page, app) => void (await page.goto(`${app.origin}/#/today`)) },
  { name: 'study chooser', open: async (page, app) => void (await page.goto(`${app.origin}/#/study`)) },
  {
    name: 'study question',
    open: async (page, app, s) => {
      await page.goto(`${app.origin}/#/study?deck=${s.deckId}`);
      await expect(page.getByRole('button', { name: /Show answer/ })).toBeVisible();
    },
  },
  {
    name: 'study answer',
    open: async (page, app, s) => {
      await page.goto(`${app.origin}/#/study?deck=${s.deckId}`);
      await page.getByRole('button', { name: /Show answer/ }).click();
      await expect(page.getByRole('group', { name: 'How well did you remember?' })).toBeVisible();
    },
  },
  { name: 'decks', open: async (page, app) => void (await page.goto(`${app.origin}/#/decks`)) },
  {
    name: 'decks rename dialog',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/decks`);
      await page.getByRole('button', { name: 'More actions for Practice', exact: true }).click();
      await page.getByRole('menuitem', { name: 'Rename Practice' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
    },
  },
  { name: 'browse', open: async (page, app) => void (await page.goto(`${app.origin}/#/browse`)) },
  {
    name: 'browse with selection',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/browse`);
      await page.getByRole('checkbox', { name: 'Select all cards on this page' }).check();
      await expect(page.getByRole('toolbar', { name: 'Selected cards' })).toBeVisible();
    },
  },
  { name: 'add note', open: async (page, app) => void (await page.goto(`${app.origin}/#/editor`)) },
  {
    name: 'add cloze note',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/editor`);
      await page.getByRole('combobox', { name: 'Type', exact: true }).selectOption({ label: 'Cloze' });
      await page.getByRole('textbox', { name: 'Text', exact: true }).fill('The {{c1::Scrum Master}} serves the {{c2::Scrum Team}}');
      await expect(page.getByRole('region', { name: /Preview of Cloze 1/ })).toBeVisible();
    },
  },
  {
    name: 'leave without saving dialog',
    open: async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Decks' }).click();
      await expect(page.getByRole('dialog', { name: 'Leave without saving?' })).toBeVisible();
    },
  },
  {
    name: 'import',
    open: async (page, app) => {
      await page.getByRole('button', { name: 'Discard and leave' }).click();
      await page.goto(`${app.origin}/#/import`);
    },
  },
  {
    name: 'import CSV columns',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/import`);
      const csv = 'Front,Back,Tags\nSprint,A month or less,scrum\nIncrement,A usable step toward the goal,scrum\n';
      await page.getByLabel('File to import').setInputFiles({ name: 'terms.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await expect(page.getByText('The first row holds column titles')).toBeVisible();
    },
  },
];

const CERTIFICATIONS: State[] = [
  { name: 'certifications', open: async (page, app) => void (await page.goto(`${app.origin}/#/certifications`)) },
  {
    name: 'add certification dialog',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/certifications`);
      await page.getByRole('button', { name: 'Add certification' }).first().click();
      await expect(page.getByRole('dialog', { name: 'Add a certification' })).toBeVisible();
    },
  },
  { name: 'CSPO detail', open: async (page, app, s) => void (await page.goto(`${app.origin}/#/certifications?id=${s.cspo}`)) },
  { name: 'PMP detail', open: async (page, app, s) => void (await page.goto(`${app.origin}/#/certifications?id=${s.pmp}`)) },
];

const PROGRESS: State[] = [
  { name: 'curriculum', open: async (page, app) => void (await page.goto(`${app.origin}/#/curriculum`)) },
  {
    name: 'curriculum module open',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/curriculum`);
      await page.getByRole('article', { name: 'Risk management' }).getByText('Details, links and notes').click();
    },
  },
  { name: 'check-ins', open: async (page, app) => void (await page.goto(`${app.origin}/#/curriculum?tab=checkins`)) },
  { name: 'stats', open: async (page, app) => void (await page.goto(`${app.origin}/#/stats`)) },
  {
    name: 'stats tables',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/stats`);
      // The charts (each with its table toggle) arrive together with the statistics, after the page's heading.
      const toggles = page.getByText('Show as table');
      await expect(toggles).not.toHaveCount(0);
      for (const toggle of await toggles.all()) await toggle.click();
    },
  },
  { name: 'settings', open: async (page, app) => void (await page.goto(`${app.origin}/#/settings`)) },
  {
    name: 'inbox',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/today`);
      await page.getByRole('button', { name: /^Inbox/ }).click();
      await expect(page.getByRole('dialog', { name: 'Reminders' })).toBeVisible();
    },
  },
];

const PRACTICE: State[] = [
  // The exam pages have their own sweep (exams-a11y.spec.ts).
  {
    name: 'custom study dialog',
    open: async (page, app, s) => {
      await page.goto(`${app.origin}/#/study?deck=${s.deckId}`);
      await page.getByRole('button', { name: 'Custom study…' }).first().click();
      await page.getByRole('radio', { name: /^Study by card state or tag/ }).check();
      await expect(page.getByRole('dialog', { name: /^Custom study: / })).toBeVisible();
    },
  },
  {
    name: 'restore backup dialog',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/settings`);
      await page.getByRole('button', { name: /^Restore the backup from / }).first().click();
      await expect(page.getByRole('dialog', { name: 'Replace your collection with this backup?' })).toBeVisible();
    },
  },
  { name: 'about', open: async (page, app) => void (await page.goto(`${app.origin}/#/about`)) },
];

/** Forms refused, each showing beside its fields what to enter. */
const REFUSED: State[] = [
  {
    name: 'check-ins refused',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/curriculum?tab=checkins`);
      const schedule = page.getByRole('form', { name: 'Check-in schedule' });
      await schedule.getByRole('spinbutton', { name: 'remind me' }).fill('20000');
      await schedule.getByRole('button', { name: 'Update schedule' }).click();
      await expect(schedule.getByRole('spinbutton', { name: 'remind me' })).toHaveAttribute('aria-invalid', 'true');
    },
  },
  {
    name: 'new curriculum dialog refused',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/curriculum`);
      await page.getByRole('button', { name: 'New curriculum' }).click();
      const dialog = page.getByRole('dialog', { name: 'New curriculum' });
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveAttribute('aria-invalid', 'true');
    },
  },
  {
    name: 'module edit dialog refused',
    open: async (page, app) => {
      await page.keyboard.press('Escape'); // the new-curriculum dialog, still open on this page
      await page.goto(`${app.origin}/#/curriculum`);
      const card = page.getByRole('article').first();
      await card.getByText('Details, links and notes').click();
      await card.getByRole('button', { name: 'Edit', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: /^Edit “/ });
      await dialog.getByRole('spinbutton', { name: 'Week' }).fill('200');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect(dialog.getByRole('spinbutton', { name: 'Week' })).toHaveAttribute('aria-invalid', 'true');
    },
  },
  {
    name: 'certification edit dialog refused',
    open: async (page, app, s) => {
      await page.goto(`${app.origin}/#/certifications?id=${s.cspo}`);
      await page.getByRole('button', { name: 'Edit', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit CSPO' });
      await dialog.getByLabel('Earned on').fill('');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect(dialog.getByLabel('Earned on')).toHaveAttribute('aria-invalid', 'true');
    },
  },
  // Last: the typed note would ask before the page is left.
  {
    name: 'add cloze note refused',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/editor`);
      await page.getByRole('combobox', { name: 'Type', exact: true }).selectOption({ label: 'Cloze' });
      const text = page.getByRole('textbox', { name: 'Text', exact: true });
      await text.fill('The Product Owner orders the Product Backlog');
      await text.press('Control+Enter');
      await expect(text).toHaveAttribute('aria-invalid', 'true');
    },
  },
];

const GROUPS: [string, State[]][] = [
  ['flashcards', FLASHCARDS],
  ['certifications', CERTIFICATIONS],
  ['curriculum, stats and settings', PROGRESS],
  ['study, data and about', PRACTICE],
  ['refused forms', REFUSED],
];

for (const dark of [false, true]) {
  const mode = dark ? 'dark' : 'light';
  for (const [group, states] of GROUPS) {
    test(`no accessibility violations: ${group} pages${dark ? ' in dark mode' : ''}`, async ({ page }) => {
      // A group of pages, each checked by axe: minutes on a busy 2-core machine.
      test.setTimeout(300_000);
      const app = await startApp();
      try {
        const seeded = await seed(app);
        const found = await axeStates(page, app, seeded, states, { dark, shots: `a11y-${mode}` });
        expect(found, `${found.length} violations`).toEqual([]);
      } finally {
        await stopApp(app);
      }
    });
  }

  test(`no accessibility violations: the damaged-collection banner and its dialog${dark ? ' in dark mode' : ''}`, async ({ page }) => {
    test.setTimeout(300_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-e2e-a11y-'));
    let app = await startApp(dir);
    const deck = await app.call<{ id: number }>('decks.create', { name: 'Scrum events' });
    for (let i = 0; i < 120; i++) await app.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: [`Event question ${i} ${'x'.repeat(80)}`, 'answer'] });
    await app.call('backups.create');
    const exited = new Promise((resolve) => app.process.once('exit', resolve));
    app.process.kill('SIGTERM');
    await exited;
    expect(garblePagesHolding(path.join(dir, 'cadence.sqlite'), 'Event question 1')).toBeGreaterThan(0);
    app = await startApp(dir);
    try {
      const banner = page.getByRole('alert').filter({ hasText: 'Your collection file is damaged.' });
      const states: State[] = [
        { name: 'damaged banner', open: async () => void (await expect(banner).toBeVisible()) },
        {
          name: 'recover dialog',
          open: async () => {
            await banner.getByRole('button', { name: 'Recover now…' }).click();
            await expect(page.getByRole('dialog', { name: 'Recover your collection?' })).toBeVisible();
          },
        },
      ];
      const found = await axeStates(page, app, {} as Seeded, states, { dark, shots: `a11y-${mode}` });
      expect(found, `${found.length} violations`).toEqual([]);
    } finally {
      await stopApp(app);
    }
  });
}
