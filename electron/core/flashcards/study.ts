// Answering, undoing, burying and suspending cards. An answer writes the card's new schedule and its
// review log row in one transaction; the log row keeps the state before and after, so an undo puts
// the card back exactly. Recent answers, buries and suspends are kept as undo steps (the last 30).
import type { Grade } from 'ts-fsrs';
import { customTemplateFor } from '../../../shared/ankiTemplate';
import { renderCard } from '../../../shared/cardRender';
import { clozeAnswers } from '../../../shared/cloze';
import { typedField } from '../../../shared/typeAnswer';
import type { NoteType, Preset, StudyCard, StudyNext } from '../../../shared/contract/flashcards';
import { AppError } from '../../../shared/errors';
import type { NoteFormat } from '../../../shared/noteFormat';
import type { Db } from '../context';
import { stateName } from './cardState';
import { intervalLabel } from './intervalLabel';
import { makeNoteTypeStore } from './noteTypes';
import { plainText } from './notes';
import { makePresetStore } from './presets';
import type { StudyQueue } from './queue';
import { retrievability } from './retrievability';
import { makeSchedulerCache, type SchedulingRow } from './scheduler';
import type { StudyConfig } from './studyConfig';
import type { Counters } from './studiedToday';
import { hasTag, joinTags, splitTags } from './tags';

/** Anki keeps 30 undo steps; so do we. */
export const UNDO_LIMIT = 30;
/** Longer than this on one card is counted as this much (a card left open is not study time). */
export const MAX_ANSWER_MS = 60_000;
export const LEECH_TAG = 'leech';

interface CardRow extends SchedulingRow {
  id: number;
  note_id: number;
  deck_id: number;
  ord: number;
  suspended: number;
  buried_day: number | null;
  updated_at: number;
}

/** One row of the review log, as the answer, undo and sync's replay read it. */
export interface RevlogRow {
  id: number;
  card_id: number;
  reviewed_at: number;
  rating: number;
  state_before: number;
  due_before: number;
  stability_before: number;
  difficulty_before: number;
  scheduled_days_before: number;
  learning_steps_before: number;
  reps_before: number;
  lapses_before: number;
  last_review_before: number | null;
  state_after: number;
  due_after: number;
  stability_after: number;
  difficulty_after: number;
  scheduled_days_after: number;
  learning_steps_after: number;
}

interface AnswerStep {
  cardId: number;
  revlogId: number;
  updatedAtBefore: number;
  suspendedBefore: number;
  /** Set when the answer made the note a leech: its tags and updated_at before. */
  note: { id: number; tags: string; updatedAt: number } | null;
  /** Siblings the answer buried: [cardId, buried_day before, updated_at before]. */
  siblings?: [number, number | null, number][];
}
interface FlagStep {
  /** [cardId, value before (buried_day or suspended), updated_at before] */
  cards: [number, number | null, number][];
}

/** Whether a lapse count makes a card a leech now: at the threshold, then every half threshold. */
export function isLeechLapse(lapses: number, threshold: number): boolean {
  if (lapses < threshold) return false;
  return (lapses - threshold) % Math.ceil(threshold / 2) === 0;
}

