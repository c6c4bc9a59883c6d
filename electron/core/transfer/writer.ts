// The one place imports write notes, cards and review history directly (the note store in
// flashcards/notes.ts generates cards with fresh schedules; an Anki import must keep the schedules and
// history it brings, and write tens of thousands of rows quickly). Rows follow 001_init.sql: due dates in
// epoch ms, states as ts-fsrs numbers, tags padded with spaces, review log rows with the state before
// and after. Statements are prepared once; callers run everything inside one transaction.
import type { Card } from 'ts-fsrs';
import { cardOrdinals } from '../../../shared/cardRender';
import { parseCloze } from '../../../shared/cloze';
import { FIELD_MAX_BYTES, utf8Length, type NoteType } from '../../../shared/contract/flashcards';
import { AppError } from '../../../shared/errors';
import type { NoteFormat } from '../../../shared/noteFormat';
import type { Db } from '../context';
import { fromFsrsCard, type SchedulingRow } from '../flashcards/scheduler';
import { sortFieldHash } from '../flashcards/sortFieldHash';
import { joinTags, normalizeTags } from '../flashcards/tags';

export interface ExistingNote {
  id: number;
  note_type_id: number;
  fields: string;
  format: NoteFormat;
  tags: string;
  updated_at: number;
}

export interface CardRow extends SchedulingRow {
  noteId: number;
  deckId: number;
  ord: number;
  newPosition: number;
  suspended: boolean;
  buriedDay: number | null;
  createdAt: number;
  /** Anki's ease factor (permille) the card came with, kept for exports; 0 when none. */
  easeFactor?: number;
}

export interface ReviewLogRow {
  cardId: number;
  reviewedAt: number;
  rating: number;
  durationMs: number;
  before: Card;
  after: Card;
}

/**
 * Tags as Cadence accepts them: no control characters or empty '::' levels, at most 100 characters,
 * duplicates (ignoring case) dropped. Anki allows a little more; the rest is tidied rather than refused.
 */
export function tidyTags(tags: readonly string[]): string[] {
  const cleaned = tags
    // eslint-disable-next-line no-control-regex
    .map((t) => t.replace(/[\u0000-\u001f\u007f\s]+/g, '_'))
    .map((t) => t.split('::').filter((level) => level !== '').join('::').slice(0, 100))
    .filter((t) => t !== '');
  return normalizeTags(cleaned);
}

export { joinTags };

/**
 * Checks a new note the way the note editor does (flashcards/notes.ts) and returns the ordinals of
 * the cards it gets (the shared card rules). Bulk imports use it to skip a row with the same message
 * the editor would show.
 */
export function checkNewNote(type: NoteType, fields: string[]): number[] {
  fields.forEach((value, i) => {
    // A UTF-16 unit takes at most 3 bytes in UTF-8: most fields are measured without encoding them.
    if (value.length * 3 > FIELD_MAX_BYTES && utf8Length(value) > FIELD_MAX_BYTES) {
      throw new AppError('invalid_input', `The ${type.fields[i]} field is larger than 100 KB. Shorten it or split it into several notes.`);
    }
  });
  for (const i of type.kind === 'reversed' ? [0, 1] : [0]) {
    if ((fields[i] ?? '').trim() === '') throw new AppError('invalid_input', `The ${type.fields[i]} field must not be empty.`);
  }
  if (type.kind === 'cloze') {
    const parsed = parseCloze(fields[0] ?? '');
    if (parsed.errors.length) throw new AppError('invalid_input', `The ${type.fields[0]} field has a broken cloze: ${parsed.errors.join(' ')}`);
    if (parsed.numbers.length === 0) {
      throw new AppError('invalid_input', `A cloze note needs at least one cloze deletion in the ${type.fields[0]} field, like {{c1::answer}}.`);
    }
  }
  const ords = cardOrdinals(type, fields);
  if (ords.length === 0) throw new AppError('invalid_input', `The note type "${type.name}" has no card templates, so the note would have no cards.`);
  return ords;
}

