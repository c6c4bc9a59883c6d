import { afterEach, describe, expect, it } from 'vitest';
import { renderCard } from '../../shared/cardRender';
import { clozeNumbers, parseCloze, renderCloze } from '../../shared/cloze';
import { makeNoteStore, plainText } from '../../electron/core/flashcards/notes';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const BASIC = 1;
const REVERSED = 2;
const CLOZE = 3;

function snapshot(c: TestCore) {
  const db = c.ctx.db;
  return {
    notes: db.prepare('SELECT * FROM notes ORDER BY id').all(),
    cards: db.prepare('SELECT * FROM cards ORDER BY id').all(),
  };
}

describe('cloze parsing', () => {
  it('finds each cloze number once, nested ones included', () => {
    expect(clozeNumbers('{{c2::Sprint}} has {{c1::five}} events; {{c2::again}}')).toEqual([1, 2]);
    expect(clozeNumbers('{{c1::the {{c3::Product Owner}} orders it}}')).toEqual([1, 3]);
    expect(clozeNumbers('no deletions here')).toEqual([]);
  });

  it('hides only the card’s own deletions and shows hints', () => {
    const text = 'The {{c1::Daily Scrum::event}} lasts {{c2::15 minutes}}.';
    expect(renderCloze(text, 1, 'question')).toBe('The <span class="cloze">[event]</span> lasts 15 minutes.');
    expect(renderCloze(text, 2, 'question')).toBe('The Daily Scrum lasts <span class="cloze">[...]</span>.');
    expect(renderCloze(text, 2, 'answer')).toBe('The Daily Scrum lasts <span class="cloze">15 minutes</span>.');
  });

  it('reports unclosed, empty and zero-numbered deletions', () => {
    expect(parseCloze('{{c1::open').errors[0]).toContain('not closed');
    expect(parseCloze('{{c1::  }}').errors[0]).toContain('nothing to hide');
    expect(parseCloze('{{c0::x}}').errors[0]).toContain('c0');
  });

  it('renders basic and reversed sides, the answer side repeating the question', () => {
    const type = { kind: 'reversed' as const, fields: ['Front', 'Back'], templates: [] };
    expect(renderCard(type, ['Q', 'A'], 0).question).toBe('Q');
    expect(renderCard(type, ['Q', 'A'], 1).question).toBe('A');
    expect(renderCard(type, ['Q', 'A'], 1).answer).toMatch(/^A[\s\S]*answer-divider[\s\S]*Q$/);
  });
});

