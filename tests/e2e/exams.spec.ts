// A full PSM I mock exam (80 questions, 60 minutes) taken with the keyboard alone: started from the
// Exams page, half answered, Cadence killed (SIGKILL) and started again, resumed with every answer and
// flag kept, finished, submitted, scored and reviewed, and a missed question made into a flashcard.
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { expect, screenshot, startApp, stopApp, test } from './fixtures';

interface AttemptQuestion {
  position: number;
  kind: 'single' | 'multiple' | 'truefalse';
  options: string[];
  choose: number;
  chosen: number[] | null;
  flagged: boolean;
}
interface Attempt {
  id: number;
  questions: AttemptQuestion[];
}

/** Presses Tab until the focused element has this accessible text (keyboard only), then returns. */
async function tabTo(page: Page, text: string | RegExp, limit = 120): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? (el.getAttribute('aria-label') ?? el.textContent ?? '').trim() : '';
    });
    if (typeof text === 'string' ? focused === text : text.test(focused)) return;
  }
  throw new Error(`Tab never reached "${String(text)}"`);
}

/** Answers the question on screen by keyboard: option keys by kind (a pattern, so some are wrong), F on some, Enter. */
async function answerCurrent(page: Page, position: number, flag: boolean): Promise<void> {
  await expect(page.getByRole('heading', { name: `Question ${position + 1} of 80` })).toBeVisible();
  const hint = (await page.locator('.exam-question > p.muted.small').first().textContent()) ?? '';
  const choose = /Choose (\d)\./.exec(hint);
  if (choose) {
    // Multiple select: the first n options.
    for (let k = 1; k <= Number(choose[1]); k++) await page.keyboard.press(String(k));
  } else {
    await page.keyboard.press(String((position % 2) + 1));
  }
  if (flag) await page.keyboard.press('f');
  await page.keyboard.press('Enter');
}

