// Anki's search syntax in the card browser, against a small known collection: each query finds exactly
// the cards Anki's manual says it would, and a malformed one says what is wrong.
import { afterEach, describe, expect, it } from 'vitest';
import { compileSearch } from '../../electron/core/flashcards/search';
import { studyConfig } from '../../electron/core/flashcards/studyConfig';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const DAY = 86_400_000;

async function collection() {
  core = await makeTestCore();
  core.clock.set('2026-03-02T10:00:00');
  const scrum = await core.call('decks.create', { name: 'Scrum' });
  const events = await core.call('decks.create', { name: 'Events', parentId: scrum.id });
  const pm = await core.call('decks.create', { name: 'PM' });
  const add = async (noteTypeId: number, deckId: number, fields: string[], tags: string[] = []) =>
    (await core.call('notes.create', { noteTypeId, deckId, fields, tags })).note;
  const review = await add(1, events.id, ['What is the Sprint Review for?', 'Inspecting the increment'], ['scrum::events', 'bootcamp']);
  const length = await add(2, scrum.id, ['Sprint length', 'One month or less'], ['scrum']);
  const cloze = await add(3, events.id, ['The {{c1::Sprint}} contains the {{c2::Daily Scrum}}', ''], ['scrum::events']);
  const roadmap = await add(1, pm.id, ['What is a roadmap?', 'A plan of outcomes over time'], ['pm', 'bootcamp']);
  const okr = await add(1, pm.id, ['OKR', 'Objectives and key results'], []);
  // History: the roadmap card graduated long ago (interval of weeks), the OKR card was answered today.
  await core.call('study.answer', { cardId: roadmap.cards[0]!.id, rating: 4, durationMs: 1000 });
  core.clock.advance(40 * DAY);
  const graduated = await core.call('study.answer', { cardId: roadmap.cards[0]!.id, rating: 4, durationMs: 1000 });
  expect(graduated.state).toBe('review');
  core.clock.advance(DAY);
  await core.call('study.answer', { cardId: okr.cards[0]!.id, rating: 1, durationMs: 1000 });
  await core.call('cards.suspend', { cardIds: [length.cards[1]!.id] });
  await core.call('cards.flag', { cardIds: [cloze.cards[1]!.id], flag: 1 });
  return { review, length, cloze, roadmap, okr };
}

type Notes = Awaited<ReturnType<typeof collection>>;

async function find(text: string): Promise<number[]> {
  const r = await core.call('browse.search', { text, limit: 1000 });
  expect(r.total).toBe(r.rows.length);
  return r.rows.map((x) => x.cardId).sort((a, b) => a - b);
}
const cards = (...list: { id: number }[]) => list.map((c) => c.id).sort((a, b) => a - b);
const all = (n: Notes[keyof Notes]) => n.cards;

