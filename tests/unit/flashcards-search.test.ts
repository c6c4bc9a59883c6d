// Text search in the card browser: totals count cards (a reversed note has two, a cloze note one per
// deletion), pages follow each sort order without gaps or repeats, and the other filters combine with text.
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowseRow } from '../../shared/contract/flashcards';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const MINUTE = 60_000;

async function collection() {
  core = await makeTestCore();
  const scrum = await core.call('decks.create', { name: 'Scrum' });
  const events = await core.call('decks.create', { name: 'Events', parentId: scrum.id });
  const pm = await core.call('decks.create', { name: 'PM' });
  const add = async (noteTypeId: number, deckId: number, fields: string[], tags: string[] = []) => {
    core.clock.advance(MINUTE);
    return (await core.call('notes.create', { noteTypeId, deckId, fields, tags })).note;
  };
  const notes = [
    await add(1, events.id, ['What is the Sprint Review for?', 'Inspecting the increment'], ['scrum::events']),
    await add(2, scrum.id, ['Sprint length', 'One month or less'], ['scrum']),
    await add(3, events.id, ['The {{c1::Sprint}} contains the {{c2::Daily Scrum}} and the {{c3::Retrospective}}', ''], ['scrum::events']),
    await add(1, pm.id, ['What is a roadmap?', 'A plan of outcomes over time, not a sprint list'], ['pm']),
    await add(1, pm.id, ['What is an OKR?', 'Objectives and key results'], ['pm']),
    await add(2, scrum.id, ['Sprint Goal', 'The single objective of the Sprint'], ['scrum', 'leech']),
  ];
  return { scrum, events, pm, notes };
}

async function all(query: Record<string, unknown>): Promise<{ total: number; rows: BrowseRow[] }> {
  return core.call('browse.search', { ...query, limit: 1000 });
}

/** Every page of `size` rows, concatenated. */
async function paged(query: Record<string, unknown>, size: number): Promise<BrowseRow[]> {
  const rows: BrowseRow[] = [];
  for (let offset = 0; ; offset += size) {
    const page = await core.call('browse.search', { ...query, limit: size, offset });
    rows.push(...page.rows);
    if (page.rows.length < size) return rows;
  }
}

describe('browse text search', () => {
  it('counts every card of the matching notes and pages through them in each order', async () => {
    const { notes } = await collection();
    // "sprint" is on five notes: 1 + 2 (reversed) + 3 (cloze) + 1 + 2 (reversed) cards.
    const sprintNotes = [notes[0]!, notes[1]!, notes[2]!, notes[3]!, notes[5]!];
    const sprintCards = sprintNotes.flatMap((n) => n.cards.map((c) => c.id)).sort((a, b) => a - b);
    const found = await all({ text: 'sprint' });
    expect(found.total).toBe(9);
    expect(found.rows.map((r) => r.cardId).sort((a, b) => a - b)).toEqual(sprintCards);

    // Study some of them so the due order differs from the creation order.
    await core.call('study.answer', { cardId: notes[5]!.cards[1]!.id, rating: 4, durationMs: 1000 });
    await core.call('study.answer', { cardId: notes[2]!.cards[0]!.id, rating: 1, durationMs: 1000 });
    await core.call('cards.suspend', { cardIds: [notes[1]!.cards[0]!.id] });

    for (const sort of ['created', 'due', 'lapses'] as const) {
      for (const descending of [false, true]) {
        const query = { text: 'sprint', sort, descending };
        const whole = await all(query);
        expect(whole.total).toBe(9);
        expect((await paged(query, 2)).map((r) => r.cardId)).toEqual(whole.rows.map((r) => r.cardId));
      }
    }
    const byCreation = (await all({ text: 'sprint', sort: 'created' })).rows;
    const expected = [...byCreation].sort((a, b) => a.createdAt - b.createdAt || a.cardId - b.cardId);
    expect(byCreation.map((r) => r.cardId)).toEqual(expected.map((r) => r.cardId));
    const byDue = (await all({ text: 'sprint', sort: 'due' })).rows;
    // Scheduled cards by due (the learning card soonest), then new cards in the order they come.
    expect(byDue.slice(0, 2).map((r) => r.cardId)).toEqual([notes[2]!.cards[0]!.id, notes[5]!.cards[1]!.id]);
    expect(byDue.slice(2).every((r) => r.state === 'new')).toBe(true);
  });

  it('combines text with tag, leech, deck and state filters; each row carries its note', async () => {
    const { scrum, events, pm, notes } = await collection();
    const cardsOf = (...ns: typeof notes) => ns.flatMap((n) => n.cards.map((c) => c.id)).sort((a, b) => a - b);
    const ids = (r: { rows: BrowseRow[] }) => r.rows.map((x) => x.cardId).sort((a, b) => a - b);

    const tagged = await all({ text: 'sprint', tag: 'scrum::events' });
    expect(tagged.total).toBe(4);
    expect(ids(tagged)).toEqual(cardsOf(notes[0]!, notes[2]!));

    const leech = await all({ text: 'objective', state: 'leech' });
    expect(leech.total).toBe(2);
    expect(ids(leech)).toEqual(cardsOf(notes[5]!));

    const inScrum = await all({ text: 'sprint', deckId: scrum.id });
    expect(inScrum.total).toBe(8);
    const inEvents = await all({ text: 'sprint', deckId: events.id });
    expect(ids(inEvents)).toEqual(cardsOf(notes[0]!, notes[2]!));
    expect((await all({ text: 'sprint', deckId: pm.id })).total).toBe(1);

    await core.call('cards.suspend', { cardIds: [notes[2]!.cards[1]!.id] });
    const suspended = await all({ text: 'daily', state: 'suspended' });
    expect(suspended.total).toBe(1);
    expect(suspended.rows[0]).toMatchObject({
      cardId: notes[2]!.cards[1]!.id,
      noteId: notes[2]!.id,
      deckPath: 'Scrum::Events',
      noteTypeId: 3,
      ord: 1,
      sortField: 'The Sprint contains the Daily Scrum and the Retrospective',
      tags: ['scrum::events'],
      suspended: true,
    });

    expect(await all({ text: 'nowhere' })).toEqual({ total: 0, rows: [] });
    expect((await core.call('browse.search', { text: 'sprint', limit: 3, offset: 8 })).rows).toHaveLength(1);
  });
});
