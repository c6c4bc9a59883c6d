// What a deck export contains: the cards in a deck and its subdecks, their notes and note types, and
// (for Anki packages with scheduling) their review history. Read once, shared by the exporters.
import type { SchedulingRow } from '../../flashcards/scheduler';
import type { NoteType } from '../../../../shared/contract/flashcards';
import type { CoreContext } from '../../context';
import { makeDeckStore } from '../../flashcards/decks';
import { makeNoteTypeStore } from '../../flashcards/noteTypes';

export interface ExportNote {
  id: number;
  guid: string;
  note_type_id: number;
  fields: string;
  sort_field: string;
  tags: string;
  /** Where the note's facts come from ('' when not given); exporters carry it with the note. */
  source: string;
  created_at: number;
  updated_at: number;
}

/** A card row as stored: its scheduling columns plus where it belongs. */
export interface ExportCard extends SchedulingRow {
  id: number;
  note_id: number;
  deck_id: number;
  ord: number;
  new_position: number;
  suspended: number;
  buried_day: number | null;
  created_at: number;
  updated_at: number;
}

export interface ExportReview {
  id: number;
  card_id: number;
  reviewed_at: number;
  rating: number;
  duration_ms: number;
  state_before: number;
  due_before: number;
  scheduled_days_before: number;
  last_review_before: number | null;
  state_after: number;
  due_after: number;
  difficulty_after: number;
  scheduled_days_after: number;
}

export interface DeckContent {
  /** Path of the deck exported, for the file name. */
  rootPath: string;
  /** Path of every deck in the subtree, by id. */
  deckPaths: Map<number, string>;
  notes: ExportNote[];
  cards: ExportCard[];
  noteTypes: Map<number, NoteType>;
  /** Description of every deck in the subtree that has one (a starter deck's carries its licence). */
  descriptions: Map<number, string>;
}

export function makeDeckContentReader(ctx: CoreContext) {
  const decks = makeDeckStore(ctx.db);
  const noteTypes = makeNoteTypeStore(ctx.db);
  const selectCards = ctx.db.prepare<[string], ExportCard>(
    'SELECT * FROM cards WHERE deck_id IN (SELECT value FROM json_each(?)) ORDER BY note_id, ord',
  );
  const selectNotes = ctx.db.prepare<[string], ExportNote>(
    `SELECT id, guid, note_type_id, fields, sort_field, tags, source, created_at, updated_at FROM notes
      WHERE id IN (SELECT DISTINCT note_id FROM cards WHERE deck_id IN (SELECT value FROM json_each(?))) ORDER BY id`,
  );
  const selectDescriptions = ctx.db.prepare<[string], { id: number; description: string }>(
    "SELECT id, description FROM decks WHERE id IN (SELECT value FROM json_each(?)) AND description <> ''",
  );
  const selectReviews = ctx.db.prepare<[string], ExportReview>(
    `SELECT id, card_id, reviewed_at, rating, duration_ms, state_before, due_before, scheduled_days_before, last_review_before,
            state_after, due_after, difficulty_after, scheduled_days_after
       FROM revlog WHERE card_id IN (SELECT c.id FROM cards c WHERE c.deck_id IN (SELECT value FROM json_each(?)))
      ORDER BY reviewed_at, id`,
  );

  function read(deckId: number): DeckContent {
    const root = decks.get(deckId);
    const ids = decks.subtreeIds(deckId);
    const all = new Map(decks.list().map((d) => [d.id, d.path]));
    const deckPaths = new Map(ids.map((id) => [id, all.get(id) ?? root.path]));
    const json = JSON.stringify(ids);
    const notes = selectNotes.all(json);
    const types = new Map<number, NoteType>();
    for (const n of notes) if (!types.has(n.note_type_id)) types.set(n.note_type_id, noteTypes.get(n.note_type_id));
    const descriptions = new Map(selectDescriptions.all(json).map((d) => [d.id, d.description]));
    return { rootPath: root.path, deckPaths, notes, cards: selectCards.all(json), noteTypes: types, descriptions };
  }

  function reviews(deckId: number): ExportReview[] {
    return selectReviews.all(JSON.stringify(decks.subtreeIds(deckId)));
  }

  return { read, reviews };
}

/** A file name from a deck path: "PM::Agile" -> "PM - Agile". */
export function exportFileName(deckPath: string, ext: string): string {
  const base = deckPath.split('::').join(' - ').replace(/[^\w .-]+/g, '').trim() || 'deck';
  return `${base}.${ext}`;
}
