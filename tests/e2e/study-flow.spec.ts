// The daily flow an Anki user expects, in Chromium: siblings kept apart over a long session, parent and
// child limits that agree on every page, each custom study option, and Anki's search syntax in Browse.
import type { Locator, Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { expect, screenshot, test } from './fixtures';

const counts = (page: Page) => page.getByLabel('Cards left today');
const question = (page: Page) => page.getByRole('region', { name: 'Question' }).locator('.card');
const answerSide = (page: Page) => page.getByRole('region', { name: 'Answer' }).locator('.card');

interface Deck {
  id: number;
}
interface Saved {
  note: { id: number; cards: { id: number }[] };
}

/** Answers the card on screen with a key, after showing its answer; returns the question text. */
async function answerShown(page: Page, key: string): Promise<string> {
  const text = await question(page).innerText();
  await page.keyboard.press('Space');
  await expect(answerSide(page)).toBeVisible();
  await page.keyboard.press(key);
  return text;
}

test('siblings never come one after the other over a 40-card session of reversed and cloze notes', async ({ page, app }) => {
  // Twenty to forty answers, each awaited on screen: more than the default minute on a busy machine.
  test.slow();
  await page.goto(app.url);
  // Burying off, so every sibling is studied the same day: only the spacing keeps them apart.
  await app.call('presets.update', { id: 1, buryNew: false, buryReview: false, newPerDay: 100 });
  const deck = await app.call<Deck>('decks.create', { name: 'Product terms' });
  for (let i = 0; i < 8; i++) {
    await app.call('notes.create', { noteTypeId: 2, deckId: deck.id, fields: [`N${i} persona term`, `N${i} a user archetype`] });
  }
  for (let i = 8; i < 16; i++) {
    await app.call('notes.create', { noteTypeId: 3, deckId: deck.id, fields: [`N${i} risks: {{c1::value}}, {{c2::usability}}, {{c3::feasibility}}`, ''] });
  }
  await page.getByRole('link', { name: 'Study', exact: true }).click();
  await page.getByRole('link', { name: 'Product terms' }).click();
  await expect(counts(page)).toHaveText(/^40\s*new/);

  const notes: string[] = [];
  for (let i = 0; i < 40; i++) {
    const text = await answerShown(page, '4');
    notes.push(/N\d+/.exec(text)![0]);
    if (i < 39) await expect(counts(page)).toHaveText(new RegExp(`^${39 - i}\\s*new`));
    if (i === 5) await screenshot(page, 'study-siblings-session');
  }
  for (let i = 1; i < notes.length; i++) expect(`${i}: ${notes[i]}`).not.toBe(`${i}: ${notes[i - 1]}`);
  expect(new Set(notes).size).toBe(16);
  await expect(page.getByRole('heading', { name: 'Session complete' })).toBeVisible();
});

test('a child studied after its parent reached its limit serves nothing more, and every page agrees', async ({ page, app }) => {
  // Twenty to forty answers, each awaited on screen: more than the default minute on a busy machine.
  test.slow();
  await page.goto(app.url);
  const parent = await app.call<Deck>('decks.create', { name: 'Starter' });
  for (const name of ['Certification fees', 'Product', 'Scrum']) {
    const child = await app.call<Deck>('decks.create', { name, parentId: parent.id });
    for (let i = 0; i < 25; i++) await app.call('notes.create', { noteTypeId: 1, deckId: child.id, fields: [`${name} question ${i}`, `answer ${i}`] });
  }
  await page.getByRole('link', { name: 'Study', exact: true }).click();
  await page.getByRole('link', { name: 'Starter' }).click();
  await expect(counts(page)).toHaveText(/^20\s*new/);
  const subdecks = new Set<string>();
  for (let i = 0; i < 20; i++) {
    await answerShown(page, '4');
    if (i < 19) await expect(counts(page)).toHaveText(new RegExp(`^${19 - i}\\s*new`));
  }
  await expect(page.getByRole('heading', { name: 'Session complete' })).toBeVisible();
  // The first day mixes the subdecks (random notes), rather than emptying the first one.
  const studied = await app.call<{ rows: { deckPath: string }[] }>('browse.search', { text: 'is:review', limit: 100 });
  for (const r of studied.rows) subdecks.add(r.deckPath);
  expect(subdecks.size).toBeGreaterThan(1);

  // Today: nothing due, no subdeck offering more.
  await page.getByRole('link', { name: 'Today' }).click();
  await expect(page.getByRole('region', { name: 'Due now' }).or(page.locator('section[aria-labelledby="due-now"]'))).toContainText('0 new');
  await expect(page.getByText('Nothing is due right now')).toBeVisible();
  // The study chooser and the deck list say 0 new for every subdeck.
  await page.getByRole('link', { name: 'Study', exact: true }).click();
  for (const name of ['Certification fees', 'Product', 'Scrum']) {
    await expect(page.locator('li.chooser-row', { hasText: name }).locator('.count-new')).toHaveText(/^0/);
  }
  await page.getByRole('link', { name: 'Product', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Nothing to study right now' })).toBeVisible();
  await expect(counts(page)).toHaveText(/^0\s*new\s*0\s*learning\s*0/);
  // Settings says the same rule in words.
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByText(/studying a subdeck on its own also stays within the limits of the decks above it/)).toBeVisible();
  await page.getByRole('group', { name: 'Siblings (cards of the same note)' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-study-options');
});

test('custom study: each option from the Study page', async ({ page, app }) => {
  await page.goto(app.url);
  await app.call('presets.update', { id: 1, newPerDay: 5 });
  const deck = await app.call<Deck>('decks.create', { name: 'Exam prep' });
  const ids: number[] = [];
  for (let i = 0; i < 8; i++) {
    const saved = await app.call<Saved>('notes.create', { noteTypeId: 1, deckId: deck.id, fields: [`Exam question ${i}`, `answer ${i}`], tags: i < 4 ? ['pmp'] : [] });
    ids.push(saved.note.cards[0]!.id);
  }
  // History: two cards forgotten today, two graduated (due in a few days).
  await app.call('study.answer', { cardId: ids[6]!, rating: 1, durationMs: 1000 });
  await app.call('study.answer', { cardId: ids[7]!, rating: 1, durationMs: 1000 });
  await app.call('study.answer', { cardId: ids[4]!, rating: 4, durationMs: 1000 });
  await app.call('study.answer', { cardId: ids[5]!, rating: 4, durationMs: 1000 });

  await page.getByRole('link', { name: 'Study', exact: true }).click();
  await page.getByRole('link', { name: 'Exam prep' }).click();
  // Four of the five new cards allowed today were studied above.
  await expect(counts(page)).toHaveText(/^1\s*new/);
  const open = async () => {
    await page.getByRole('button', { name: 'Custom study…' }).first().click();
    return page.getByRole('dialog', { name: 'Custom study: Exam prep' });
  };

  // 1. Today's new-card limit, raised by 3.
  let dialog = await open();
  await screenshot(page, 'custom-study-dialog');
  await dialog.getByLabel('Extra cards today').fill('3');
  await dialog.getByRole('button', { name: 'Raise limit' }).click();
  await expect(page.getByText("Today's limits for Exam prep: 8 new, 200 reviews.")).toBeVisible();
  await expect(counts(page)).toHaveText(/^4\s*new/);

  // 2. Today's review limit.
  dialog = await open();
  await dialog.getByLabel("Increase today's review limit").check();
  await dialog.getByLabel('Extra cards today').fill('10');
  await dialog.getByRole('button', { name: 'Raise limit' }).click();
  await expect(page.getByText("Today's limits for Exam prep: 8 new, 210 reviews.")).toBeVisible();

  // 3. Forgotten cards: the two answered Again, rescheduled by the answers.
  dialog = await open();
  await dialog.getByLabel('Review forgotten cards').check();
  await dialog.getByRole('button', { name: 'Start session' }).click();
  await expect(page.getByRole('heading', { name: 'Custom study: Exam prep' })).toBeVisible();
  await expect(page.getByText('Forgotten in the last 1 day')).toBeVisible();
  await expect(counts(page)).toHaveText(/^0\s*new\s*2\s*learning/);
  await answerShown(page, '4');
  await answerShown(page, '4');
  await expect(page.getByRole('heading', { name: 'Custom study session complete' })).toBeVisible();
  expect((await app.call<{ rows: unknown[] }>('browse.search', { text: `cid:${ids[6]},${ids[7]} is:review` })).rows).toHaveLength(2);
  await page.getByRole('button', { name: 'End custom study' }).first().click();
  await expect(page.getByRole('heading', { name: 'Exam prep' })).toBeVisible();

  // 4. Review ahead: the graduated cards, due in days, studied now.
  dialog = await open();
  await dialog.getByLabel('Review ahead').check();
  await dialog.getByLabel('Days ahead').fill('60');
  await dialog.getByRole('button', { name: 'Start session' }).click();
  await expect(page.getByText(/Reviews due in the next 60 days/)).toBeVisible();
  await expect(counts(page)).toHaveText(/^0\s*new\s*\d+\s*learning\s*\d+\s*to review/);
  await page.getByRole('button', { name: 'End custom study' }).first().click();

  // 5. Preview new cards: nothing about them changes.
  const before = await app.call<{ rows: { cardId: number; state: string; due: number }[] }>('browse.search', { text: 'is:new', limit: 100 });
  dialog = await open();
  await dialog.getByLabel('Preview new cards').check();
  await dialog.getByRole('button', { name: 'Start session' }).click();
  await expect(page.getByText(/answers do not change the cards/)).toBeVisible();
  await page.keyboard.press('Space');
  await expect(page.getByRole('group', { name: 'How well did you remember?' }).getByRole('button')).toHaveText([/^1m\s*Again/, /^10m\s*Hard/, /^done\s*Good/, /^done\s*Easy/]);
  await screenshot(page, 'custom-study-preview');
  await page.keyboard.press('3');
  // The count of cards studied goes up when Cadence has taken the answer: only then can it show what the answer changed.
  await expect(page.locator('.study-progress')).toContainText('1 studied');
  const after = await app.call<{ rows: { cardId: number; state: string; due: number }[] }>('browse.search', { text: 'is:new', limit: 100 });
  expect(after.rows).toEqual(before.rows);
  await page.getByRole('button', { name: 'End custom study' }).first().click();

  // 6. By state and tag: new cards tagged pmp.
  dialog = await open();
  await dialog.getByLabel('Study by card state or tag').check();
  await dialog.getByLabel('With any of these tags (optional)').fill('pmp');
  await dialog.getByRole('button', { name: 'Start session' }).click();
  await expect(page.getByText('New cards tagged pmp')).toBeVisible();
  const pmpNew = (await app.call<{ total: number }>('browse.search', { text: 'tag:pmp is:new' })).total;
  await expect(counts(page)).toHaveText(new RegExp(`^${pmpNew}\\s*new`));
  await expect(question(page)).toContainText('Exam question');
  await page.getByRole('button', { name: 'End custom study' }).first().click();
  await expect(counts(page)).toBeVisible();
});

test('Browse understands Anki search queries, and says what is wrong with a malformed one', async ({ page, app }) => {
  await page.goto(app.url);
  const scrum = await app.call<Deck>('decks.create', { name: 'Scrum' });
  const events = await app.call<Deck>('decks.create', { name: 'Events', parentId: scrum.id });
  const pm = await app.call<Deck>('decks.create', { name: 'PM' });
  const add = (noteTypeId: number, deckId: number, fields: string[], tags: string[]) => app.call<Saved>('notes.create', { noteTypeId, deckId, fields, tags });
  await add(1, events.id, ['What is the Sprint Review for?', 'Inspecting the increment'], ['scrum::events', 'bootcamp']);
  const length = await add(2, scrum.id, ['Sprint length', 'One month or less'], ['scrum']);
  const cloze = await add(3, events.id, ['The {{c1::Sprint}} contains the {{c2::Daily Scrum}}', ''], ['scrum::events']);
  const roadmap = await add(1, pm.id, ['What is a roadmap?', 'A plan of outcomes over time'], ['pm', 'bootcamp']);
  await add(1, pm.id, ['OKR', 'Objectives and key results'], []);
  await app.call('study.answer', { cardId: roadmap.note.cards[0]!.id, rating: 1, durationMs: 1000 });
  await app.call('cards.suspend', { cardIds: [length.note.cards[1]!.id] });
  await app.call('cards.flag', { cardIds: [cloze.note.cards[0]!.id], flag: 1 });

  // Browse is reached from the Decks page; the address works too (the token is kept for the tab).
  await page.evaluate(() => (window.location.hash = '#/browse'));
  const search = page.getByRole('searchbox');
  const expectFound = async (query: string, found: number) => {
    await search.fill(query);
    await search.press('Enter');
    if (found === 0) await expect(page.getByText('No cards match')).toBeVisible();
    else await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText(`of ${found}`);
  };
  const queries: [string, number][] = [
    ['tag:bootcamp', 2],
    ['tag:scrum -tag:bootcamp', 4],
    ['deck:Scrum', 5],
    ['deck:Scrum::* card:2', 1],
    ['note:Cloze', 2],
    ['is:new -is:suspended', 5],
    ['is:learn or is:suspended', 2],
    ['rated:1:1', 1],
    ['prop:lapses=0 prop:reps>=1', 1],
    ['flag:1', 1],
    ['"sprint review" or okr', 2],
    ['(sprint or roadmap) -deck:Scrum', 1],
    ['front:*sprint*', 3],
    ['added:1 tag:none', 1],
  ];
  for (const [query, found] of queries) await expectFound(query, found);
  await screenshot(page, 'browse-anki-search');

  // A tag no note has: the empty result names it and the tags there are.
  await expectFound('tag:bootcmp', 0);
  await expect(page.getByText('No note has the tag “bootcmp”. The tags in this collection start with bootcamp, pm, scrum.')).toBeVisible();
  await screenshot(page, 'browse-unknown-tag');

  // A malformed search says what is wrong; the help lists the syntax and tries an example.
  await search.fill('(sprint or okr');
  await search.press('Enter');
  await expect(page.getByText('Search: a "(" has no matching ")".')).toBeVisible();
  await page.getByRole('button', { name: 'Search syntax' }).click();
  const help = page.getByRole('dialog', { name: 'Search syntax' });
  await expect(help).toContainText('prop:ivl>=10');
  await screenshot(page, 'browse-search-help');
  await help.getByRole('button', { name: 'is:due' }).click();
  await expect(search).toHaveValue('is:due');
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText('of 1');
});

/** A real 2×2 PNG handed to a field at the end of its text, as a browser does: pasted or dropped. */
async function givePicture(field: Locator, name: string, how: 'paste' | 'drop') {
  await field.evaluate(
    (area: HTMLTextAreaElement, [fileName, kind]) => {
      const png = Uint8Array.from(
        atob('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg=='),
        (c) => c.charCodeAt(0),
      );
      area.setSelectionRange(area.value.length, area.value.length);
      const data = new DataTransfer();
      data.items.add(new File([png], fileName, { type: 'image/png' }));
      if (kind === 'paste') area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      else for (const type of ['dragover', 'drop']) area.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    [name, how] as const,
  );
}

test('a picture pasted into the editor is stored, shown in study and exported in the .apkg', async ({ page, app }) => {
  await page.goto(app.url);
  const deck = await app.call<Deck>('decks.create', { name: 'Personas' });
  await page.evaluate(() => (window.location.hash = '#/editor'));
  const front = page.getByLabel('Front', { exact: true });
  await front.fill('Who is this persona? ');
  // A real 2×2 PNG on the clipboard, pasted at the end of the first field.
  await givePicture(front, 'persona.png', 'paste');
  await expect(front).toHaveValue(/^Who is this persona\? <img src="media\/[a-f0-9]{64}\.png" alt="persona">$/);
  // The preview shows the picture itself, loaded from the media folder.
  const preview = page.getByRole('region', { name: 'Card: question' }).locator('img');
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);
  await page.getByLabel('Back', { exact: true }).fill('The busy product owner');
  await screenshot(page, 'editor-pasted-picture');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Added a note with 1 card')).toBeVisible();

  // Studied: the picture is on the card.
  await page.evaluate((id) => (window.location.hash = `#/study?deck=${id}`), deck.id);
  const shown = page.getByRole('region', { name: 'Question' }).locator('img');
  await expect(shown).toBeVisible();
  await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);

  // Exported: the package carries the file under its original name.
  const out = await app.call<{ downloadName: string; media: number }>('export.apkg', { deckId: deck.id });
  expect(out.media).toBe(1);
  const res = await fetch(`${app.origin}/download/${encodeURIComponent(out.downloadName)}?token=${app.token}`);
  expect(res.ok).toBe(true);
  const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
  const map = JSON.parse(new TextDecoder().decode(files.media)) as Record<string, string>;
  expect(Object.values(map)).toEqual(['persona.png']);
  expect(files[Object.keys(map)[0]!]!.slice(1, 4)).toEqual(new TextEncoder().encode('PNG'));
});

test('a type-in-the-answer card takes the typed answer and shows what was right and wrong', async ({ page, app }) => {
  await page.goto(app.url);
  const types = await app.call<{ noteTypes: { id: number; name: string }[] }>('noteTypes.list');
  const typeIn = types.noteTypes.find((t) => t.name === 'Basic (type in the answer)')!;
  const deck = await app.call<Deck>('decks.create', { name: 'Roles' });
  await app.call('notes.create', { noteTypeId: typeIn.id, deckId: deck.id, fields: ['Who orders the Product Backlog?', 'Product Owner'] });
  await page.evaluate((id) => (window.location.hash = `#/study?deck=${id}`), deck.id);
  const box = page.getByLabel('Type the answer');
  await expect(box).toBeFocused();
  // Space types a space here; it does not show the answer.
  await page.keyboard.type('Prodcut Owner');
  await expect(answerSide(page)).toHaveCount(0);
  await page.keyboard.press('Enter');
  const compared = page.getByRole('status', { name: 'Your answer compared' });
  await expect(compared).toContainText('The answer: Product Owner');
  await expect(compared.locator('.typed-missing')).toHaveText('u');
  await expect(compared.locator('.typed-bad')).toHaveText('u');
  await screenshot(page, 'study-type-answer');
  await page.keyboard.press('4');
  await expect(page.getByRole('heading', { name: 'Session complete' })).toBeVisible();
});

test('a cloze type-in card asks for its own deletions typed in and shows what was right and wrong', async ({ page, app }) => {
  await page.goto(app.url);
  const types = await app.call<{ noteTypes: { id: number; name: string }[] }>('noteTypes.list');
  const typeIn = types.noteTypes.find((t) => t.name === 'Cloze (type in the answer)')!;
  const deck = await app.call<Deck>('decks.create', { name: 'Accountabilities' });
  // Siblings are not buried here, so the second card follows the first.
  await app.call('presets.update', { id: 1, buryNew: false });
  await app.call('notes.create', {
    noteTypeId: typeIn.id,
    deckId: deck.id,
    fields: ['The {{c1::Product Owner}} orders the Product Backlog; the {{c2::Scrum Master}} coaches the team', ''],
  });
  await page.evaluate((id) => (window.location.hash = `#/study?deck=${id}`), deck.id);
  const question = page.getByRole('region', { name: 'Question' });
  await expect(question).toContainText('[...] orders the Product Backlog');
  const box = page.getByLabel('Type the answer');
  await expect(box).toBeFocused();
  await page.keyboard.type('Product Onwer');
  await page.keyboard.press('Enter');
  const compared = page.getByRole('status', { name: 'Your answer compared' });
  await expect(compared).toContainText('The answer: Product Owner');
  await expect(compared.locator('.typed-bad')).toHaveCount(1);
  await screenshot(page, 'study-type-answer-cloze');
  // The sibling (card 2) asks for its own deletion, typed right this time.
  await page.keyboard.press('3');
  const next = page.getByLabel('Type the answer');
  await expect(next).toBeFocused();
  await expect(question).toContainText('the [...] coaches the team');
  await page.keyboard.type('Scrum Master');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: 'Your answer compared' })).toContainText('exactly right');
});

