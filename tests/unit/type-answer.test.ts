// Type-in-the-answer cards: the stock note type asks for the back typed in, and what was typed is
// compared with it character by character.
import { afterEach, describe, expect, it } from 'vitest';
import { compareTyped, typedField } from '../../shared/typeAnswer';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

describe('type in the answer', () => {
  it('finds the typed field in a front template', () => {
    expect(typedField('{{Front}}\n\n{{type:Back}}')).toBe('Back');
    expect(typedField('{{ type: Answer }}')).toBe('Answer');
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
});
