// Type-in-the-answer cards: the stock note type asks for the back typed in, and what was typed is
// compared with it character by character.
import { afterEach, describe, expect, it } from 'vitest';
import { compareTyped, typedField } from '../../shared/typeAnswer';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

describe('type in the answer', () => {
  it('finds the typed field in a front template', () => {
    expect(typedField('{{Front}}\n\n{{type:Back}}')).toEqual({ name: 'Back', cloze: false });
    expect(typedField('{{ type: Answer }}')).toEqual({ name: 'Answer', cloze: false });
    expect(typedField('{{cloze:Text}}\n{{type:cloze:Text}}')).toEqual({ name: 'Text', cloze: true });
    expect(typedField('{{Front}}')).toBeNull();
  });

  it('compares what was typed with the answer: right, wrong and missing characters', () => {
    expect(compareTyped('Product Owner', 'Product Owner')).toEqual({ exact: true, parts: [{ kind: 'good', text: 'Product Owner' }] });
    expect(compareTyped('  Product   Owner ', 'Product Owner').exact).toBe(true);
    expect(compareTyped('Prodcut Owner', 'Product Owner')).toEqual({
      exact: false,
      parts: [
        { kind: 'good', text: 'Prod' },
        { kind: 'missing', text: 'u' },
        { kind: 'good', text: 'c' },
        { kind: 'bad', text: 'u' },
        { kind: 'good', text: 't Owner' },
      ],
    });
    // Case counts, as in Anki.
    expect(compareTyped('scrum', 'Scrum').exact).toBe(false);
    expect(compareTyped('', 'Scrum').parts).toEqual([{ kind: 'missing', text: 'Scrum' }]);
  });

  it('is a stock note type whose cards carry the answer to type as plain text', async () => {
    core = await makeTestCore();
    const types = (await core.call('noteTypes.list')).noteTypes;
    const typeIn = types.find((t) => t.name === 'Basic (type in the answer)')!;
    expect(typeIn).toMatchObject({ kind: 'custom', fields: ['Front', 'Back'] });
    const deck = await core.call('decks.create', { name: 'Roles' });
    await core.call('notes.create', { noteTypeId: typeIn.id, deckId: deck.id, fields: ['Who orders the backlog?', 'The <b>Product Owner</b>'] });
    await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Plain', 'card'] });
    const seen = new Map<string, string | null>();
    let next = await core.call('study.next', { deckId: deck.id });
    while (next.card) {
      seen.set(next.card.question, next.card.typeAnswer);
      next = (await core.call('study.answer', { cardId: next.card.id, rating: 4, durationMs: 1000, deckId: next.card.deckId })).next!;
    }
    expect(seen.get('Who orders the backlog?\n\n')).toBe('The Product Owner');
    expect(seen.get('Plain')).toBeNull();
  });

  it('is a stock cloze note type whose cards each carry their own cloze answers to type', async () => {
    core = await makeTestCore();
    const types = (await core.call('noteTypes.list')).noteTypes;
    const typeIn = types.find((t) => t.name === 'Cloze (type in the answer)')!;
    expect(typeIn).toMatchObject({ kind: 'custom', fields: ['Text', 'Back Extra'] });
    const deck = await core.call('decks.create', { name: 'Accountabilities' });
    const saved = await core.call('notes.create', {
      noteTypeId: typeIn.id,
      deckId: deck.id,
      fields: ['The {{c1::Product Owner}} orders the {{c2::Product <b>Backlog</b>}}; the {{c1::Developers}} build it', 'Scrum Guide 2020'],
    });
    expect(saved.note.cards.map((c) => c.ord)).toEqual([0, 1]);
    const asked = new Map<number, string | null>();
    for (const c of saved.note.cards) asked.set(c.ord, (await core.call('study.next', { deckId: deck.id, cardId: c.id })).card!.typeAnswer);
    // Card 1 asks for both of its deletions, card 2 for its one, as plain text.
    expect(asked.get(0)).toBe('Product Owner, Developers');
    expect(asked.get(1)).toBe('Product Backlog');
    const card = (await core.call('study.next', { deckId: deck.id, cardId: saved.note.cards[1]!.id })).card!;
    expect(card.question).toContain('<span class="cloze">[...]</span>');
    expect(card.question).toContain('Product Owner');
    expect(card.answer).toContain('<div class="typed-answer">Product <b>Backlog</b></div>');
    expect(card.answer).toContain('Scrum Guide 2020');
  });
});
