// axe-core (WCAG 2.x A and AA rules plus best practice) on every exam page and state, in light and
// dark mode: the Exams page with readiness, the start dialog, a running mock exam with an answer and a
// flag, the submit dialog, the review, the question list and the question editor. Any violation fails
// the test and is listed with the elements it was found on.
import { axeStates, type AxeState } from './axe';
import { expect, startApp, stopApp, test, type RunningApp } from './fixtures';

interface Attempt {
  id: number;
  questions: { position: number; kind: string }[];
}

interface Seeded {
  reviewed: number;
  questionId: number;
}

/** One submitted PSM I attempt (some answers, so review and readiness have content) and the question list loaded. */
async function seed(app: RunningApp): Promise<Seeded> {
  const done = await app.call<Attempt>('exams.start', { formatKey: 'psm-1' });
  for (const q of done.questions.slice(0, 30)) {
    await app.call('exams.answer', { attemptId: done.id, position: q.position, chosen: [q.position % 2], flagged: q.position % 7 === 0 });
  }
  await app.call('exams.submit', { attemptId: done.id });
  const list = await app.call<{ questions: { id: number }[] }>('questions.list', { limit: 1 });
  return { reviewed: done.id, questionId: list.questions[0]!.id };
}

const STATES: AxeState<Seeded>[] = [
  { name: 'exams', open: async (page, app) => void (await page.goto(`${app.origin}/#/exams`)) },
  {
    name: 'start dialog',
    open: async (page, app) => {
      await page.goto(`${app.origin}/#/exams`);
      await page.getByRole('region', { name: 'PSPO I' }).getByRole('button', { name: 'Start a mock exam' }).click();
      await expect(page.getByRole('dialog', { name: 'Start a PSPO I mock exam' })).toBeVisible();
    },
  },
  {
    name: 'mock exam',
    open: async (page) => {
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('region', { name: 'PSM I' }).getByRole('button', { name: 'Start a mock exam' }).click();
      await page.getByRole('button', { name: 'Start the clock' }).click();
      await expect(page.getByRole('heading', { name: 'Question 1 of 80' })).toBeVisible();
      await page.keyboard.press('1');
      await page.keyboard.press('f');
      await expect(page.getByText('All answers saved')).toBeVisible();
    },
  },
  {
    name: 'submit dialog',
    open: async (page) => {
      await page.getByRole('button', { name: 'Submit exam' }).click();
      await expect(page.getByRole('dialog', { name: 'Submit the exam?' })).toBeVisible();
    },
  },
  {
    name: 'review',
    open: async (page) => {
      await page.getByRole('button', { name: 'Submit and see my score' }).click();
      await expect(page.getByRole('heading', { name: /^PSM I: \d+ %$/ })).toBeVisible();
    },
  },
  { name: 'earlier review', open: async (page, app, s) => void (await page.goto(`${app.origin}/#/exam-review?attempt=${s.reviewed}`)) },
  { name: 'questions', open: async (page, app) => void (await page.goto(`${app.origin}/#/questions`)) },
  { name: 'question editor', open: async (page, app, s) => void (await page.goto(`${app.origin}/#/question?id=${s.questionId}`)) },
  { name: 'new question', open: async (page, app) => void (await page.goto(`${app.origin}/#/question`)) },
];

for (const dark of [false, true]) {
  test(`no accessibility violations on the exam pages${dark ? ' in dark mode' : ''}`, async ({ page }) => {
    // Nine states, each checked by axe: minutes on a busy 2-core machine.
    test.setTimeout(600_000);
    page.setDefaultTimeout(15_000); // a state that cannot be reached fails at once, naming the step
    const app = await startApp();
    try {
      const seeded = await seed(app);
      const found = await axeStates(page, app, seeded, STATES, { dark, shots: `a11y-exams-${dark ? 'dark' : 'light'}` });
      expect(found, `${found.length} violations`).toEqual([]);
    } finally {
      await stopApp(app);
    }
  });
}