export function makeStudy(db: Db, queue: StudyQueue) {
  const presets = makePresetStore(db);
  const noteTypes = makeNoteTypeStore(db);
  const schedulers = makeSchedulerCache();

  const CARD_COLUMNS = `c.id, c.note_id, c.deck_id, c.ord, c.state, c.due, c.stability, c.difficulty, c.scheduled_days,
    c.learning_steps, c.reps, c.lapses, c.last_review, c.suspended, c.buried_day, c.updated_at`;
  const selectCard = db.prepare<[number], CardRow>(`SELECT ${CARD_COLUMNS} FROM cards c WHERE c.id = ?`);
  const selectStudyCard = db.prepare<[number], CardRow & { fields: string; tags: string; note_type_id: number; source: string; format: NoteFormat }>(
    `SELECT ${CARD_COLUMNS}, n.fields, n.tags, n.note_type_id, n.source, n.format FROM cards c JOIN notes n ON n.id = c.note_id WHERE c.id = ?`,
  );
  const updateSchedule = db.prepare(
    `UPDATE cards SET state = @state, due = @due, stability = @stability, difficulty = @difficulty,
            scheduled_days = @scheduled_days, learning_steps = @learning_steps, reps = @reps, lapses = @lapses,
            last_review = @last_review, suspended = @suspended, updated_at = @updated_at
      WHERE id = @id`,
  );
  const insertRevlog = db.prepare(
    `INSERT INTO revlog (card_id, reviewed_at, rating, duration_ms,
        state_before, due_before, stability_before, difficulty_before, scheduled_days_before, learning_steps_before,
        reps_before, lapses_before, last_review_before,
        state_after, due_after, stability_after, difficulty_after, scheduled_days_after, learning_steps_after)
     VALUES (@card_id, @reviewed_at, @rating, @duration_ms,
        @state_before, @due_before, @stability_before, @difficulty_before, @scheduled_days_before, @learning_steps_before,
        @reps_before, @lapses_before, @last_review_before,
        @state_after, @due_after, @stability_after, @difficulty_after, @scheduled_days_after, @learning_steps_after)`,
  );
  const selectRevlog = db.prepare<[number], RevlogRow>('SELECT * FROM revlog WHERE id = ?');
  const latestRevlogOf = db.prepare<[number], { id: number }>(
    'SELECT id FROM revlog WHERE card_id = ? ORDER BY reviewed_at DESC, id DESC LIMIT 1',
  );
  const deleteRevlog = db.prepare('DELETE FROM revlog WHERE id = ?');
  const selectNoteTags = db.prepare<[number], { tags: string; updated_at: number }>('SELECT tags, updated_at FROM notes WHERE id = ?');
  const updateNoteTags = db.prepare('UPDATE notes SET tags = ?, updated_at = ? WHERE id = ?');
  const insertUndo = db.prepare('INSERT INTO undo_steps (kind, payload, created_at) VALUES (?, ?, ?)');
  const pruneUndo = db.prepare(`DELETE FROM undo_steps WHERE id <= (SELECT max(id) FROM undo_steps) - ${UNDO_LIMIT}`);
  const lastUndo = db.prepare<[], { id: number; kind: 'answer' | 'bury' | 'suspend' | 'unsuspend'; payload: string }>(
    'SELECT id, kind, payload FROM undo_steps ORDER BY id DESC LIMIT 1',
  );
  const deleteUndo = db.prepare('DELETE FROM undo_steps WHERE id = ?');
  const selectFlags = db.prepare<[string], { id: number; suspended: number; buried_day: number | null; updated_at: number }>(
    'SELECT id, suspended, buried_day, updated_at FROM cards WHERE id IN (SELECT value FROM json_each(?))',
  );
  const setBuried = db.prepare('UPDATE cards SET buried_day = ?, updated_at = ? WHERE id = ?');
  const siblingsOf = db.prepare<[number, number], CardRow>(`SELECT ${CARD_COLUMNS} FROM cards c WHERE c.note_id = ? AND c.id <> ?`);
  const setSuspended = db.prepare('UPDATE cards SET suspended = ?, updated_at = ? WHERE id = ?');
  const selectCardsIn = db.prepare<[string], CardRow>(
    `SELECT ${CARD_COLUMNS} FROM cards c WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY c.note_id, c.ord`,
  );
  const nextPosition = db.prepare<[], { pos: number }>('SELECT ifnull(max(new_position), 0) + 1 AS pos FROM cards');
  const setPosition = db.prepare('UPDATE cards SET new_position = ? WHERE id = ?');
  const summary = db.prepare<{ decks: string; since: number }, { cards: number; reviews: number; duration: number; again: number }>(
    `SELECT count(DISTINCT r.card_id) AS cards, count(*) AS reviews, ifnull(sum(r.duration_ms), 0) AS duration,
            ifnull(sum(r.rating = 1), 0) AS again
       FROM revlog r JOIN cards c ON c.id = r.card_id
      WHERE r.reviewed_at >= @since AND r.rating > 0 AND c.deck_id IN (SELECT value FROM json_each(@decks))`,
  );

  function requireCard(id: number): CardRow {
    const row = selectCard.get(id);
    if (!row) throw new AppError('not_found', 'That card no longer exists. It may have been deleted.');
    return row;
  }

  function pushUndo(kind: 'answer' | 'bury' | 'suspend' | 'unsuspend', payload: AnswerStep | FlagStep, now: number): void {
    insertUndo.run(kind, JSON.stringify(payload), now);
    pruneUndo.run();
  }

  // The last few cards rendered: the card announced as the upcoming one is shown by the next call, and
  // is not rendered twice while its note and note type stay as they were.
  const rendered = new Map<number, { fields: string; type: NoteType; sides: { question: string; answer: string } }>();
  const RENDERED_KEPT = 12;

  function sidesOf(row: { id: number; ord: number; fields: string }, type: NoteType) {
    const hit = rendered.get(row.id);
    if (hit && hit.fields === row.fields && hit.type === type) return hit.sides;
    let sides: { question: string; answer: string };
    try {
      sides = renderCard(type, JSON.parse(row.fields) as string[], row.ord);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      sides = { question: err.message, answer: err.message };
    }
    rendered.delete(row.id);
    rendered.set(row.id, { fields: row.fields, type, sides });
    if (rendered.size > RENDERED_KEPT) rendered.delete(rendered.keys().next().value!);
    return sides;
  }

  // The rows of the cards last shown or announced (each study call reads the card to show, the one after
  // it and perhaps the one after that, mostly the cards the call before announced), with the connection's
  // change counters they are current for. An answer changes one note's cards (and that note): its rows
  // are dropped and the rest stay current (see answer()); any other write reads them all again.
  type StudyRow = NonNullable<ReturnType<typeof selectStudyCard.get>>;
  const keptRows = new Map<number, StudyRow>();
  let rowsAt: Counters | null = null;
  const ROWS_KEPT = 12;

  function studyRow(cardId: number, counters: Counters | undefined): StudyRow | undefined {
    if (!counters || db.inTransaction) return selectStudyCard.get(cardId);
    if (!rowsAt || rowsAt.changes !== counters.changes || rowsAt.dataVersion !== counters.dataVersion) {
      keptRows.clear();
      rowsAt = counters;
    }
    const hit = keptRows.get(cardId);
    if (hit) return hit;
    const row = selectStudyCard.get(cardId);
    if (row) {
      keptRows.set(cardId, row);
      if (keptRows.size > ROWS_KEPT) keptRows.delete(keptRows.keys().next().value!);
    }
    return row;
  }

  /**
   * A card as the review screen shows it: both sides' sources and the four next intervals. With the
   * change counters of the caller's snapshot, its row may come from the kept rows.
   */
  function studyCard(cardId: number, config: StudyConfig, now: number, counters?: Counters): StudyCard {
    const row = studyRow(cardId, counters);
    if (!row) throw new AppError('not_found', 'That card no longer exists. It may have been deleted.');
    const type = noteTypes.get(row.note_type_id);
    const sides = sidesOf(row, type);
    const dues = schedulers.previewDues(config.presetOf(row.deck_id), row, now);
    return {
      id: row.id,
      noteId: row.note_id,
      deckId: row.deck_id,
      deckPath: config.byId.get(row.deck_id)?.path ?? '',
      ord: row.ord,
      kind: type.kind,
      state: stateName(row.state),
      question: sides.question,
      answer: sides.answer,
      format: row.format,
      css: type.css,
      tags: splitTags(row.tags),
      source: row.source,
      intervals: dues.map((due) => intervalLabel(due - now)) as [string, string, string, string],
      reps: row.reps,
      lapses: row.lapses,
      retrievability: retrievability(row.stability, row.last_review, now),
      typeAnswer: typeAnswerOf(type, row),
    };
  }

  /**
   * The answer a type-in-the-answer card asks for, as plain text (see shared/typeAnswer.ts): the field,
   * or for {{type:cloze:Field}} this card's cloze answers in it, joined with ", " as Anki does.
   */
  function typeAnswerOf(type: NoteType, row: { ord: number; fields: string }): string | null {
    if (type.kind !== 'custom') return null;
    const field = typedField(customTemplateFor(type.templates, row.ord)?.front ?? '');
    const index = field === null ? -1 : type.fields.findIndex((f) => f.toLowerCase() === field.name.toLowerCase());
    if (index < 0) return null;
    const value = (JSON.parse(row.fields) as string[])[index] ?? '';
    return plainText(field!.cloze ? clozeAnswers(value, row.ord + 1).join(', ') : value);
  }

  const DECK_GONE = 'That deck no longer exists. It may have been deleted.';

  /**
   * The next card of a deck tree, rendered, with the counts left today and the card after it.
   * `avoidNoteId`: the note of the card just answered, whose other cards come next only if nothing else can.
   */
  function next(deckId: number, now: number, preferCardId?: number, avoidNoteId?: number | null): StudyNext {
    const q = queue.next(deckId, now, preferCardId, avoidNoteId);
    if (q.decks.length === 0) throw new AppError('not_found', DECK_GONE);
    const card = q.cardId === null ? null : studyCard(q.cardId, q.config, now, q.counters);
    const upcoming = q.upcoming && {
      card: studyCard(q.upcoming.cardId, q.config, now, q.counters),
      until: q.upcoming.until,
      then: q.upcoming.then && { card: studyCard(q.upcoming.then.cardId, q.config, now, q.counters), until: q.upcoming.then.until },
    };
    return { deckPath: q.decks[0]!.path, card, counts: q.counts, nextLearningDue: q.nextLearningDue, upcoming };
  }

  /**
   * Records an answer; see answerTx. Given the deck being studied, also returns its next card, so the
   * review screen moves on in one round trip; that deck is checked first, so a bad one changes nothing.
   */
  function answer(cardId: number, rating: Grade, durationMs: number, now: number, studyDeckId?: number) {
    const before = queue.snapshot();
    if (studyDeckId !== undefined && !before.config.byId.has(studyDeckId)) throw new AppError('not_found', DECK_GONE);
    const { counted, log, noteId, ...answered } = answerTx(cardId, rating, durationMs, now);
    // Committed: the queue's kept counts, today's tally and the kept rows follow the note's cards.
    const after = queue.snapshot();
    queue.answered(before, after, counted, log);
    rowsAnswered(before, after, noteId);
    return studyDeckId === undefined ? answered : { ...answered, next: next(studyDeckId, now, undefined, noteId) };
  }

  /** An answer changed the cards of one note (and that note): the other kept rows stay current. */
  function rowsAnswered(before: Counters, after: Counters, noteId: number): void {
    const current = rowsAt && rowsAt.changes === before.changes && rowsAt.dataVersion === before.dataVersion;
    if (!current || db.inTransaction || after.dataVersion !== before.dataVersion) {
      keptRows.clear();
      rowsAt = null;
      return;
    }
    for (const [id, row] of keptRows) if (row.note_id === noteId) keptRows.delete(id);
    rowsAt = { changes: after.changes, dataVersion: after.dataVersion };
  }

  /**
   * Buries the siblings of an answered card that its preset says to (Anki's bury new / review / interday
   * learning siblings) until the next study day. Returns the ones it buried, as they were before.
   */
  function burySiblings(siblings: CardRow[], preset: Preset, now: number): CardRow[] {
    if (!preset.buryNew && !preset.buryReview && !preset.buryInterday) return [];
    const day = queue.studyDay(now);
    const buried: CardRow[] = [];
    for (const s of siblings) {
      if (s.suspended || s.buried_day === day.today) continue;
      const dueToday = s.due < day.end;
      const learning = s.state === 1 || s.state === 3;
      const bury =
        (s.state === 0 && preset.buryNew) ||
        (s.state === 2 && dueToday && preset.buryReview) ||
        // Interday: a learning card due today that was last seen on an earlier day.
        (learning && dueToday && (s.last_review ?? 0) < day.start && preset.buryInterday);
      if (!bury) continue;
      buried.push(s);
      setBuried.run(day.today, now, s.id);
    }
    return buried;
  }

  const answerTx = db.transaction((cardId: number, rating: Grade, durationMs: number, now: number) => {
    const before = requireCard(cardId);
    if (before.suspended) throw new AppError('conflict', 'This card is suspended. Unsuspend it in Browse to study it.');
    const preset = queue.snapshot().config.presetOf(before.deck_id);
    const after = schedulers.next(preset, before, now, rating);

    // Leech: a lapse that reaches the threshold (and every half threshold after) tags the note, and
    // suspends the card if the preset says so. The user is told when that changes something.
    let leech = false;
    let suspended = before.suspended;
    let noteStep: AnswerStep['note'] = null;
    if (after.lapses > before.lapses && isLeechLapse(after.lapses, preset.leechThreshold)) {
      const note = selectNoteTags.get(before.note_id)!;
      const tags = splitTags(note.tags);
      if (!hasTag(tags, LEECH_TAG)) {
        noteStep = { id: before.note_id, tags: note.tags, updatedAt: note.updated_at };
        updateNoteTags.run(joinTags([...tags, LEECH_TAG]), now, before.note_id);
        leech = true;
      }
      if (preset.leechAction === 'suspend') {
        suspended = 1;
        leech = true;
      }
    }

    updateSchedule.run({ ...after, id: cardId, suspended, updated_at: now });
    const revlogId = Number(
      insertRevlog.run(logRow(cardId, rating, Math.min(durationMs, MAX_ANSWER_MS), now, before, after)).lastInsertRowid,
    );
    const siblings = siblingsOf.all(before.note_id, cardId);
    const buried = burySiblings(siblings, preset, now);
    const step: AnswerStep = { cardId, revlogId, updatedAtBefore: before.updated_at, suspendedBefore: before.suspended, note: noteStep };
    if (buried.length) step.siblings = buried.map((s) => [s.id, s.buried_day, s.updated_at]);
    pushUndo('answer', step, now);
    const today = queue.studyDay(now).today;
    const wasBuried = new Set(buried.map((s) => s.id));
    // Every card of the note before and after, for the kept counts (dueCounts.ts).
    const counted = {
      before: [before, ...siblings],
      after: [
        { ...before, state: after.state, due: after.due, suspended },
        ...siblings.map((s) => (wasBuried.has(s.id) ? { ...s, buried_day: today } : s)),
      ],
    };
    return {
      cardId,
      noteId: before.note_id,
      log: { id: revlogId, reviewedAt: now, rating, stateBefore: before.state, deckId: before.deck_id },
      state: stateName(after.state),
      due: after.due,
      leech,
      suspended: suspended === 1,
      counted,
    };
  });

  type UndoResult =
    | { kind: 'answer' | 'bury' | 'suspend' | 'unsuspend'; cardId: number; deckId: number }
    | { stale: string };

  /**
   * Takes back the newest undo step. A step that no longer applies (its card changed or was deleted
   * since) is dropped and reported, changing nothing else.
   */
  function undo() {
    const result = undoStep();
    if ('stale' in result) throw new AppError('conflict', result.stale);
    return { kind: result.kind, cardId: result.cardId, deckId: result.deckId };
  }

  const undoStep = db.transaction((): UndoResult => {
    const step = lastUndo.get();
    if (!step) throw new AppError('not_found', 'There is nothing to undo.');
    deleteUndo.run(step.id);
    if (step.kind === 'answer') {
      const payload = JSON.parse(step.payload) as AnswerStep;
      const log = selectRevlog.get(payload.revlogId);
      const card = selectCard.get(payload.cardId);
      const stillLatest = log && card && latestRevlogOf.get(card.id)?.id === log.id;
      const unchanged =
        card &&
        log &&
        card.state === log.state_after &&
        card.due === log.due_after &&
        card.stability === log.stability_after &&
        card.difficulty === log.difficulty_after &&
        card.scheduled_days === log.scheduled_days_after &&
        card.learning_steps === log.learning_steps_after;
      if (!log || !card || !stillLatest || !unchanged) {
        return { stale: 'The last answer can no longer be undone: the card was changed or deleted since.' };
      }
      updateSchedule.run({
        id: card.id,
        state: log.state_before,
        due: log.due_before,
        stability: log.stability_before,
        difficulty: log.difficulty_before,
        scheduled_days: log.scheduled_days_before,
        learning_steps: log.learning_steps_before,
        reps: log.reps_before,
        lapses: log.lapses_before,
        last_review: log.last_review_before,
        suspended: payload.suspendedBefore,
        updated_at: payload.updatedAtBefore,
      });
      deleteRevlog.run(log.id);
      if (payload.note) updateNoteTags.run(payload.note.tags, payload.note.updatedAt, payload.note.id);
      for (const [id, buriedDay, updatedAt] of payload.siblings ?? []) setBuried.run(buriedDay, updatedAt, id);
      return { kind: step.kind, cardId: card.id, deckId: card.deck_id };
    }
    const payload = JSON.parse(step.payload) as FlagStep;
    const restore = step.kind === 'bury' ? setBuried : setSuspended;
    let first: CardRow | undefined;
    for (const [id, value, updatedAt] of payload.cards) {
      if (restore.run(value, updatedAt, id).changes && !first) first = selectCard.get(id);
    }
    if (!first) return { stale: 'Those cards were deleted since, so there is nothing left to undo.' };
    return { kind: step.kind, cardId: first.id, deckId: first.deck_id };
  });

  /** Sets a flag on many cards, remembering the old values as one undo step. Returns how many changed. */
  function flagCards(kind: 'bury' | 'suspend' | 'unsuspend', cardIds: readonly number[], now: number): number {
    const rows = selectFlags.all(JSON.stringify(cardIds));
    if (rows.length === 0) throw new AppError('not_found', 'None of those cards exist any more.');
    const today = queue.studyDay(now).today;
    const step: FlagStep = { cards: [] };
    for (const r of rows) {
      if (kind === 'bury') {
        if (r.buried_day === today) continue;
        step.cards.push([r.id, r.buried_day, r.updated_at]);
        setBuried.run(today, now, r.id);
      } else {
        const value = kind === 'suspend' ? 1 : 0;
        if (r.suspended === value) continue;
        step.cards.push([r.id, r.suspended, r.updated_at]);
        setSuspended.run(value, now, r.id);
      }
    }
    if (step.cards.length) pushUndo(kind, step, now);
    return step.cards.length;
  }

  function logRow(cardId: number, rating: number, durationMs: number, now: number, before: SchedulingRow, after: SchedulingRow) {
    return {
      card_id: cardId,
      reviewed_at: now,
      rating,
      duration_ms: durationMs,
      state_before: before.state,
      due_before: before.due,
      stability_before: before.stability,
      difficulty_before: before.difficulty,
      scheduled_days_before: before.scheduled_days,
      learning_steps_before: before.learning_steps,
      reps_before: before.reps,
      lapses_before: before.lapses,
      last_review_before: before.last_review,
      state_after: after.state,
      due_after: after.due,
      stability_after: after.stability,
      difficulty_after: after.difficulty,
      scheduled_days_after: after.scheduled_days,
      learning_steps_after: after.learning_steps,
    };
  }

  /**
   * Makes cards new again, after all other new cards (one position per note, so siblings stay together).
   * Each reset is logged as a manual entry (rating 0), so the history still explains the card.
   */
  const reset = db.transaction((cardIds: readonly number[], now: number): number => {
    const rows = selectCardsIn.all(JSON.stringify(cardIds));
    if (rows.length === 0) throw new AppError('not_found', 'None of those cards exist any more.');
    const config = queue.snapshot().config;
    let pos = nextPosition.get()!.pos;
    let lastNote: number | null = null;
    for (const row of rows) {
      if (lastNote !== null && row.note_id !== lastNote) pos++;
      lastNote = row.note_id;
      const after = schedulers.forget(config.presetOf(row.deck_id), row, now);
      updateSchedule.run({ ...after, id: row.id, suspended: row.suspended, updated_at: now });
      setPosition.run(pos, row.id);
      insertRevlog.run(logRow(row.id, 0, 0, now, row, after));
    }
    return rows.length;
  });

  return {
    next,
    studyCard,
    reset,
    answer,
    undo,
    bury: db.transaction((ids: readonly number[], now: number) => flagCards('bury', ids, now)),
    suspend: db.transaction((ids: readonly number[], now: number) => flagCards('suspend', ids, now)),
    unsuspend: db.transaction((ids: readonly number[], now: number) => flagCards('unsuspend', ids, now)),
    summary(deckIds: readonly number[], since: number) {
      const s = summary.get({ decks: JSON.stringify(deckIds), since })!;
      return { cards: s.cards, reviews: s.reviews, durationMs: s.duration, again: s.again, againRate: s.reviews ? s.again / s.reviews : 0 };
    },
    schedulers,
    presets,
  };
}
export type Study = ReturnType<typeof makeStudy>;