test('an 80-question, 60-minute PSM I mock exam by keyboard alone survives a kill and is scored and reviewed', async ({ page }) => {
  test.setTimeout(180_000);
  let app = await startApp();
  try {
    await page.goto(app.url);
    await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();

    // Ctrl+6 goes to Exams; Tab to PSM I's start button; Enter opens the start dialog.
    await page.keyboard.press('Control+6');
    await expect(page.getByRole('heading', { name: 'Exam practice', level: 1 })).toBeVisible();
    await expect(page.getByRole('region', { name: 'PSM I' }).getByText('80 questions (scrum.org)')).toBeVisible();
    await expect(page.getByRole('region', { name: 'PSPO I' }).getByText('not confirmed').first()).toBeVisible();
    await screenshot(page, 'exams-overview');
    await tabTo(page, 'Start a mock exam');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Start a PSM I mock exam' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('spinbutton', { name: 'Questions' })).toHaveValue('80');
    await expect(dialog.getByRole('spinbutton', { name: 'Time limit' })).toHaveValue('60');
    await expect(dialog.getByRole('spinbutton', { name: 'Pass mark' })).toHaveValue('85');
    await screenshot(page, 'exams-start');
    await tabTo(page, 'Start the clock');
    await page.keyboard.press('Enter');

    // The session: 80 questions, a countdown from 60:00.
    await expect(page.getByRole('heading', { name: 'PSM I mock exam' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Question 1 of 80' })).toBeVisible();
    await expect(page.locator('.exam-clock')).toHaveText(/^(60:00|59:5\d)$/);
    const attemptId = Number(new URL(page.url()).hash.match(/attempt=(\d+)/)![1]);

    // Answer 40, flagging every tenth; the window is reloaded after 12 (as a renderer crash or Ctrl+R
    // would): the attempt comes back at its first unanswered question, its clock still running.
    for (let p = 0; p < 12; p++) await answerCurrent(page, p, p % 10 === 3);
    await expect(page.getByText('All answers saved')).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Question 13 of 80' })).toBeVisible();
    await expect(page.getByText('12 of 80 answered · 1 flagged')).toBeVisible();
    await expect(page.locator('.exam-clock')).toHaveText(/^(59|58):\d\d$/);
    for (let p = 12; p < 40; p++) await answerCurrent(page, p, p % 10 === 3);
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('heading', { name: 'Question 40 of 80' })).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByText('40 of 80 answered · 4 flagged')).toBeVisible();
    await expect(page.getByText('All answers saved')).toBeVisible();
    await screenshot(page, 'exams-session');
    const before = await app.call<Attempt>('exams.attempt', { id: attemptId });
    expect(before.questions.filter((q) => q.chosen !== null)).toHaveLength(40);

    // Cadence is killed mid-exam and started again on the same data.
    app.process.kill('SIGKILL');
    await new Promise((resolve) => app.process.once('exit', resolve));
    app = await startApp(app.dataDir);
    await page.goto(app.url);
    await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
    await tabTo(page, 'Resume your PSM I attempt');
    await page.keyboard.press('Enter');

    // Every answer and flag is back; it resumes at the first unanswered question.
    await expect(page.getByRole('heading', { name: 'Question 41 of 80' })).toBeVisible();
    await expect(page.getByText('40 of 80 answered · 4 flagged')).toBeVisible();
    const after = await app.call<Attempt>('exams.attempt', { id: attemptId });
    expect(after.questions.map((q) => [q.chosen, q.flagged])).toEqual(before.questions.map((q) => [q.chosen, q.flagged]));

    for (let p = 40; p < 80; p++) await answerCurrent(page, p, false);
    // Enter on the last question asks to submit (focus starts on Cancel, so a stray Enter never submits).
    const confirm = page.getByRole('dialog', { name: 'Submit the exam?' });
    await expect(confirm).toBeVisible();
    await expect(confirm.getByText('Every question is answered. 4 are flagged for review.')).toBeVisible();
    await tabTo(page, 'Submit and see my score');
    await page.keyboard.press('Enter');

    // Scored against the answer key, all-or-nothing.
    await expect(page.getByRole('heading', { name: /^PSM I: \d+ %$/ })).toBeVisible();
    const db = new Database(path.join(app.dataDir, 'cadence.sqlite'), { readonly: true });
    const key = (db.prepare('SELECT snapshot FROM exam_attempt_questions WHERE attempt_id = ? ORDER BY position').all(attemptId) as { snapshot: string }[]).map(
      (r) => (JSON.parse(r.snapshot) as { correct: number[] }).correct,
    );
    db.close();
    const final = await app.call<{ result: { correct: number; passed: boolean }; items: { chosen: number[] | null }[] }>('exams.review', { attemptId });
    const expected = final.items.filter((item, i) => JSON.stringify(item.chosen) === JSON.stringify(key[i])).length;
    expect(final.result.correct).toBe(expected);
    await expect(page.getByRole('heading', { name: new RegExp(`^(Passed|Not passed): ${expected} of 80 right`) })).toBeVisible();
    await expect(page.getByText('all-or-nothing, as in the real exams')).toBeVisible();
    await expect(page.getByRole('list').filter({ hasText: 'Scrum events' }).first()).toBeVisible();
    // Each topic's count stays inside the result card.
    const card = (await page.locator('.result-summary').boundingBox())!;
    for (const count of await page.locator('.topic-scores .num').all()) {
      const box = (await count.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(card.x + card.width);
    }
    await screenshot(page, 'exams-review');

    // Review by keyboard: the missed questions show the right answer, the explanation and the source;
    // one becomes a flashcard.
    const firstMissed = page.locator('.review-item').first();
    // A multiple-select question marks each of its right answers: the first mark is enough here.
    await expect(firstMissed.getByText('(right answer').first()).toBeVisible();
    await expect(firstMissed.getByRole('link', { name: 'The 2020 Scrum Guide' })).toBeVisible();
    await tabTo(page, 'Make a flashcard');
    await page.keyboard.press('Enter');
    await expect(page.getByText('Flashcard added to Exam practice::PSM I.')).toBeVisible();
    const decks = await app.call<{ decks: { path: string; counts: { newDue: number } }[] }>('decks.list');
    expect(decks.decks.find((d) => d.path === 'Exam practice::PSM I')).toBeTruthy();

    // Today now shows readiness for PSM I.
    await page.keyboard.press('Control+1');
    await expect(page.getByText(/PSM I practice:/)).toBeVisible();
    await expect(page.getByText(/pass mark 85 %/)).toBeVisible();
    await screenshot(page, 'exams-today');

    // The Exams page shows PSM I's readiness: recent score, the trend chart and the weakest topic.
    await page.keyboard.press('Control+6');
    const psm = page.getByRole('region', { name: 'PSM I' });
    await expect(psm.getByText('Recent score')).toBeVisible();
    await expect(psm.getByRole('img', { name: /^Score of the one attempt so far: \d+ %$/ })).toBeVisible();
    await expect(psm.getByText(/^Weakest topic:/)).toBeVisible();
    await screenshot(page, 'exams-readiness');
  } finally {
    await stopApp(app);
  }
});

test('questions can be written, found and edited in the question editor', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Exams' }).first().click();
  await page.getByRole('link', { name: 'Questions' }).click();
  await expect(page.getByText(/^\d+ questions/)).toBeVisible();
  await screenshot(page, 'exams-questions');
  await page.getByRole('link', { name: 'New question' }).click();
  await page.getByLabel('Multiple select').check();
  await page.getByRole('textbox', { name: 'Question', exact: true }).fill('Which two are Kanban flow measures? (Choose 2)');
  await page.getByLabel('Option A', { exact: true }).fill('Throughput');
  await page.getByLabel('Option B', { exact: true }).fill('Velocity');
  await page.getByLabel('Option C', { exact: true }).fill('Cycle time');
  await page.getByLabel('Option D', { exact: true }).fill('Story points');
  await page.getByLabel('Option A is correct').check();
  await expect(page.getByText('A multiple-select question has at least two correct options')).toBeVisible();
  await page.getByLabel('Option C is correct').check();
  await page.getByLabel('Explanation').fill('Throughput and cycle time are two of the Kanban Guide flow measures.');
  await page.getByLabel('Source document').fill('The Kanban Guide');
  await page.getByLabel('Section').fill('Flow measures');
  await page.getByLabel('Topics').fill('kanban-flow');
  await page.getByRole('button', { name: 'Save question' }).click();
  await expect(page.getByRole('heading', { name: 'Edit question' })).toBeVisible();
  await expect(page.getByText('Saved.')).toBeVisible();
  await screenshot(page, 'exams-editor');

  await page.getByRole('link', { name: 'All questions' }).click();
  await page.getByLabel('Bank').selectOption('mine');
  await expect(page.getByRole('link', { name: 'Which two are Kanban flow measures? (Choose 2)' })).toBeVisible();
  await expect(page.getByText('Multiple select · answer A, C · Kanban flow')).toBeVisible();
});
