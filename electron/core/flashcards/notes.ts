// The note model: a note holds fields and tags, its cards follow from its note type (basic 1, reversed 2,
// cloze one per cloze number, custom one per template). Every write is one transaction, validated first,
// so a rejected note leaves nothing behind. Importers use this store too: call createNote per note
// (inside your own db.transaction for a whole file; better-sqlite3 nests it as a savepoint).
import { cardOrdinals } from '../../../shared/cardRender';
import { clozeAnswersText } from '../../../shared/cloze';
import type { Note, NoteType } from '../../../shared/contract/flashcards';
import { AppError } from '../../../shared/errors';
import { noteFieldProblems } from '../../../shared/noteFields';
import type { NoteFormat } from '../../../shared/noteFormat';
import type { Db } from '../context';
import { newGuid } from './guid';
import { sortFieldHash } from './sortFieldHash';
import { makeNoteTypeStore } from './noteTypes';
import { stateName } from './cardState';
import { editTags, joinTags, normalizeTags, splitTags } from './tags';

export interface NewNote {
  noteTypeId: number;
  deckId: number;
  /** Field values in the note type's order (Markdown, or HTML from imports). */
  fields: string[];
  tags?: readonly string[];
  /** Identity across exports and re-imports; a random one is made when absent. Must be unused. */
  guid?: string;
  /** How the fields are written; Markdown unless said otherwise. */
  format?: NoteFormat;
}

export interface NoteChange {
  fields?: string[];
  tags?: readonly string[];
  /** Moves all the note's cards to this deck. */
  deckId?: number;
  /** How the new fields are written (a CSV import writes HTML); unchanged when absent. */
  format?: NoteFormat;
}

export interface SavedNote {
  note: Note;
  /** Other notes with cards in the same deck and the same first field (a warning; the note was saved). */
  duplicateOf: number[];
  addedCards: number;
  removedCards: number;
}

interface NoteRow {
  id: number;
  guid: string;
  note_type_id: number;
  fields: string;
  format: NoteFormat;
  tags: string;
  created_at: number;
  updated_at: number;
}

interface NoteCardRow {
  id: number;
  ord: number;
  deck_id: number;
  state: number;
  due: number;
  suspended: number;
}

