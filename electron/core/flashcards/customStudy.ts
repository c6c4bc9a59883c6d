// Custom study from a deck, as Anki's Custom Study dialog offers it: raise today's new or review limit
// (custom_limit rows, counted by limits.ts through the study config), or study a temporary session of
// chosen cards: forgotten ones, reviews ahead of time, a preview of new cards, or cards by state and tag.
//
// Anki moves such cards into a filtered deck and back. Here the cards never leave their decks: a
// session is a list of card ids (custom_session_cards), so ending it, or deleting its deck, puts
// nothing back because nothing moved. With rescheduling (forgotten, ahead, new, due and review
// cards), an answer is an ordinary answer (study.ts): scheduled by FSRS, logged, undoable, and a card
// still in learning stays in the session until it graduates. Without (preview, "all cards"), an answer
// changes nothing on the card: Again shows it again in a minute, Hard in ten, Good and Easy finish it.
import type { Statement } from 'better-sqlite3';
import type { CustomSession, CustomStudyInput, StudyNext } from '../../../shared/contract/flashcards';
import { AppError } from '../../../shared/errors';
import type { Db } from '../context';
import { LEARN_AHEAD_MS, type StudyQueue } from './queue';
import type { Study } from './study';
import { likeEscape } from './tags';

const DAY_MS = 86_400_000;
/** Cards a session holds at most where the option names no count (Anki's custom study cap is similar). */
const SESSION_MAX = 1000;
/** Without rescheduling: how soon Again and Hard show the card again (Anki's preview delays). */
const PREVIEW_AGAIN_MS = 60_000;
const PREVIEW_HARD_MS = 10 * 60_000;
const PREVIEW_INTERVALS: [string, string, string, string] = ['1m', '10m', 'done', 'done'];

interface SessionRow {
  id: number;
  deck_id: number;
  kind: string;
  title: string;
  reschedule: number;
  remaining: number;
  total: number;
}

