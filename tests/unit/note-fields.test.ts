// A note's field problems, one sentence per field, as the editor shows them beside each field and the
// note store refuses with (the store's side is covered in flashcards-notes.test.ts).
import { describe, expect, it } from 'vitest';
import { noteFieldProblems } from '../../shared/noteFields';

const basic = { kind: 'basic' as const, fields: ['Front', 'Back'] };
const reversed = { kind: 'reversed' as const, fields: ['Front', 'Back'] };
const cloze = { kind: 'cloze' as const, fields: ['Text', 'Back Extra'] };

describe('note field problems', () => {
  it('names each field that must be fixed, by its index', () => {
    expect(noteFieldProblems(basic, ['  ', ''])).toEqual(new Map([[0, 'The Front field must not be empty.']]));
    expect(noteFieldProblems(reversed, ['', ''])).toEqual(
      new Map([
        [0, 'The Front field must not be empty.'],
        [1, 'The Back field must not be empty.'],
      ]),
    );
    expect(noteFieldProblems(cloze, ['The Scrum Master serves the team', ''])).toEqual(
      new Map([[0, 'A cloze note needs at least one cloze deletion in the Text field, like {{c1::answer}}.']]),
    );
    expect(noteFieldProblems(cloze, ['The {{c1::Scrum Master', '']).get(0)).toMatch(/^The Text field has a broken cloze: /);
  });

  it('puts a field too large before everything else, and finds nothing in a note that can be saved', () => {
    const problems = noteFieldProblems(reversed, ['', 'x'.repeat(100 * 1024 + 1)]);
    expect([...problems.keys()]).toEqual([1, 0]);
    expect(problems.get(1)).toBe('The Back field is larger than 100 KB. Shorten it or split it into several notes.');
    expect(noteFieldProblems(basic, ['What is a Sprint?', '']).size).toBe(0);
    expect(noteFieldProblems(cloze, ['The {{c1::Scrum Master}} serves the team', '']).size).toBe(0);
  });
});