/** A field as plain text: HTML tags and cloze markup removed, entities decoded, spaces collapsed. */
export function plainText(value: string, cloze = false): string {
  const text = cloze ? clozeAnswersText(value) : value;
  // Most fields hold no markup or entities: then only the spacing may need tidying (imports call this
  // once per row, so the shortcut pays).
  if (!text.includes('<') && !text.includes('&')) return (/[^\S ]| {2}/.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
  return text
    // Line and block breaks separate words; inline tags (<b>, <span>) sit inside them.
    .replace(/<(?:br|hr|\/?(?:p|div|li|ul|ol|tr|td|th|h[1-6]|blockquote))\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/gi, "'")
    .replace(/&amp;/gi, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function makeNoteStore(db: Db) {
  const noteTypes = makeNoteTypeStore(db);
  const deckExists = db.prepare<[number], { id: number }>('SELECT id FROM decks WHERE id = ?');
  const guidTaken = db.prepare<[string], { id: number }>('SELECT id FROM notes WHERE guid = ?');
  const insertNote = db.prepare(
    'INSERT INTO notes (guid, note_type_id, fields, format, sort_field, sort_field_hash, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const updateNoteRow = db.prepare('UPDATE notes SET fields = ?, format = ?, sort_field = ?, sort_field_hash = ?, tags = ?, updated_at = ? WHERE id = ?');
  const nextPosition = db.prepare<[], { pos: number }>('SELECT ifnull(max(new_position), 0) + 1 AS pos FROM cards');
  const insertCard = db.prepare(
    'INSERT INTO cards (note_id, deck_id, ord, due, new_position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const deleteCard = db.prepare('DELETE FROM cards WHERE id = ?');
  const moveNoteCards = db.prepare('UPDATE cards SET deck_id = ?, updated_at = ? WHERE note_id = ? AND deck_id <> ?');
  const selectNote = db.prepare<[number], NoteRow>(
    'SELECT id, guid, note_type_id, fields, format, tags, created_at, updated_at FROM notes WHERE id = ?',
  );
  const selectNotesOfType = db.prepare<[number], { id: number; fields: string }>('SELECT id, fields FROM notes WHERE note_type_id = ? ORDER BY id');
  const selectCards = db.prepare<[number], NoteCardRow>(
    'SELECT id, ord, deck_id, state, due, suspended FROM cards WHERE note_id = ? ORDER BY ord',
  );
  const selectDuplicates = db.prepare<[number, string, number, number], number>(
    `SELECT DISTINCT n.id FROM notes n JOIN cards c ON c.note_id = n.id
      WHERE n.sort_field_hash = ? AND n.sort_field = ? AND c.deck_id = ? AND n.id <> ? ORDER BY n.id`,
  ).pluck();
  /** Other notes with cards in the deck whose sort field reads `sort` (`hash` is its sortFieldHash). */
  const duplicatesOf = (sort: string, hash: number, deckId: number, excludeNoteId: number): number[] =>
    sort === '' ? [] : selectDuplicates.all(hash, sort, deckId, excludeNoteId);
  const countCards = db.prepare<[string], { notes: number; cards: number }>(
    `SELECT count(DISTINCT note_id) AS notes, count(*) AS cards FROM cards WHERE note_id IN (SELECT value FROM json_each(?))`,
  );
  const deleteNotesIn = db.prepare<[string]>('DELETE FROM notes WHERE id IN (SELECT value FROM json_each(?))');
  const countNotesIn = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM notes WHERE id IN (SELECT value FROM json_each(?))');
  const selectTagsIn = db.prepare<[string], { id: number; tags: string }>(
    'SELECT id, tags FROM notes WHERE id IN (SELECT value FROM json_each(?))',
  );
  const updateTags = db.prepare('UPDATE notes SET tags = ?, updated_at = ? WHERE id = ?');

  function requireDeck(deckId: number): void {
    if (!deckExists.get(deckId)) {
      throw new AppError('not_found', `Deck ${deckId} does not exist (it may have been deleted). Choose another deck.`);
    }
  }

  /** Checks fields against the note type; returns the card ordinals the note should have. */
  function validateFields(type: NoteType, fields: string[]): number[] {
    if (fields.length !== type.fields.length) {
      throw new AppError(
        'invalid_input',
        `A "${type.name}" note has ${type.fields.length} fields (${type.fields.join(', ')}), but ${fields.length} were given.`,
      );
    }
    // The same sentences the editor shows beside each field.
    const [problem] = noteFieldProblems(type, fields).values();
    if (problem) throw new AppError('invalid_input', problem);
    const ords = cardOrdinals(type, fields);
    if (ords.length === 0) throw new AppError('invalid_input', `The note type "${type.name}" has no card templates, so the note would have no cards.`);
    return ords;
  }

  function sortField(type: NoteType, fields: string[]): string {
    return plainText(fields[0] ?? '', type.kind === 'cloze');
  }

  function getNote(id: number): Note {
    const row = selectNote.get(id);
    if (!row) throw new AppError('not_found', 'That note no longer exists. It may have been deleted.');
    const cards = selectCards.all(id);
    return {
      id: row.id,
      guid: row.guid,
      noteTypeId: row.note_type_id,
      fields: JSON.parse(row.fields) as string[],
      format: row.format,
      tags: splitTags(row.tags),
      deckId: cards[0]?.deck_id ?? 0,
      cards: cards.map((c) => ({ id: c.id, ord: c.ord, deckId: c.deck_id, state: stateName(c.state), due: c.due, suspended: c.suspended === 1 })),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /**
   * Notes with cards in `deckId` whose first field reads the same as `firstField` (as plain text, cloze
   * markup read as its answers, the way cloze notes store it).
   */
  function findDuplicates(deckId: number, firstField: string, excludeNoteId = 0): number[] {
    const sort = plainText(firstField, true);
    return duplicatesOf(sort, sortFieldHash(sort), deckId, excludeNoteId);
  }

  function addCards(noteId: number, deckId: number, ords: number[], now: number): void {
    if (ords.length === 0) return;
    // All cards of a note share one position, so siblings are introduced together, in ord order.
    const pos = nextPosition.get()!.pos;
    for (const ord of ords) insertCard.run(noteId, deckId, ord, now, pos, now, now);
  }

  const createNote = db.transaction((input: NewNote, now: number): SavedNote => {
    const type = noteTypes.get(input.noteTypeId);
    requireDeck(input.deckId);
    const ords = validateFields(type, input.fields);
    const tags = normalizeTags(input.tags ?? []);
    let guid = input.guid;
    if (guid !== undefined) {
      guid = guid.trim();
      if (guid === '' || guid.length > 200) throw new AppError('invalid_input', 'A note id (guid) must be 1 to 200 characters.');
      if (guidTaken.get(guid)) throw new AppError('conflict', `A note with the id "${guid}" already exists.`);
    } else {
      guid = newGuid();
    }
    const sort = sortField(type, input.fields);
    const hash = sortFieldHash(sort);
    const noteId = Number(insertNote.run(guid, type.id, JSON.stringify(input.fields), input.format ?? 'markdown', sort, hash, joinTags(tags), now, now).lastInsertRowid);
    addCards(noteId, input.deckId, ords, now);
    return {
      note: getNote(noteId),
      duplicateOf: duplicatesOf(sort, hash, input.deckId, noteId),
      addedCards: ords.length,
      removedCards: 0,
    };
  });

  const updateNote = db.transaction((id: number, change: NoteChange, now: number): SavedNote => {
    const row = selectNote.get(id);
    if (!row) throw new AppError('not_found', 'That note no longer exists. It may have been deleted.');
    const type = noteTypes.get(row.note_type_id);
    const fields = change.fields ?? (JSON.parse(row.fields) as string[]);
    const ords = validateFields(type, fields);
    const tags = change.tags ? normalizeTags(change.tags) : splitTags(row.tags);
    const cards = selectCards.all(id);
    const deckId = change.deckId ?? cards[0]?.deck_id;
    if (deckId === undefined) throw new AppError('invalid_input', 'Choose a deck for this note.');
    requireDeck(deckId);

    // Cards follow the fields: a new cloze number adds a card, a removed one takes its card away.
    const have = new Set(cards.map((c) => c.ord));
    const want = new Set(ords);
    const removed = cards.filter((c) => !want.has(c.ord));
    for (const c of removed) deleteCard.run(c.id);
    addCards(id, deckId, ords.filter((o) => !have.has(o)), now);
    if (change.deckId !== undefined) moveNoteCards.run(deckId, now, id, deckId);

    const sort = sortField(type, fields);
    const hash = sortFieldHash(sort);
    updateNoteRow.run(JSON.stringify(fields), change.format ?? row.format, sort, hash, joinTags(tags), now, id);
    return {
      note: getNote(id),
      duplicateOf: duplicatesOf(sort, hash, deckId, id),
      addedCards: ords.filter((o) => !have.has(o)).length,
      removedCards: removed.length,
    };
  });

  /**
   * Gives the notes of a note type the cards its design now asks for and they lack: its card templates
   * changed on another computer and came by sync, and the notes already here must get the new cards
   * as they did there (same ordinals, so reviews made elsewhere find them). Each new card goes in the
   * deck of the note's first card; never a card removed, never one made twice. Returns how many.
   */
  const addMissingCards = db.transaction((noteTypeId: number, now: number): number => {
    const type = noteTypes.reload(noteTypeId);
    let added = 0;
    for (const note of selectNotesOfType.all(noteTypeId)) {
      const cards = selectCards.all(note.id);
      if (cards.length === 0) continue;
      const have = new Set(cards.map((c) => c.ord));
      const missing = cardOrdinals(type, JSON.parse(note.fields) as string[]).filter((o) => !have.has(o));
      addCards(note.id, cards[0]!.deck_id, missing, now);
      added += missing.length;
    }
    return added;
  });

  /** Deletes notes with their cards and review history. Ids that no longer exist are skipped. */
  const deleteNotes = db.transaction((ids: readonly number[]): { notes: number; cards: number } => {
    const json = JSON.stringify(ids);
    const notes = countNotesIn.get(json)!.n;
    if (notes === 0) throw new AppError('not_found', 'None of those notes exist any more.');
    const { cards } = countCards.get(json)!;
    deleteNotesIn.run(json);
    return { notes, cards };
  });

  /** Adds and removes tags on many notes; returns how many notes changed. */
  const tagNotes = db.transaction((ids: readonly number[], add: readonly string[], remove: readonly string[], now: number): number => {
    const addList = normalizeTags(add);
    const removeList = normalizeTags(remove);
    let changed = 0;
    for (const row of selectTagsIn.all(JSON.stringify(ids))) {
      const stored = joinTags(editTags(splitTags(row.tags), addList, removeList));
      if (stored !== row.tags) {
        updateTags.run(stored, now, row.id);
        changed++;
      }
    }
    return changed;
  });

  return { createNote, updateNote, deleteNotes, tagNotes, addMissingCards, getNote, findDuplicates, noteTypes };
}
export type NoteStore = ReturnType<typeof makeNoteStore>;
