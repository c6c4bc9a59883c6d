// Math in cards, offline: an imported (HTML) note with MathJax-style \(…\) and \[…\] and Anki's [$]…[/$]
// and [latex]…[/latex] blocks, and a note written here in Markdown with math in it, are drawn by the
// KaTeX bundled with the app. No raw "\(" is left on screen, nothing is fetched from outside the app,
// and a remote picture in the same card shows as a placeholder instead of being requested.
import { expect, screenshot, test } from './fixtures';
import { NT, legacyPackage, sampleCollection, type FxCollection } from '../unit/transfer-fixtures';

function mathDeck(): Buffer {
  const base = sampleCollection();
  const t = new Date('2026-01-20T10:00:00').getTime();
  const col: FxCollection = {
    ...base,
    decks: [{ id: 1, name: 'Default' }, { id: 90, name: 'Linear algebra' }],
    notes: [
      {
        id: t,
        guid: 'math-1',
        mid: NT.basic,
        mod: t / 1000,
        tags: ['math'],
        fields: [
          'Solve \\(x^2 = a_{0}\\) for <i>x</i> when \\(a_{0} &gt; 0\\)<br><img src="https://example.com/graph.png" alt="graph of x squared">',
          '\\[x = \\pm\\sqrt{a_{0}}\\]Inline block: [$]a_{0}+a_{1}[/$]<br>[latex]\\begin{align}y &amp;= mx + c\\end{align}[/latex]<br>[latex]\\usepackage{tikz}[/latex]',
        ],
      },
    ],
    cards: [{ id: t + 1, nid: t, did: 90, ord: 0, type: 0, queue: 0, due: 0 }],
    revlog: [],
    media: [],
  };
  return Buffer.from(legacyPackage(col));
}

test('a card with inline and display math is drawn by KaTeX, offline, with no raw TeX on screen', async ({ page, app }) => {
  const outside: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(app.origin) && !req.url().startsWith('data:')) outside.push(req.url());
  });
  const fonts: string[] = [];
  page.on('response', (res) => {
    if (/KaTeX_.*\.woff2$/.test(res.url()) && res.ok()) fonts.push(res.url());
  });

  await page.goto(app.url);
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await page.getByRole('link', { name: 'Import…' }).click();
  await page.getByLabel('File to import').setInputFiles({ name: 'math.apkg', mimeType: 'application/octet-stream', buffer: mathDeck() });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();

  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await page.getByRole('link', { name: 'Study Linear algebra now' }).click();

  const question = page.getByRole('region', { name: 'Question' }).locator('.card');
  await expect(question.locator('.katex').first()).toBeVisible();
  await expect(question.locator('.katex')).toHaveCount(2);
  await expect(question).not.toContainText('\\(');
  await expect(question).not.toContainText('\\)');
  // The subscript is drawn as one (not eaten by Markdown into italics): KaTeX's MathML keeps a_0.
  expect(await question.locator('.katex math msub').count()).toBeGreaterThan(0);
  // The remote picture is not requested; a placeholder says so.
  await expect(question.getByRole('img', { name: /Remote image not loaded \(example\.com\): graph of x squared/ })).toBeVisible();
  await expect(question.locator('img')).toHaveCount(0);
  await screenshot(page, 'math-question');

  await page.keyboard.press('Space');
  const answer = page.getByRole('region', { name: 'Answer' }).locator('.card');
  await expect(answer.locator('.katex-display').first()).toBeVisible();
  await expect(answer).not.toContainText('\\[');
  await expect(answer).not.toContainText('[$]');
  await expect(answer).not.toContainText('[latex]\\begin');
  // [latex] that KaTeX cannot read is shown as written, with a note.
  await expect(answer.locator('.math-unrendered code')).toHaveText('[latex]\\usepackage{tikz}[/latex]');
  await expect(answer.locator('.math-note')).toContainText('shown as written');
  await screenshot(page, 'math-answer');

  // The font responses are reported as they arrive, not when the text that needs them is drawn.
  await expect.poll(() => fonts.length).toBeGreaterThan(0);
  expect(outside).toEqual([]);
});

test('math in a note written here in Markdown survives Markdown, and Markdown still works around it', async ({ page, app }) => {
  const deck = await app.call<{ id: number }>('decks.create', { name: 'Calculus' });
  await app.call('notes.create', {
    noteTypeId: 1,
    deckId: deck.id,
    fields: ['What is **the sum** \\(a_{0} + a_{1}\\) when a_0 = 1?', '$$\\sum_{i=0}^{1} a_{i} = 3$$'],
  });
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Decks', exact: true }).click();
  await page.getByRole('link', { name: 'Study Calculus now' }).click();
  const question = page.getByRole('region', { name: 'Question' }).locator('.card');
  await expect(question.locator('.katex')).toHaveCount(1);
  await expect(question.locator('strong')).toHaveText('the sum');
  await expect(question).not.toContainText('\\(');
  await page.keyboard.press('Space');
  await expect(page.getByRole('region', { name: 'Answer' }).locator('.card .katex-display')).toHaveCount(1);
  await screenshot(page, 'math-markdown-answer');
});