describe('notes', () => {
  it('creates one card for basic, two for reversed and one per cloze number', async () => {
    core = await makeTestCore();
    const deck = await core.call('decks.create', { name: 'Scrum' });
    const basic = await core.call('notes.create', { noteTypeId: BASIC, deckId: deck.id, fields: ['What is a Sprint?', 'A fixed-length event'] });
    const reversed = await core.call('notes.create', { noteTypeId: REVERSED, deckId: deck.id, fields: ['PO', 'Product Owner'] });
    const cloze = await core.call('notes.create', {
      noteTypeId: CLOZE,
      deckId: deck.id,
      fields: ['{{c1::Sprint Planning}} starts the {{c2::Sprint}}; {{c1::it}} is time-boxed', ''],
      tags: ['scrum::events', 'Scrum::Events', 'exam'],
    });
    expect(basic.note.cards.map((c) => c.ord)).toEqual([0]);
    expect(reversed.note.cards.map((c) => c.ord)).toEqual([0, 1]);
    expect(cloze.note.cards.map((c) => c.ord)).toEqual([0, 1]);
    expect(cloze.note.tags).toEqual(['scrum::events', 'exam']);
    expect(core.ctx.db.prepare('SELECT tags FROM notes WHERE id = ?').get(cloze.note.id)).toEqual({ tags: ' scrum::events exam ' });
    expect(cloze.note.cards.every((c) => c.state === 'new' && c.deckId === deck.id)).toBe(true);
  });

  it('refuses invalid notes with a clear message and saves nothing', async () => {
    core = await makeTestCore();
    const deck = await core.call('decks.create', { name: 'D' });
    const before = snapshot(core);
    const cases: [unknown, string][] = [
      [{ noteTypeId: CLOZE, deckId: deck.id, fields: ['no deletion here', ''] }, 'at least one cloze deletion'],
      [{ noteTypeId: CLOZE, deckId: deck.id, fields: ['{{c1::unclosed', ''] }, 'not closed'],
      [{ noteTypeId: BASIC, deckId: deck.id, fields: ['   ', 'back'] }, 'Front field must not be empty'],
      [{ noteTypeId: REVERSED, deckId: deck.id, fields: ['front', ''] }, 'Back field must not be empty'],
      [{ noteTypeId: BASIC, deckId: 999, fields: ['q', 'a'] }, 'Deck 999 does not exist'],
      [{ noteTypeId: 77, deckId: deck.id, fields: ['q', 'a'] }, 'Note type 77 does not exist'],
      [{ noteTypeId: BASIC, deckId: deck.id, fields: ['q', 'a', 'extra'] }, 'has 2 fields'],
      [{ noteTypeId: BASIC, deckId: deck.id, fields: ['x'.repeat(100 * 1024 + 1), 'a'] }, '100 KB'],
      [{ noteTypeId: BASIC, deckId: deck.id, fields: ['q', 'a'], tags: ['two words'] }, 'must not contain spaces'],
      [{ noteTypeId: BASIC, deckId: deck.id, fields: ['q', 'a'], tags: ['a::::b'] }, 'empty level'],
    ];
    for (const [input, message] of cases) {
      const err = await core.fail('notes.create', input);
      expect(err.message).toContain(message);
      expect(['invalid_input', 'not_found']).toContain(err.code);
    }
    expect(snapshot(core)).toEqual(before);
  });

  it('warns about a duplicate first field in the same deck but saves the note', async () => {
    core = await makeTestCore();
    const a = await core.call('decks.create', { name: 'A' });
    const b = await core.call('decks.create', { name: 'B' });
    const first = await core.call('notes.create', { noteTypeId: BASIC, deckId: a.id, fields: ['What is a  <b>Sprint</b>?', 'x'] });
    const same = await core.call('notes.create', { noteTypeId: BASIC, deckId: a.id, fields: ['What is a Sprint?', 'y'] });
    const otherDeck = await core.call('notes.create', { noteTypeId: BASIC, deckId: b.id, fields: ['What is a Sprint?', 'z'] });
    expect(first.duplicateOf).toEqual([]);
    expect(same.duplicateOf).toEqual([first.note.id]);
    expect(otherDeck.duplicateOf).toEqual([]);
    expect((await core.call('notes.duplicates', { deckId: a.id, firstField: 'What is a Sprint?' })).noteIds).toEqual([first.note.id, same.note.id]);
  });

  it('updates fields, adding and removing cloze cards, and moves the note’s cards', async () => {
    core = await makeTestCore();
    const a = await core.call('decks.create', { name: 'A' });
    const b = await core.call('decks.create', { name: 'B' });
    const created = await core.call('notes.create', { noteTypeId: CLOZE, deckId: a.id, fields: ['{{c1::x}} and {{c2::y}}', ''] });
    const keep = created.note.cards[0]!.id;
    const updated = await core.call('notes.update', { id: created.note.id, fields: ['{{c1::x}} and {{c3::z}}', 'extra'], deckId: b.id });
    expect(updated.addedCards).toBe(1);
    expect(updated.removedCards).toBe(1);
    expect(updated.note.cards.map((c) => [c.ord, c.deckId])).toEqual([
      [0, b.id],
      [2, b.id],
    ]);
    expect(updated.note.cards[0]!.id).toBe(keep);
    const before = snapshot(core);
    const err = await core.fail('notes.update', { id: created.note.id, fields: ['no cloze left', ''] });
    expect(err.message).toContain('cloze');
    expect(snapshot(core)).toEqual(before);
  });

  it('deletes notes with their cards, and tags many notes at once', async () => {
    core = await makeTestCore();
    const d = await core.call('decks.create', { name: 'D' });
    const n1 = await core.call('notes.create', { noteTypeId: REVERSED, deckId: d.id, fields: ['a', 'b'], tags: ['old'] });
    const n2 = await core.call('notes.create', { noteTypeId: BASIC, deckId: d.id, fields: ['c', 'd'] });
    expect(await core.call('notes.tag', { ids: [n1.note.id, n2.note.id], add: ['pm::okr'], remove: ['OLD'] })).toEqual({ changed: 2 });
    expect((await core.call('notes.get', { id: n1.note.id })).tags).toEqual(['pm::okr']);
    expect((await core.call('tags.list')).tags).toEqual([{ name: 'pm::okr', notes: 2 }]);
    expect(await core.call('notes.delete', { ids: [n1.note.id] })).toEqual({ notes: 1, cards: 2 });
    expect((await core.fail('notes.get', { id: n1.note.id })).code).toBe('not_found');
    expect(core.ctx.db.prepare('SELECT count(*) AS n FROM cards').get()).toEqual({ n: 1 });
  });

  it('is reusable by importers: createNote with a guid, refused when the guid is taken', async () => {
    core = await makeTestCore();
    const deckId = (await core.call('decks.create', { name: 'Imported' })).id;
    const store = makeNoteStore(core.ctx.db);
    const saved = store.createNote({ noteTypeId: BASIC, deckId, fields: ['<i>q</i>', 'a'], tags: ['imported'], guid: 'abc123' }, 1000);
    expect(saved.note.guid).toBe('abc123');
    expect(() => store.createNote({ noteTypeId: BASIC, deckId, fields: ['q2', 'a'], guid: 'abc123' }, 1000)).toThrow(/already exists/);
    // Inside an importer's own transaction a failure rolls back the whole file.
    const importFile = core.ctx.db.transaction(() => {
      store.createNote({ noteTypeId: BASIC, deckId, fields: ['fine', 'a'] }, 1000);
      store.createNote({ noteTypeId: CLOZE, deckId, fields: ['broken', ''] }, 1000);
    });
    expect(() => importFile()).toThrow(/cloze/);
    expect(core.ctx.db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 1 });
  });
});

describe('the sort field (plain text of the first field)', () => {
  it('drops markup, decodes entities and tidies spacing, for plain and marked-up text alike', () => {
    const cases: [string, string][] = [
      ['plain words', 'plain words'],
      ['  padded  and\tspaced\n', 'padded and spaced'],
      ['no\u00a0break space', 'no break space'],
      ['<b>Scrum</b> Master', 'Scrum Master'],
      ['line<br>break<div>block</div>', 'line break block'],
      ['Fish &amp; chips &lt;3 &nbsp;x', 'Fish & chips <3 x'],
    ];
    expect(cases.map(([input]) => plainText(input))).toEqual(cases.map(([, out]) => out));
    expect(plainText('The {{c1::Sprint Goal}} is set', true)).toBe('The Sprint Goal is set');
  });
});
