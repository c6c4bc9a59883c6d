// What a newcomer meets on every screen: navigation that keeps what was typed, forms that say beside the
// field what to enter, focus that follows the page, and the study, browse and editor flows that used to
// lose the user's place. One test per defect, each failing without its fix.
import type { Locator, Page } from '@playwright/test';
import { expect, screenshot, test, type RunningApp } from './fixtures';

interface Deck {
  id: number;
}
interface Saved {
  note: { id: number; cards: { id: number }[] };
}

async function deckWith(app: RunningApp, name: string, notes: [string, string][], options: { parentId?: number; noteTypeId?: number } = {}) {
  const deck = await app.call<Deck>('decks.create', { name, parentId: options.parentId ?? null });
  const saved: Saved[] = [];
  for (const [front, back] of notes) saved.push(await app.call<Saved>('notes.create', { noteTypeId: options.noteTypeId ?? 1, deckId: deck.id, fields: [front, back], tags: [] }));
  return { deck, saved };
}

/** A refused field: marked invalid, its sentence read with it, and focus moved to it so it is fixed first. */
async function expectToFix(field: Locator, sentence: string | RegExp) {
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(sentence);
  await expect(field).toBeFocused();
}

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test.describe('navigation and forms', () => {
  test('Skip to content moves focus into the page and keeps the address', async ({ page, app }) => {
    await page.goto(app.url);
    await expect(page.getByRole('heading', { name: 'Today', exact: true })).toBeVisible();
    const before = page.url();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    await page.keyboard.press('Enter');
    expect(page.url()).toBe(before);
    await expect(page.getByText('Page not found')).toHaveCount(0);
    await expect(page.locator('main')).toBeFocused();
  });

  test('the address with its token opened again in an open tab shows Today, not "Page not found"', async ({ page, app }) => {
    await page.goto(app.url);
    await page.getByRole('link', { name: 'Decks', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Decks', exact: true })).toBeVisible();
    // Only the hash changes, so the page does not reload by itself.
    await page.goto(app.url);
    await expect(page.getByRole('heading', { name: 'Today', exact: true })).toBeVisible();
    await expect(page.getByText('Page not found')).toHaveCount(0);
    expect(new URL(page.url()).hash).toBe('#/today');
  });

  test('text typed in Add note survives Ctrl+digit and asks before a sidebar click discards it', async ({ page, app }) => {
    await app.call('decks.create', { name: 'Practice' });
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/editor`);
    const front = page.getByRole('textbox', { name: 'Front' });
    await front.fill('What is a Sprint Goal?');
    await front.press('Control+3');
    await expect(page.getByRole('heading', { name: 'Add note' })).toBeVisible();
    await expect(front).toHaveValue('What is a Sprint Goal?');

    await sidebar(page).getByRole('link', { name: 'Decks' }).click();
    const ask = page.getByRole('dialog', { name: 'Leave without saving?' });
    await expect(ask).toContainText('The note you are writing is not added yet.');
    await screenshot(page, 'interface-leave-dialog');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await expect(front).toHaveValue('What is a Sprint Goal?');
    expect(page.url()).toContain('#/editor');

    // Back/forward asks too; this time the user lets it go.
    await sidebar(page).getByRole('link', { name: 'Decks' }).click();
    await ask.getByRole('button', { name: 'Discard and leave' }).click();
    await expect(page.getByRole('heading', { name: 'Decks', exact: true })).toBeVisible();
  });

  test('forms say beside the field, in a sentence, what to enter', async ({ page, app }) => {
    const cert = await app.call<{ id: number }>('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-03-03' });
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/settings`);
    const goal = page.getByRole('spinbutton', { name: /Daily goal/ });
    await goal.fill('0');
    await goal.press('Enter');
    await expect(goal).toHaveAttribute('aria-invalid', 'true');
    await expect(goal).toHaveAccessibleDescription('Daily goal must be at least 1.');

    const preset = page.getByRole('form', { name: /^Preset / });
    const steps = preset.getByRole('textbox', { name: /^Learning steps/ });
    await steps.fill('ten minutes');
    await preset.getByRole('button', { name: 'Save preset' }).click();
    await expectToFix(steps, /^Each of learning steps must be a number followed by m, h or d/);
    // A number out of range gets the form's sentence too, in the form's unit, not the browser's bubble.
    const retention = preset.getByRole('spinbutton', { name: /^Desired retention/ });
    await retention.fill('50');
    await preset.getByRole('button', { name: 'Save preset' }).click();
    await expect(retention).toHaveAccessibleDescription('Enter desired retention in per cent as a whole number from 70 to 99, e.g. 90.');
    await screenshot(page, 'interface-field-errors-settings');

    await page.goto(`${app.origin}/#/certifications?id=${cert.id}`);
    const rules = page.getByRole('form', { name: 'Reminder rules' });
    const days = rules.getByRole('textbox', { name: 'Days before expiry' });
    await days.fill('90, thirty, 7');
    await rules.getByRole('button', { name: 'Save reminders' }).click();
    await expectToFix(days, /^Enter days before expiry as numbers, e\.g\. 90, 30, 7\./);
    // No internal path or library wording anywhere on the page.
    await expect(page.getByText(/daysBefore|Invalid input|expected number/)).toHaveCount(0);
  });

  test('the custom study, mock exam, FSRS simulator and question forms say beside the field what to enter', async ({ page, app }) => {
    const { deck } = await deckWith(app, 'Scrum', [['Sprint length', 'At most a month']]);
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/study?deck=${deck.id}`);
    await page.getByRole('button', { name: 'Custom study…' }).click();
    const custom = page.getByRole('dialog', { name: 'Custom study: Scrum' });
    const extra = custom.getByRole('spinbutton', { name: 'Extra cards today' });
    await extra.fill('0');
    await custom.getByRole('button', { name: 'Raise limit' }).click();
    await expectToFix(extra, 'Enter the number of cards as a whole number from 1 to 9999, e.g. 10.');
    await screenshot(page, 'interface-field-errors-custom-study');
    await custom.getByRole('button', { name: 'Cancel' }).click();

    // PSPO I's question count is not confirmed: the field starts empty and says what to enter.
    await page.goto(`${app.origin}/#/exams`);
    await page.getByRole('region', { name: 'PSPO I' }).getByRole('button', { name: 'Start a mock exam' }).click();
    const start = page.getByRole('dialog', { name: 'Start a PSPO I mock exam' });
    const questions = start.getByRole('spinbutton', { name: 'Questions' });
    await expect(questions).toHaveValue('');
    await start.getByRole('button', { name: 'Start the clock' }).click();
    await expectToFix(questions, /^Enter the number of questions as a whole number from 1 to 400, e\.g\. 80\. Official: not confirmed/);
    await expect(page.getByRole('heading', { name: /^Question 1 of/ })).toHaveCount(0);
    await screenshot(page, 'interface-field-errors-exam-start');
    await start.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`${app.origin}/#/settings`);
    const reviews = page.getByRole('spinbutton', { name: 'Reviews a day at most' });
    await reviews.fill('0');
    await page.getByRole('button', { name: 'Simulate a year' }).click();
    await expect(reviews).toHaveAccessibleDescription('Enter reviews a day at most as a whole number from 1 to 99999, e.g. 200.');

    await page.goto(`${app.origin}/#/question`);
    await page.getByRole('textbox', { name: 'Question', exact: true }).fill('Who orders the Product Backlog?');
    await page.getByLabel('Option A', { exact: true }).fill('The Product Owner');
    await page.getByLabel('Option B', { exact: true }).fill('The Developers');
    await page.getByLabel('Option C', { exact: true }).fill('The Scrum Master');
    await page.getByLabel('Option A is correct').check();
    await page.getByLabel('Source document').fill('The 2020 Scrum Guide');
    await page.getByLabel('Section').fill('Product Owner');
    await page.getByLabel('Topics').fill('Scrum Roles');
    await page.getByRole('button', { name: 'Save question' }).click();
    await expect(page.getByLabel('Option D', { exact: true })).toHaveAccessibleDescription('Each of the options must not be empty.');
    await expect(page.getByLabel('Topics')).toHaveAccessibleDescription(/^Each of topics must be lower-case words joined by hyphens, like "scrum-events"\./);
    await expect(page.getByText(/question\.|stem|Invalid input/)).toHaveCount(0);
    await screenshot(page, 'interface-field-errors-question');
    expect((await app.call<{ total: number }>('questions.list', { bank: 'mine' })).total).toBe(0);
  });

  test("the curriculum's module and threshold forms say beside the field what to enter", async ({ page, app }) => {
    await app.call('curricula.startTemplate', { templateKey: 'technical-project-management-12-weeks', startDate: '2026-01-05' });
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/curriculum`);
    const add = page.getByRole('form', { name: 'Add a module' });
    const week = add.getByRole('spinbutton', { name: 'Week' });
    await week.fill('0');
    await add.getByRole('button', { name: 'Add module' }).click();
    await expectToFix(week, 'Enter the week as a whole number from 1 to 104, e.g. 13.');
    await expect(add.getByRole('textbox', { name: 'New module' })).toHaveAccessibleDescription('Enter the module’s title, e.g. Stakeholder mapping.');
    const thresholds = page.getByRole('form', { name: 'Mastery thresholds' });
    const recall = thresholds.getByRole('spinbutton', { name: 'Mean recall (%)' });
    await recall.fill('40');
    await thresholds.getByRole('button', { name: 'Save thresholds' }).click();
    await expect(recall).toHaveAccessibleDescription('Enter the mean recall in per cent as a whole number from 50 to 99, e.g. 85.');
    await add.scrollIntoViewIfNeeded();
    await screenshot(page, 'interface-field-errors-curriculum');
  });

  test('the check-in schedule and log say beside the field what to enter, move focus there and save nothing', async ({ page, app }) => {
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/curriculum?tab=checkins`);
    const schedule = page.getByRole('form', { name: 'Check-in schedule' });
    const time = schedule.getByLabel('at', { exact: true });
    const remind = schedule.getByRole('spinbutton', { name: 'remind me' });
    await remind.fill('20000');
    await schedule.getByRole('button', { name: 'Schedule', exact: true }).click();
    await expectToFix(remind, 'Enter the minutes before the check-in to remind you as a whole number from 0 to 10080, e.g. 60.');
    await screenshot(page, 'interface-field-errors-checkins');
    // Two problems: focus goes to the first, each says its own.
    await time.fill('');
    await schedule.getByRole('button', { name: 'Schedule', exact: true }).click();
    await expectToFix(time, 'Enter the time of the check-in, e.g. 17:30.');
    await expect(remind).toHaveAttribute('aria-invalid', 'true');
    expect((await app.call<{ schedule: unknown }>('checkins.get')).schedule).toBeNull();

    await time.fill('17:30');
    await remind.fill('30');
    await schedule.getByRole('button', { name: 'Schedule', exact: true }).click();
    await expect(schedule.getByRole('button', { name: 'Update schedule' })).toBeVisible();
    await expect(remind).not.toHaveAttribute('aria-invalid');
    expect((await app.call<{ schedule: { remindMinutesBefore: number } }>('checkins.get')).schedule.remindMinutesBefore).toBe(30);

    const log = page.getByRole('form', { name: 'Log a check-in' });
    const heldOn = log.getByLabel('Held on');
    await heldOn.fill('2099-01-01');
    await log.getByRole('button', { name: 'Log check-in' }).click();
    await expectToFix(heldOn, 'Choose the day the check-in was held: today or an earlier day.');
    expect((await app.call<{ log: unknown[] }>('checkins.get')).log).toHaveLength(0);
  });

  test('the curriculum dialogs say beside the field what to enter, move focus there and save nothing', async ({ page, app }) => {
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/curriculum`);
    await page.getByRole('button', { name: 'New curriculum' }).click();
    const create = page.getByRole('dialog', { name: 'New curriculum' });
    await create.getByRole('button', { name: 'Save' }).click();
    const name = create.getByRole('textbox', { name: 'Name' });
    await expectToFix(name, 'Enter a name for the curriculum, e.g. Technical project management.');
    await screenshot(page, 'interface-field-errors-curriculum-new');
    expect((await app.call<{ curricula: unknown[] }>('curricula.list')).curricula).toHaveLength(0);
    await create.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Start from template' }).click();
    const template = page.getByRole('dialog', { name: 'Start from a template' });
    const start = template.getByLabel('Start date (week 1)');
    await start.fill('');
    await template.getByRole('button', { name: 'Start' }).click();
    await expectToFix(start, 'Choose the day week 1 starts, e.g. next Monday.');
    expect((await app.call<{ curricula: unknown[] }>('curricula.list')).curricula).toHaveLength(0);
    await start.fill('2026-01-05');
    await template.getByRole('button', { name: 'Start' }).click();
    await expect(template).toHaveCount(0);

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit curriculum' });
    await edit.getByRole('textbox', { name: 'Name' }).fill('   ');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription('Enter a name for the curriculum, e.g. Technical project management.');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'interface-field-errors-curriculum-edit-dark');
    const list = await app.call<{ curricula: { name: string }[] }>('curricula.list');
    expect(list.curricula[0]!.name).not.toBe('');
  });

  test('Add note says beside each field what to fix, moves focus there and adds nothing', async ({ page, app }) => {
    await app.call('decks.create', { name: 'Practice' });
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/editor`);
    const form = page.getByRole('form', { name: 'Add a note' });
    const front = form.getByRole('textbox', { name: 'Front' });
    const back = form.getByRole('textbox', { name: 'Back' });
    await back.fill('At most four hours');
    await back.press('Control+Enter');
    await expectToFix(front, 'The Front field must not be empty.');
    await expect(back).not.toHaveAttribute('aria-invalid');
    // Beside the field, not in a message at the foot of the form.
    await expect(form.getByRole('alert')).toHaveCount(1);
    await expect(form.getByRole('alert')).toHaveAttribute('id', 'field-0-error');
    await screenshot(page, 'interface-field-errors-add-note');
    // Fixing the field takes its sentence away.
    await front.fill('How long is the Sprint Review for a one-month Sprint?');
    await expect(front).not.toHaveAttribute('aria-invalid');

    await form.getByRole('combobox', { name: 'Type', exact: true }).selectOption({ label: 'Cloze' });
    const text = form.getByRole('textbox', { name: 'Text', exact: true });
    await text.fill('The Scrum Master serves the Scrum Team');
    await form.getByRole('button', { name: /^Add/ }).click();
    await expectToFix(text, 'A cloze note needs at least one cloze deletion in the Text field, like {{c1::answer}}.');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'interface-field-errors-add-cloze-dark');
    expect((await app.call<{ total: number }>('browse.search', {})).total).toBe(0);

    await text.fill('The {{c1::Scrum Master}} serves the Scrum Team');
    await form.getByRole('button', { name: /^Add/ }).click();
    await expect(form.getByRole('status')).toHaveText('Added a note with 1 card.');
    await expect(form.getByRole('alert')).toHaveCount(0);
  });

  test('the certification, study-time and module edit dialogs say beside the field what to enter and save nothing', async ({ page, app }) => {
    const { deck, saved } = await deckWith(app, 'Scrum', [['Sprint length', 'At most a month']]);
    const cert = await app.call<{ id: number }>('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-03-03' });
    await app.call('certs.linkDecks', { id: cert.id, deckIds: [deck.id] });
    // Half an hour of study in the linked deck: a suggestion to log 0.5 hours.
    for (let i = 0; i < 30; i++) await app.call('study.answer', { cardId: saved[0]!.note.cards[0]!.id, rating: 1, durationMs: 60_000 });
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/certifications?id=${cert.id}`);

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit CSPO' });
    const earned = edit.getByLabel('Earned on');
    const address = edit.getByLabel('Certificate or badge address (https)');
    await earned.fill('');
    await address.fill('scrumalliance.org/badge');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expectToFix(earned, 'Choose the day you earned it: today or an earlier day.');
    await expect(address).toHaveAccessibleDescription('Web address must be an https:// address.');
    await screenshot(page, 'interface-field-errors-cert-edit');
    expect((await app.call<{ earnedOn: string; url: string | null }>('certs.get', { id: cert.id })).url).toBeNull();
    await edit.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Edit first…' }).click();
    const study = page.getByRole('dialog', { name: 'Log study time' });
    const amount = study.getByRole('spinbutton', { name: 'SEUs' });
    await amount.fill('0.3');
    await study.getByRole('button', { name: 'Log it' }).click();
    await expectToFix(amount, 'Enter the SEUs to log, from 0.25 to 0.5 in steps of 0.25, e.g. 0.5.');
    await study.getByRole('button', { name: 'Cancel' }).click();

    const curriculum = await app.call<{ modules: { title: string }[] }>('curricula.startTemplate', { templateKey: 'technical-project-management-12-weeks', startDate: '2026-01-05' });
    const module = curriculum.modules[0]!;
    await page.goto(`${app.origin}/#/curriculum`);
    const card = page.getByRole('article', { name: module.title });
    await card.getByText('Details, links and notes').click();
    await card.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Edit “${module.title}”` });
    const week = dialog.getByRole('spinbutton', { name: 'Week' });
    await week.fill('200');
    await dialog.getByRole('textbox', { name: /^Resources/ }).fill('Scrum Guide | https://scrumguides.org\nPMBOK guide');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expectToFix(week, 'Enter the week as a whole number from 1 to 104, e.g. 1.');
    await expect(dialog.getByRole('textbox', { name: /^Resources/ })).toHaveAccessibleDescription(
      'Write resource 2 as a title, a bar and an address starting with https://, e.g. Scrum Guide | https://scrumguides.org.',
    );
    await screenshot(page, 'interface-field-errors-module-edit');
  });

  test('Study now on Today starts a session', async ({ page, app }) => {
    await deckWith(app, 'Scrum', [['Sprint length', 'At most a month']]);
    await page.goto(app.url);
    await page.getByRole('link', { name: 'Study now' }).click();
    await expect(page.getByRole('button', { name: /Show answer/ })).toBeVisible();
    expect(page.url()).toMatch(/#\/study\?deck=\d+$/);
  });

  test("Today's deck table never indents a subdeck under another deck's row", async ({ page, app }) => {
    await deckWith(app, 'Alpha', [['a1', 'x']]);
    const parent = await app.call<Deck>('decks.create', { name: 'Project' });
    const preset = await app.call<{ id: number }>('presets.create', { name: 'One a day', copyFromId: 1 });
    const presets = await app.call<{ presets: ({ id: number; decks: number } & Record<string, unknown>)[] }>('presets.list');
    const { decks: _count, fsrsParams: _fitted, ...fields } = presets.presets.find((p) => p.id === preset.id)!;
    await app.call('presets.update', { ...fields, newPerDay: 1 });
    // The subdeck keeps only its own limit (Anki's default), so it still has new cards once its parent is done.
    const { decks: _n, fsrsParams: _f, ...defaults } = presets.presets.find((p) => p.id === 1)!;
    await app.call('presets.update', { ...defaults, limitsFromTop: false });
    await app.call('decks.setPreset', { id: parent.id, presetId: preset.id });
    await deckWith(app, 'Risk', [['r1', 'x'], ['r2', 'x']], { parentId: parent.id });
    // The parent's one new card for today is studied: it drops out of the table, its subdeck stays.
    const next = await app.call<{ card: { id: number } }>('study.next', { deckId: parent.id });
    await app.call('study.answer', { cardId: next.card.id, rating: 4, durationMs: 2000 });
    await page.goto(app.url);
    const table = page.getByRole('region', { name: 'Cards due by deck' });
    await expect(table.getByRole('rowheader', { name: 'Alpha' })).toBeVisible();
    const orphan = table.getByRole('rowheader', { name: 'Project::Risk' });
    await expect(orphan).toBeVisible();
    await expect(orphan).not.toHaveClass(/subdeck/);
  });

  test('the default daily goal is reached on day one with the default 20 new cards', async ({ page, app }) => {
    const { deck } = await deckWith(
      app,
      'Twenty',
      Array.from({ length: 20 }, (_, i) => [`Question ${i}`, `Answer ${i}`] as [string, string]),
    );
    for (let i = 0; i < 20; i++) {
      const next = await app.call<{ card: { id: number } | null }>('study.next', { deckId: deck.id });
      await app.call('study.answer', { cardId: next.card!.id, rating: 4, durationMs: 2000 });
    }
    await page.goto(app.url);
    await expect(page.getByRole('progressbar', { name: "Today's goal: 20 of 20 cards" })).toBeVisible();
    await expect(page.getByText('Goal reached. Well done.')).toBeVisible();
  });
});

test.describe('browse, editor and study', () => {
  test('Browse keeps its search after editing or deleting a note, shows plain text, and tells sibling cards apart', async ({ page, app }) => {
    const { deck } = await deckWith(app, 'Terms', [['**Sprint** review', 'Inspect the Increment']]);
    await app.call('notes.create', { noteTypeId: 2, deckId: deck.id, fields: ['Sprint retrospective', 'Plan improvements'], tags: [] });
    await deckWith(app, 'Other', [['Velocity', 'Work done per Sprint']]);
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/browse`);
    await page.getByRole('searchbox', { name: /Search/ }).fill('retrospective');
    const results = page.locator('.browse-table tbody tr');
    await expect(results).toHaveCount(2);
    await expect(results.nth(0)).toContainText('Card 1 (front → back)');
    await expect(results.nth(1)).toContainText('Card 2 (back → front)');

    await results.nth(0).getByRole('link', { name: 'Sprint retrospective' }).click();
    await page.getByRole('textbox', { name: 'Back' }).fill('Plan improvements for the next Sprint');
    await page.getByRole('button', { name: /^Save/ }).click();
    await expect(page.getByRole('heading', { name: 'Browse' })).toBeVisible();
    await expect(page.getByRole('searchbox', { name: /Search/ })).toHaveValue('retrospective');
    await expect(results).toHaveCount(2);

    await page.getByRole('searchbox', { name: /Search/ }).fill('review');
    await expect(results).toHaveCount(1);
    await expect(results.first().getByRole('link')).toHaveText('Sprint review');
    await screenshot(page, 'interface-browse');

    // Deleting a note from its editor comes back to the same search too.
    await results.first().getByRole('link', { name: 'Sprint review' }).click();
    await page.getByRole('button', { name: 'Delete note' }).click();
    await page.getByRole('dialog', { name: 'Delete this note?' }).getByRole('button', { name: 'Delete note' }).click();
    await expect(page.getByRole('heading', { name: 'Browse' })).toBeVisible();
    await expect(page.getByRole('searchbox', { name: /Search/ })).toHaveValue('review');
    await expect(results).toHaveCount(0);
  });

  test('the editor preview shows the question once above a divider; Escape leaves a note opened from Study', async ({ page, app }) => {
    const { deck } = await deckWith(app, 'Events', [['Which event inspects the Increment?', 'The Sprint Review']]);
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/study?deck=${deck.id}`);
    await expect(page.getByRole('button', { name: /Show answer/ })).toBeVisible();
    await page.keyboard.press('e');
    await expect(page.getByRole('heading', { name: 'Edit note' })).toBeVisible();
    const preview = page.getByRole('region', { name: 'Preview of Card' });
    await expect(preview.getByRole('separator')).toHaveCount(1);
    await expect(preview.getByRole('region', { name: 'Card: question' })).toContainText('Which event inspects the Increment?');
    await expect(preview.getByRole('region', { name: 'Card: answer' })).toHaveText('The Sprint Review');
    await screenshot(page, 'interface-editor-preview');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('button', { name: /Show answer/ })).toBeVisible();
  });

  test("changing the address from one note to another edits the second note's own text", async ({ page, app }) => {
    const { saved } = await deckWith(app, 'Pair', [
      ['First note', 'one'],
      ['Second note', 'two'],
    ]);
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/editor?note=${saved[0]!.note.id}`);
    await expect(page.getByRole('textbox', { name: 'Front' })).toHaveValue('First note');
    await page.goto(`${app.origin}/#/editor?note=${saved[1]!.note.id}`);
    await expect(page.getByRole('textbox', { name: 'Front' })).toHaveValue('Second note');
    await page.getByRole('button', { name: /^Save/ }).click();
    // Saving goes back to Browse once the note is written: the reads below must come after the write.
    await expect(page.getByRole('heading', { name: 'Browse' })).toBeVisible();
    await expect.poll(async () => (await app.call<{ fields: string[] }>('notes.get', { id: saved[1]!.note.id })).fields[0]).toBe('Second note');
    expect((await app.call<{ fields: string[] }>('notes.get', { id: saved[0]!.note.id })).fields[0]).toBe('First note');
  });

  test('focus follows page changes and the end of a session; Tab then Space never buries the card', async ({ page, app }) => {
    const { deck } = await deckWith(app, 'Focus', [['Only card', 'Its answer']]);
    await page.goto(app.url);
    await sidebar(page).getByRole('link', { name: 'Decks' }).click();
    await expect(page.getByRole('heading', { name: 'Decks', exact: true, level: 1 })).toBeFocused();

    await page.goto(`${app.origin}/#/study?deck=${deck.id}`);
    await expect(page.getByRole('button', { name: /Show answer/ })).toBeFocused();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect(page.getByRole('region', { name: 'Answer' })).toContainText('Its answer');
    await expect(page.getByText(/Card buried/)).toHaveCount(0);
    await page.keyboard.press('4');
    await expect(page.getByRole('heading', { name: 'Session complete' })).toBeFocused();
  });

  test('studying a deck that does not exist says so instead of loading forever', async ({ page, app }) => {
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/study?deck=98765`);
    await expect(page.getByRole('heading', { name: 'This deck cannot be studied' })).toBeVisible();
    await expect(page.locator('main .loading')).toHaveCount(0);
    await page.getByRole('link', { name: 'Choose a deck' }).click();
    await expect(page.getByRole('heading', { name: 'Study', exact: true })).toBeVisible();
  });
});

test.describe('dates, curriculum and check-ins', () => {
  test('modules and check-ins can be dated back; notes show their Markdown; links have their own names; dates read one way', async ({ page, app }) => {
    await deckWith(app, 'Risk', [['Risk owner', 'Watches one risk']]);
    const curriculum = await app.call<{ modules: { id: number; title: string }[] }>('curricula.startTemplate', {
      templateKey: 'technical-project-management-12-weeks',
      startDate: '2026-01-05',
    });
    const module = curriculum.modules[0]!;
    await app.call('modules.link', { moduleId: module.id, deckPath: 'Risk' });
    await app.call('modules.link', { moduleId: module.id, tagPrefix: 'Risk' });
    await app.call('modules.setStatus', { id: module.id, status: 'done', confirm: true });
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/curriculum`);
    const card = page.getByRole('article', { name: module.title });
    await card.getByLabel(`Date ${module.title} was done`).fill('2026-01-09');
    await expect(card.getByText('Done 9 January 2026')).toBeVisible();
    await card.getByText('Details, links and notes').click();
    await expect(card.getByRole('button', { name: 'Unlink deck Risk' })).toBeVisible();
    await expect(card.getByRole('button', { name: 'Unlink tag Risk' })).toBeVisible();

    await page.getByRole('link', { name: 'Mentor check-ins' }).click();
    await page.getByLabel('Held on').fill('2026-01-02');
    await page.getByLabel(/^Notes from the check-in/).fill('Agreed to **update the risk register** weekly');
    await page.getByRole('button', { name: 'Log check-in' }).click();
    const entry = page.locator('.checkin-log li').first();
    await expect(entry.locator('strong', { hasText: 'update the risk register' })).toBeVisible();
    await expect(entry).toContainText('Friday 2 January 2026');
    await expect(entry).not.toContainText('**');
    // Entries are divided by rules, without a bullet beside each.
    await expect(entry).toHaveCSS('list-style-type', 'none');
    await screenshot(page, 'interface-checkins');
  });

  test('the stats heatmap shows every month label whole', async ({ page, app }) => {
    const { deck } = await deckWith(app, 'Stats', [['q', 'a']]);
    const next = await app.call<{ card: { id: number } }>('study.next', { deckId: deck.id });
    await app.call('study.answer', { cardId: next.card.id, rating: 3, durationMs: 2000 });
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/stats`);
    const heatmap = page.locator('svg.heatmap');
    await expect(heatmap).toBeVisible();
    const clipped = await heatmap.evaluate((svg: SVGSVGElement) => {
      const width = svg.viewBox.baseVal.width;
      return [...svg.querySelectorAll('text')].filter((t) => t.getBBox().x < 0 || t.getBBox().x + t.getBBox().width > width + 0.5).map((t) => t.textContent);
    });
    expect(clipped).toEqual([]);
  });
});

