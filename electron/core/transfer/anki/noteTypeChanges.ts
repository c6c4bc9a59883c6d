// What to do with a note already here (same GUID) whose note type in the file is not the one it has
// here: the deck's author changed the design since the last import. Anki's current importer updates
// the note type when its shape is unchanged (same fields and card templates; only templates or CSS
// differ) and keeps the notes with their cards and history; a changed shape cannot update in place.
// Cadence does the same: a compatible change moves the notes to the new design (their cards keep their
// ordinals, so schedules and history stay); an incompatible one is asked about, never skipped silently.
import type { NoteType } from '../../../../shared/contract/flashcards';
import { AppError } from '../../../../shared/errors';
import type { AnkiNoteType } from './model';

/** What the user chose for notes whose note type changed shape: ask first, move them, or keep them. */
export type NoteTypeChangeChoice = 'ask' | 'newType' | 'skip';

/** Names of a Cadence note type's cards, in ordinal order (Anki's names for the built-in designs). */
export function templateNames(type: NoteType): string[] {
  switch (type.kind) {
    case 'basic':
      return ['Card 1'];
    case 'reversed':
      return ['Card 1', 'Card 2'];
    case 'cloze':
      return ['Cloze'];
    case 'custom':
      return type.templates.map((t) => t.name);
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Whether notes of `here` can take `incoming`'s design as they are: the same fields in the same order,
 * and the same cards (by name for designs imported before; by count for the built-in ones, whose card
 * names depend on the language Anki ran in), cloze or not alike.
 */
export function isCompatible(here: NoteType, incoming: AnkiNoteType): boolean {
  if ((here.kind === 'cloze') !== incoming.cloze && here.kind !== 'custom') return false;
  if (!sameList(here.fields, incoming.fields)) return false;
  const names = incoming.templates.map((t) => t.name);
  return here.kind === 'custom' ? sameList(templateNames(here), names) : templateNames(here).length === names.length;
}

/**
 * New ordinals for a note's cards when it moves from `from` to a design with cards `toNames`: by card
 * name, else the same ordinal when the new design has it and nothing else took it. null: no place for
 * the card (it goes, with its history).
 */
export function mapOrdinals(fromNames: readonly string[], toNames: readonly string[], ords: readonly number[]): Map<number, number | null> {
  const out = new Map<number, number | null>();
  const taken = new Set<number>();
  for (const ord of ords) {
    const byName = toNames.indexOf(fromNames[ord] ?? '\u0000');
    if (byName >= 0 && !taken.has(byName)) {
      out.set(ord, byName);
      taken.add(byName);
    }
  }
  for (const ord of ords) {
    if (out.has(ord)) continue;
    const same = ord < toNames.length && !taken.has(ord) ? ord : null;
    out.set(ord, same);
    if (same !== null) taken.add(same);
  }
  return out;
}

export interface ShapeChange {
  /** The note type's name in the file. */
  name: string;
  /** Notes here that have it. */
  notes: number;
  fieldsHere: string[];
  fieldsInFile: string[];
}

/** The question asked when notes' note types changed shape: names them, says what changed and what each answer does. */
export function askAboutShapeChanges(changes: ShapeChange[]): AppError {
  const parts = changes.slice(0, 3).map(
    (c) =>
      `"${c.name.slice(0, 60)}" (${c.notes} note${c.notes === 1 ? '' : 's'} here): its fields were ${c.fieldsHere.join(', ')} and are now ${c.fieldsInFile.join(', ')}`,
  );
  const more = changes.length > 3 ? `, and ${changes.length - 3} more` : '';
  return new AppError(
    'conflict',
    `The deck changed the design of ${changes.length === 1 ? 'a note type' : `${changes.length} note types`} in a way your notes cannot follow as they are: ${parts.join('; ')}${more}. ` +
      'Import them as a new note type (your notes move to the new design, keeping their cards and review history where the card still exists), or skip them (your notes stay as they are; new notes from the file are still added). Nothing was imported yet.',
  );
}