const TITLES: Record<string, (input: CustomStudyInput) => string> = {
  forgotten: (i) => `Forgotten in the last ${plural((i as { days: number }).days, 'day')}`,
  ahead: (i) => `Reviews due in the next ${plural((i as { days: number }).days, 'day')}`,
  preview: (i) => `New cards added in the last ${plural((i as { days: number }).days, 'day')} (preview)`,
  tag_state: (i) => {
    const t = i as Extract<CustomStudyInput, { mode: 'tag_state' }>;
    const what = { new: 'New cards', due: 'Due cards', review: 'Review cards, random order', all: 'All cards, random order (preview)' }[t.state];
    const tags = t.includeTags.length ? ` tagged ${t.includeTags.join(' or ')}` : '';
    const without = t.excludeTags.length ? ` without ${t.excludeTags.join(', ')}` : '';
    return `${what}${tags}${without}`;
  },
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A tag list as one SQL condition on n.tags (each tag or a tag below it), with its parameters. */
function tagCondition(tags: readonly string[], prefix: string): { sql: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const parts = tags.map((t, i) => {
    params[`${prefix}${i}a`] = `% ${likeEscape(t)} %`;
    params[`${prefix}${i}b`] = `% ${likeEscape(t)}::%`;
    return `n.tags LIKE @${prefix}${i}a ESCAPE '\\' OR n.tags LIKE @${prefix}${i}b ESCAPE '\\'`;
  });
  return { sql: parts.length ? `(${parts.join(' OR ')})` : '', params };
}

export function makeCustomStudy(db: Db, queue: StudyQueue, study: Study) {
  const addExtension = db.prepare(
    `INSERT INTO deck_limit_extensions (deck_id, day, extra_new, extra_review) VALUES (@deck, @day, @extraNew, @extraReview)
     ON CONFLICT (deck_id, day) DO UPDATE SET extra_new = min(9999, extra_new + excluded.extra_new),
                                             extra_review = min(99999, extra_review + excluded.extra_review)`,
  );
  const pruneExtensions = db.prepare('DELETE FROM deck_limit_extensions WHERE day < ?');
  const deleteSessions = db.prepare('DELETE FROM custom_sessions');
  const insertSession = db.prepare('INSERT INTO custom_sessions (deck_id, kind, title, reschedule, created_at) VALUES (?, ?, ?, ?, ?)');
  const insertCard = db.prepare('INSERT INTO custom_session_cards (session_id, card_id, position) VALUES (?, ?, ?)');
  const SESSION = `SELECT s.id, s.deck_id, s.kind, s.title, s.reschedule,
                          (SELECT count(*) FROM custom_session_cards WHERE session_id = s.id AND done = 0) AS remaining,
                          (SELECT count(*) FROM custom_session_cards WHERE session_id = s.id) AS total
                     FROM custom_sessions s`;
  const selectSession = db.prepare<[number], SessionRow>(`${SESSION} WHERE s.id = ?`);
  const selectCurrent = db.prepare<[], SessionRow>(`${SESSION} ORDER BY s.id DESC LIMIT 1`);
  const deleteSession = db.prepare('DELETE FROM custom_sessions WHERE id = ?');
  // Cards not finished, in session order: those that may be shown now first, then by when they may.
  const waiting = db.prepare<{ session: number; now: number }, { card_id: number; due: number; note_id: number; state: number }>(
    `SELECT s.card_id, s.due, c.note_id, c.state FROM custom_session_cards s JOIN cards c ON c.id = s.card_id
      WHERE s.session_id = @session AND s.done = 0 AND c.suspended = 0
      ORDER BY s.due > @now, CASE WHEN s.due > @now THEN s.due ELSE s.position END`,
  );
  const entry = db.prepare<[number, number], { done: number }>('SELECT done FROM custom_session_cards WHERE session_id = ? AND card_id = ?');
  const setEntry = db.prepare('UPDATE custom_session_cards SET done = ?, due = ? WHERE session_id = ? AND card_id = ?');
  const reopen = db.prepare('UPDATE custom_session_cards SET done = 0, due = 0 WHERE card_id = ?');
  const cardState = db.prepare<[number], { state: number; due: number; suspended: number }>('SELECT state, due, suspended FROM cards WHERE id = ?');

  // The card-picking statements differ by option and by how many tags are named: each kept once made.
  const statements = new Map<string, Statement<Record<string, string | number>, { id: number }>>();
  function statement(sql: string) {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare<Record<string, string | number>, { id: number }>(sql);
      statements.set(sql, s);
    }
    return s;
  }

  function toSession(row: SessionRow): CustomSession {
    const { config } = queue.snapshot();
    return {
      id: row.id,
      deckId: row.deck_id,
      deckPath: config.byId.get(row.deck_id)?.path ?? '',
      title: row.title,
      reschedule: row.reschedule === 1,
      remaining: row.remaining,
      total: row.total,
    };
  }

  function requireSession(id: number): SessionRow {
    const row = selectSession.get(id);
    if (!row) throw new AppError('not_found', 'That custom study session has ended. Start another from the deck.');
    return row;
  }

  /** The card ids a session option picks, in the order they are shown. */
  function pick(input: Exclude<CustomStudyInput, { mode: 'new_limit' | 'review_limit' }>, decks: string, now: number): { ids: number[]; reschedule: boolean } {
    const day = queue.studyDay(now);
    const base = `c.deck_id IN (SELECT value FROM json_each(@decks)) AND c.suspended = 0 AND c.buried_day IS NOT @today`;
    const params: Record<string, string | number> = { decks, today: day.today, max: SESSION_MAX };
    let sql: string;
    let reschedule = true;
    switch (input.mode) {
      case 'forgotten':
        params.since = day.start - (input.days - 1) * DAY_MS;
        sql = `SELECT c.id FROM cards c WHERE ${base}
                 AND c.id IN (SELECT card_id FROM revlog WHERE reviewed_at >= @since AND rating = 1)
               ORDER BY c.due, c.id LIMIT @max`;
        break;
      case 'ahead':
        params.from = day.end;
        params.until = day.end + input.days * DAY_MS;
        sql = `SELECT c.id FROM cards c WHERE ${base} AND c.state = 2 AND c.due >= @from AND c.due < @until ORDER BY c.due, c.id LIMIT @max`;
        break;
      case 'preview':
        reschedule = false;
        params.since = day.start - (input.days - 1) * DAY_MS;
        sql = `SELECT c.id FROM cards c WHERE ${base} AND c.state = 0 AND c.created_at >= @since ORDER BY c.new_position, c.id LIMIT @max`;
        break;
      case 'tag_state': {
        const include = tagCondition(input.includeTags, 'in');
        const exclude = tagCondition(input.excludeTags, 'ex');
        Object.assign(params, include.params, exclude.params);
        params.max = input.count;
        params.end = day.end;
        params.cutoff = day.learnCutoff;
        reschedule = input.state !== 'all';
        const state = {
          new: 'c.state = 0',
          due: '((c.state = 2 AND c.due < @end) OR (c.state IN (1, 3) AND c.due <= @cutoff))',
          review: 'c.state IN (2, 3)',
          all: '1',
        }[input.state];
        const order = input.state === 'new' ? 'c.new_position, c.id' : input.state === 'due' ? 'c.due, c.id' : 'random()';
        sql = `SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE ${base} AND ${state}
                 ${include.sql ? `AND ${include.sql}` : ''} ${exclude.sql ? `AND NOT ${exclude.sql}` : ''}
               ORDER BY ${order} LIMIT @max`;
        break;
      }
    }
    return { ids: statement(sql).all(params).map((r) => r.id), reschedule };
  }

  const create = db.transaction((input: CustomStudyInput, now: number) => {
    const { config } = queue.snapshot();
    const tree = config.subtree(input.deckId);
    if (!tree) throw new AppError('not_found', 'That deck no longer exists. It may have been deleted.');
    const day = queue.studyDay(now);
    if (input.mode === 'new_limit' || input.mode === 'review_limit') {
      pruneExtensions.run(day.today);
      addExtension.run({
        deck: input.deckId,
        day: day.today,
        extraNew: input.mode === 'new_limit' ? input.count : 0,
        extraReview: input.mode === 'review_limit' ? input.count : 0,
      });
      const limits = queue.snapshot().config.limitsOf(input.deckId, day.today);
      return { kind: 'limit' as const, newToday: limits.new, reviewToday: limits.review };
    }
    const { ids, reschedule } = pick(input, tree.json, now);
    if (ids.length === 0) throw new AppError('not_found', 'No cards in this deck match what you chose. Nothing was started.');
    deleteSessions.run();
    const sessionId = Number(insertSession.run(input.deckId, input.mode, TITLES[input.mode]!(input), reschedule ? 1 : 0, now).lastInsertRowid);
    ids.forEach((cardId, i) => insertCard.run(sessionId, cardId, i));
    return { kind: 'session' as const, session: toSession(requireSession(sessionId)) };
  });

  /** The session's next card, rendered like the deck queue's, with what is left by state. */
  function next(sessionId: number, now: number, avoidNoteId: number | null = null): StudyNext {
    const session = requireSession(sessionId);
    const rows = waiting.all({ session: sessionId, now });
    const counts = { new: 0, learning: 0, review: 0 };
    for (const r of rows) {
      if (r.state === 0) counts.new++;
      else if (r.state === 2) counts.review++;
      else counts.learning++;
    }
    const showable = (r: { due: number }, until: number) => r.due <= until;
    // Now, then learning ahead; a sibling of the card just answered only when nothing else is left.
    const choose = (until: number) =>
      rows.find((r) => showable(r, until) && r.note_id !== avoidNoteId) ?? rows.find((r) => showable(r, until));
    const chosen = choose(now) ?? choose(now + LEARN_AHEAD_MS);
    const { config } = queue.snapshot();
    const card = chosen ? study.studyCard(chosen.card_id, config, now) : null;
    if (card && session.reschedule === 0) card.intervals = [...PREVIEW_INTERVALS];
    return {
      deckPath: config.byId.get(session.deck_id)?.path ?? '',
      card,
      counts,
      nextLearningDue: chosen ? null : (rows[0]?.due ?? null),
      upcoming: null,
      session: { id: session.id, title: session.title, reschedule: session.reschedule === 1 },
    };
  }

  /** An answer in a session: see the top of this file. Returns what study.answer does, with the next card. */
  function answer(sessionId: number, cardId: number, rating: 1 | 2 | 3 | 4, durationMs: number, now: number) {
    const session = requireSession(sessionId);
    const inSession = entry.get(sessionId, cardId);
    if (!inSession || inSession.done) throw new AppError('not_found', 'That card is no longer in this custom study session.');
    const noteId = study.studyCard(cardId, queue.snapshot().config, now).noteId;
    let result;
    if (session.reschedule) {
      result = study.answer(cardId, rating, durationMs, now);
      const learning = result.state === 'learning' || result.state === 'relearning';
      setEntry.run(learning ? 0 : 1, learning ? result.due : 0, sessionId, cardId);
    } else {
      const card = cardState.get(cardId)!;
      if (card.suspended) throw new AppError('conflict', 'This card is suspended. Unsuspend it in Browse to study it.');
      const again = rating === 1 ? PREVIEW_AGAIN_MS : rating === 2 ? PREVIEW_HARD_MS : null;
      setEntry.run(again === null ? 1 : 0, again === null ? 0 : now + again, sessionId, cardId);
      result = { cardId, state: study.studyCard(cardId, queue.snapshot().config, now).state, due: card.due, leech: false, suspended: false };
    }
    return { ...result, next: next(sessionId, now, noteId) };
  }

  return {
    create,
    next,
    answer,
    current(): CustomSession | null {
      const row = selectCurrent.get();
      return row ? toSession(row) : null;
    },
    end(sessionId: number): void {
      requireSession(sessionId);
      deleteSession.run(sessionId);
    },
    /** An undone answer puts its card back into any session it had finished in. */
    undone(cardId: number): void {
      reopen.run(cardId);
    },
  };
}