test('a sound picked with the file button and a picture dropped on a field both go into the note', async ({ page, app }) => {
  await page.goto(app.url);
  await app.call<Deck>('decks.create', { name: 'Pronunciation' });
  await page.evaluate(() => (window.location.hash = '#/editor'));
  const front = page.getByLabel('Front', { exact: true });
  await front.fill('How is "backlog" said? ');
  // A short WAV (silence), picked for the Back field with its "Insert picture or sound…" button.
  const wav = Buffer.alloc(44 + 800);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + 800, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(8000, 24);
  wav.writeUInt32LE(8000, 28);
  wav.writeUInt16LE(1, 32);
  wav.writeUInt16LE(8, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(800, 40);
  const back = page.getByLabel('Back', { exact: true });
  await back.fill('Like this: ');
  const pickers = page.locator('input[type="file"]');
  await pickers.nth(1).setInputFiles({ name: 'backlog.wav', mimeType: 'audio/wav', buffer: wav });
  await expect(back).toHaveValue(/^Like this: <audio controls src="media\/[a-f0-9]{64}\.wav"><\/audio>$/);

  // A picture dropped on the Front field goes in at the cursor.
  await givePicture(front, 'backlog board.png', 'drop');
  await expect(front).toHaveValue(/^How is "backlog" said\? <img src="media\/[a-f0-9]{64}\.png" alt="backlog board">$/);
  // The preview plays the sound from the media folder and shows the picture.
  const audio = page.getByRole('region', { name: 'Card: answer' }).locator('audio');
  await expect(audio).toHaveAttribute('src', /^\/media\/[a-f0-9]{64}\.wav$/);
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.readyState)).toBeGreaterThan(0);
  await expect.poll(() => page.getByRole('region', { name: 'Card: question' }).locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);
  await screenshot(page, 'editor-picked-sound');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Added a note with 1 card')).toBeVisible();
  const found = await app.call<{ total: number }>('browse.search', { text: 'back:*.wav*' });
  expect(found.total).toBe(1);
});
