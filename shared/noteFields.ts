// What a note's fields must hold to be saved, as one sentence per field: none larger than 100 KB, the
// fields a card's question is made from not empty, and a cloze note's text holding at least one
// well-formed deletion. The note store refuses a note with the first of these sentences; the editor
// shows each beside its field before anything is sent.
import { parseCloze } from './cloze';
import { FIELD_MAX_BYTES, utf8Length, type NoteType } from './contract/flashcards';

/** Which fields must not be empty: the ones a card's question is made from. */
function requiredFields(kind: NoteType['kind']): number[] {
  switch (kind) {
    case 'basic':
    case 'cloze':
    case 'custom':
      return [0];
    case 'reversed':
      return [0, 1];
  }
}

/** Each refused field's sentence by the field's index (sizes first, then empty fields, then cloze); empty when the note can be saved. */
export function noteFieldProblems(type: Pick<NoteType, 'kind' | 'fields'>, fields: readonly string[]): Map<number, string> {
  const problems = new Map<number, string>();
  fields.forEach((value, i) => {
    if (utf8Length(value) > FIELD_MAX_BYTES) problems.set(i, `The ${type.fields[i]} field is larger than 100 KB. Shorten it or split it into several notes.`);
  });
  for (const i of requiredFields(type.kind)) {
    if (!problems.has(i) && (fields[i] ?? '').trim() === '') problems.set(i, `The ${type.fields[i]} field must not be empty.`);
  }
  if (type.kind === 'cloze' && !problems.has(0)) {
    const parsed = parseCloze(fields[0] ?? '');
    if (parsed.errors.length) problems.set(0, `The ${type.fields[0]} field has a broken cloze: ${parsed.errors.join(' ')}`);
    else if (parsed.numbers.length === 0) problems.set(0, `A cloze note needs at least one cloze deletion in the ${type.fields[0]} field, like {{c1::answer}}.`);
  }
  return problems;
}