export function makeCollectionWriter(db: Db) {
  const noteByGuid = db.prepare<[string], ExistingNote>('SELECT id, note_type_id, fields, format, tags, updated_at FROM notes WHERE guid = ?');
  const insertNoteRow = db.prepare(
    'INSERT INTO notes (guid, note_type_id, fields, format, sort_field, sort_field_hash, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const updateNoteRow = db.prepare('UPDATE notes SET fields = ?, format = ?, sort_field = ?, sort_field_hash = ?, tags = ?, updated_at = ? WHERE id = ?');
  const cardOrds = db.prepare<[number], { ord: number }>('SELECT ord FROM cards WHERE note_id = ?');
  const insertCardRow = db.prepare(
    `INSERT INTO cards (note_id, deck_id, ord, state, due, stability, difficulty, scheduled_days, learning_steps, reps, lapses,
                        last_review, new_position, suspended, buried_day, created_at, updated_at, ease_factor)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertReviewRow = db.prepare(
    `INSERT INTO revlog (card_id, reviewed_at, rating, duration_ms,
                         state_before, due_before, stability_before, difficulty_before, scheduled_days_before,
                         learning_steps_before, reps_before, lapses_before, last_review_before,
                         state_after, due_after, stability_after, difficulty_after, scheduled_days_after, learning_steps_after)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // New cards have no schedule yet: only what differs between them is bound (a CSV file adds 100,000).
  const insertNewCardRow = db.prepare(
    `INSERT INTO cards (note_id, deck_id, ord, state, due, stability, difficulty, scheduled_days, learning_steps, reps, lapses,
                        last_review, new_position, suspended, buried_day, created_at, updated_at)
     VALUES (?, ?, ?, 0, ?, 0, 0, 0, 0, 0, 0, NULL, ?, 0, NULL, ?, ?)`,
  );
  const maxPosition = db.prepare<[], { pos: number }>('SELECT ifnull(max(new_position), 0) AS pos FROM cards');
  const noteTypeByKey = db.prepare<
    [string],
    { id: number; name: string; templates: string; css: string; latex_pre: string | null; latex_post: string | null; source_mtime: number }
  >('SELECT id, name, templates, css, latex_pre, latex_post, source_mtime FROM note_types WHERE source_key = ?');
  const insertNoteTypeRow = db.prepare(
    `INSERT INTO note_types (name, kind, fields, templates, css, source_key, latex_pre, latex_post, source_mtime, created_at, updated_at)
     VALUES (?, 'custom', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateNoteTypeRow = db.prepare(
    'UPDATE note_types SET name = ?, templates = ?, css = ?, latex_pre = ?, latex_post = ?, source_mtime = ?, updated_at = ? WHERE id = ?',
  );
  const nameTaken = db.prepare<[string], number>('SELECT 1 FROM note_types WHERE name = ? COLLATE NOCASE').pluck();
  /** A name no note type has yet (as Anki keeps note type names unique): "Basic" -> "Basic (imported)", then "(imported 2)"… */
  const uniqueTypeName = (name: string) => {
    if (!nameTaken.get(name)) return name;
    for (let n = 1; ; n++) {
      const candidate = `${name} (imported${n === 1 ? '' : ` ${n}`})`;
      if (!nameTaken.get(candidate)) return candidate;
    }
  };
  const sourceKeyOf = db.prepare<[number], string | null>('SELECT source_key FROM note_types WHERE id = ?').pluck();
  const moveNoteRow = db.prepare('UPDATE notes SET note_type_id = ?, updated_at = max(updated_at, ?) WHERE id = ?');
  const noteCards = db.prepare<[number], { id: number; ord: number }>('SELECT id, ord FROM cards WHERE note_id = ? ORDER BY ord');
  const setCardOrd = db.prepare('UPDATE cards SET ord = ?, updated_at = ? WHERE id = ?');
  const deleteCardRow = db.prepare('DELETE FROM cards WHERE id = ?');

  return {
    noteByGuid: (guid: string) => noteByGuid.get(guid),

    /** `sortHash` is sortFieldHash(sortField), for a caller that has it already. */
    insertNote(
      guid: string,
      noteTypeId: number,
      fields: string[],
      format: NoteFormat,
      sortField: string,
      tags: readonly string[],
      createdAt: number,
      updatedAt: number,
      sortHash = sortFieldHash(sortField),
    ): number {
      return Number(insertNoteRow.run(guid, noteTypeId, JSON.stringify(fields), format, sortField, sortHash, joinTags(tags), createdAt, updatedAt).lastInsertRowid);
    },

    updateNote(id: number, fields: string[], format: NoteFormat, sortField: string, tags: string[], updatedAt: number): void {
      updateNoteRow.run(JSON.stringify(fields), format, sortField, sortFieldHash(sortField), joinTags(tags), updatedAt, id);
    },

    /** The source key of a note type ("anki:<id>:<digest>" for imported designs; null for Cadence's own). */
    sourceKeyOf: (noteTypeId: number) => sourceKeyOf.get(noteTypeId) ?? null,

    /**
     * Moves a note to another note type. `ords` maps each card's ordinal to its new one (null: the card
     * has no place in the new design and goes, with its history). Returns how many cards went.
     */
    moveNote(noteId: number, noteTypeId: number, ords: (ord: number) => number | null, now: number): number {
      const cards = noteCards.all(noteId);
      let removed = 0;
      const moves: { id: number; to: number }[] = [];
      for (const c of cards) {
        const to = ords(c.ord);
        if (to === null) {
          deleteCardRow.run(c.id);
          removed++;
        } else if (to !== c.ord) moves.push({ id: c.id, to });
      }
      // Through negative ordinals first, so two cards swapping places never collide on (note, ord).
      for (const m of moves) setCardOrd.run(-1 - m.to, now, m.id);
      for (const m of moves) setCardOrd.run(m.to, now, m.id);
      moveNoteRow.run(noteTypeId, now, noteId);
      return removed;
    },

    cardOrds: (noteId: number) => new Set(cardOrds.all(noteId).map((r) => r.ord)),

    /** New cards of a new note: no schedule yet, due from now, introduced at `position`. */
    insertNewCards(noteId: number, deckId: number, ords: number[], position: number, now: number): void {
      for (const ord of ords) insertNewCardRow.run(noteId, deckId, ord, now, position, now, now);
    },

    insertCard(c: CardRow): number {
      return Number(
        insertCardRow.run(
          c.noteId,
          c.deckId,
          c.ord,
          c.state,
          c.due,
          c.stability,
          c.difficulty,
          c.scheduled_days,
          c.learning_steps,
          c.reps,
          c.lapses,
          c.last_review,
          c.newPosition,
          c.suspended ? 1 : 0,
          c.buriedDay,
          c.createdAt,
          c.createdAt,
          c.easeFactor ?? 0,
        ).lastInsertRowid,
      );
    },

    insertReview(r: ReviewLogRow): void {
      const b = fromFsrsCard(r.before);
      const a = fromFsrsCard(r.after);
      insertReviewRow.run(
        r.cardId,
        r.reviewedAt,
        r.rating,
        r.durationMs,
        b.state,
        b.due,
        b.stability,
        b.difficulty,
        b.scheduled_days,
        b.learning_steps,
        b.reps,
        b.lapses,
        b.last_review,
        a.state,
        a.due,
        a.stability,
        a.difficulty,
        a.scheduled_days,
        a.learning_steps,
      );
    },

    /** The highest new-card position in use: imported new cards go after it. */
    maxNewPosition: () => maxPosition.get()!.pos,

    /**
     * Finds the custom note type imported before under `sourceKey` or creates it. Its name, templates,
     * CSS and LaTeX header/footer are brought up to date when the file's design is newer than the one
     * imported before (Anki's rule: `source.mtime`, epoch seconds). Returns its id, whether it was
     * created, and whether an existing design changed.
     */
    ensureCustomNoteType(
      sourceKey: string,
      name: string,
      fields: string[],
      templates: { name: string; front: string; back: string }[],
      css: string,
      source: { mtime: number; latexPre: string; latexPost: string },
      now: number,
    ): { id: number; created: boolean; updated: boolean } {
      const existing = noteTypeByKey.get(sourceKey);
      const templatesJson = JSON.stringify(templates);
      const latexPre = source.latexPre === '' ? null : source.latexPre;
      const latexPost = source.latexPost === '' ? null : source.latexPost;
      if (existing) {
        // A name made unique on creation stays as it is while the file keeps the name.
        const nextName = existing.name === name || existing.name.startsWith(`${name} (imported`) ? existing.name : uniqueTypeName(name);
        const differs =
          existing.name !== nextName ||
          existing.templates !== templatesJson ||
          existing.css !== css ||
          existing.latex_pre !== latexPre ||
          existing.latex_post !== latexPost;
        const newer = source.mtime > existing.source_mtime || existing.source_mtime === 0;
        if (differs && newer) updateNoteTypeRow.run(nextName, templatesJson, css, latexPre, latexPost, source.mtime, now, existing.id);
        return { id: existing.id, created: false, updated: differs && newer };
      }
      const id = Number(
        insertNoteTypeRow.run(uniqueTypeName(name), JSON.stringify(fields), templatesJson, css, sourceKey, latexPre, latexPost, source.mtime, now, now).lastInsertRowid,
      );
      return { id, created: true, updated: false };
    },
  };
}
export type CollectionWriter = ReturnType<typeof makeCollectionWriter>;