describe('Anki search syntax', () => {
  it('finds what each query names', async () => {
    const n = await collection();
    // tag: takes the tags below it; -tag: leaves them out.
    expect(await find('tag:bootcamp')).toEqual(cards(...all(n.review), ...all(n.roadmap)));
    expect(await find('tag:scrum')).toEqual(cards(...all(n.review), ...all(n.length), ...all(n.cloze)));
    expect(await find('tag:scrum::events -tag:bootcamp')).toEqual(cards(...all(n.cloze)));
    expect(await find('tag:none')).toEqual(cards(...all(n.okr)));
    expect(await find('tag:boot*')).toEqual(cards(...all(n.review), ...all(n.roadmap)));
    // deck: with its subdecks, wildcards, and the subdecks alone.
    expect(await find('deck:scrum')).toEqual(cards(...all(n.review), ...all(n.length), ...all(n.cloze)));
    expect(await find('deck:Scrum::*')).toEqual(cards(...all(n.review), ...all(n.cloze)));
    expect(await find('deck:scrum -deck:scrum::events')).toEqual(cards(...all(n.length)));
    // note: and card: (the reversed card, the second cloze).
    expect(await find('note:cloze')).toEqual(cards(...all(n.cloze)));
    expect(await find('card:2')).toEqual(cards(n.length.cards[1]!, n.cloze.cards[1]!));
    expect(await find('note:basic* card:2')).toEqual(cards(n.length.cards[1]!));
    // is:
    expect(await find('is:suspended')).toEqual(cards(n.length.cards[1]!));
    expect(await find('is:review')).toEqual(cards(...all(n.roadmap)));
    expect(await find('is:learn')).toEqual(cards(...all(n.okr)));
    expect(await find('is:new deck:pm')).toEqual([]);
    expect(await find('is:due')).toEqual(cards(...all(n.okr)));
    // prop:, rated:, added:, flag:
    expect(await find('prop:ivl>=10')).toEqual(cards(...all(n.roadmap)));
    expect(await find('prop:ivl<10')).toEqual([]);
    expect(await find('prop:lapses=0 prop:reps>=2')).toEqual(cards(...all(n.roadmap)));
    expect(await find('prop:reps=1')).toEqual(cards(...all(n.okr)));
    expect(await find('rated:1')).toEqual(cards(...all(n.okr)));
    expect(await find('rated:1:3')).toEqual([]);
    expect(await find('rated:60')).toEqual(cards(...all(n.roadmap), ...all(n.okr)));
    expect(await find('added:1')).toEqual([]);
    expect(await find('added:60 is:new')).toEqual(cards(...all(n.review), ...all(n.length), ...all(n.cloze)));
    expect(await find('flag:1')).toEqual(cards(n.cloze.cards[1]!));
    // or, negation, parentheses, phrases, field search.
    expect(await find('roadmap or okr')).toEqual(cards(...all(n.roadmap), ...all(n.okr)));
    expect(await find('(sprint or okr) -tag:scrum::events')).toEqual(cards(...all(n.length), ...all(n.okr)));
    expect(await find('-sprint -deck:pm')).toEqual([]);
    expect(await find('"sprint review"')).toEqual(cards(...all(n.review)));
    expect(await find('front:*sprint*')).toEqual(cards(...all(n.review), ...all(n.length)));
    expect(await find('front:okr')).toEqual(cards(...all(n.okr)));
    expect(await find('back:objectives')).toEqual([]);
    expect(await find('text:*daily*')).toEqual(cards(...all(n.cloze)));
    // Note conditions beside conditions few cards pass (read card first, then its note).
    expect(await find('tag:bootcamp rated:60')).toEqual(cards(...all(n.roadmap)));
    expect(await find('-tag:scrum is:due')).toEqual(cards(...all(n.okr)));
    expect(await find('front:*ok* is:learn')).toEqual(cards(...all(n.okr)));
    expect(await find('okr added:60 -tag:bootcamp is:learn')).toEqual(cards(...all(n.okr)));
    expect(await find('tag:scrum* flag:1')).toEqual(cards(n.cloze.cards[1]!));
    // nid: and cid:
    expect(await find(`nid:${n.okr.id},${n.roadmap.id}`)).toEqual(cards(...all(n.roadmap), ...all(n.okr)));
    expect(await find(`cid:${n.cloze.cards[0]!.id}`)).toEqual(cards(n.cloze.cards[0]!));
  });

  it('finds field and wildcard matches through the substring index, which follows every change to a note', async () => {
    const n = await collection();
    // Case folded, anywhere in the field, wildcards and one-character wildcards inside.
    expect(await find('front:*ROADMAP*')).toEqual(cards(...all(n.roadmap)));
    expect(await find('back:a*outcomes*')).toEqual(cards(...all(n.roadmap)));
    expect(await find('back:*outc_mes*')).toEqual(cards(...all(n.roadmap)));
    expect(await find('outc*mes')).toEqual(cards(...all(n.roadmap)));
    expect(await find('-front:*roadmap* deck:pm')).toEqual(cards(...all(n.okr)));
    // Its pieces in another order are not a match: the exact test follows the index.
    expect(await find('front:*maproad*')).toEqual([]);
    expect(await find('back:*timeover*')).toEqual([]);
    // Edited: found by the new text only; deleted: gone.
    const edited = await core.call('notes.update', { id: n.roadmap.id, fields: ['What is a product roadmap?', 'Outcomes, not features'] });
    expect(edited.note.id).toBe(n.roadmap.id);
    expect(await find('back:"*plan of*"')).toEqual([]);
    expect(await find('back:"*not feat*"')).toEqual(cards(...all(n.roadmap)));
    expect(await find('front:"*product road*"')).toEqual(cards(...all(n.roadmap)));
    await core.call('notes.delete', { ids: [n.roadmap.id] });
    expect(await find('front:*road*')).toEqual([]);
    // Non-ASCII text and a note added after the index was built.
    const cafe = await core.call('notes.create', { noteTypeId: 1, deckId: n.okr.cards[0]!.deckId, fields: ['Kaizen café', 'Small steps'], tags: [] });
    expect(await find('front:"*zen caf*"')).toEqual(cards(...cafe.note.cards));
    expect(await find('front:*café*')).toEqual(cards(...cafe.note.cards));
    // The index drives the search: a note missing from it is not read at all.
    core.ctx.db.prepare('DELETE FROM notes_text WHERE rowid = ?').run(cafe.note.id);
    expect(await find('front:*café*')).toEqual([]);
  });

    it('reads the cards before their notes when a condition leaves few cards', async () => {
    await collection();
    const ctx = {
      config: studyConfig(core.ctx.db).read().config,
      noteTypes: [],
      today: { start: 0, end: DAY, number: 0, learnCutoff: DAY },
      now: 0,
      wordsWaiting: false,
    };
    const cardsFirst = (text: string) => compileSearch(text, ctx).narrowsCards;
    for (const text of ['tag:pmp is:due', 'product is:learn', '-tag:csm added:30', 'front:*x* rated:7:1', 'tag:x flag:2', 'tag:x prop:due<=7', 'deck:Scrum tag:x']) {
      expect(cardsFirst(text), text).toBe(true);
    }
    for (const text of ['tag:pmp is:new', 'product', '-is:due tag:x', 'tag:x flag:0', 'tag:x prop:ivl>=10', '(is:due or tag:x)', 'deck:* tag:x']) {
      expect(cardsFirst(text), text).toBe(false);
    }
  });

  it('says what is wrong with a malformed search', async () => {
    await collection();
    const message = async (text: string) => {
      const err = await core.fail('browse.search', { text });
      expect(err.code).toBe('invalid_input');
      return err.message;
    };
    expect(await message('(sprint or okr')).toBe('Search: a "(" has no matching ")".');
    expect(await message('sprint)')).toBe('Search: a ")" has no matching "(".');
    expect(await message('"sprint review')).toBe('Search: a quote (") is not closed.');
    expect(await message('sprint or')).toMatch(/"or" must have something on both sides/);
    expect(await message('is:fun')).toMatch(/"is:fun" is not something Cadence can find; use is:due/);
    expect(await message('prop:ivl>>3')).toMatch(/should look like prop:ivl>=10/);
    expect(await message('prop:ease>2')).toMatch(/"prop:ease" is not a property/);
    expect(await message('rated:0')).toMatch(/rated: needs a number of days from 1/);
    expect(await message('flag:9')).toMatch(/flag: needs a number from 0/);
    expect(await message('tag:')).toMatch(/needs something after the colon/);
    expect(await message('re:sp.int')).toMatch(/not supported/);
  });
});
