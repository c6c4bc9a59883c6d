// Cards and review history written straight into a test collection, so curriculum and stats tests can
// set up memory states and years of history precisely without answering cards one by one.
import { sortFieldHash } from '../../electron/core/flashcards/sortFieldHash';
import type { TestCore } from './testCore';

let guidCounter = 0;

export interface CardSpec {
  deckId: number;
  tags?: string[];
  /** 0 new, 1 learning, 2 review, 3 relearning. */
  state?: number;
  due?: number;
  stability?: number;
  difficulty?: number;
  lastReview?: number | null;
  suspended?: boolean;
}

/** One Basic note with one card; returns the card id. */
export function addCard(core: TestCore, spec: CardSpec): number {
  const db = core.ctx.db;
  const now = core.clock.now();
  const tags = spec.tags?.length ? ` ${spec.tags.join(' ')} ` : '';
  const note = db
    .prepare('INSERT INTO notes (guid, note_type_id, fields, sort_field, sort_field_hash, tags, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?)')
    .run(`fixture-${++guidCounter}`, JSON.stringify([`Q${guidCounter}`, 'A']), `Q${guidCounter}`, sortFieldHash(`Q${guidCounter}`), tags, now, now);
  const card = db
    .prepare(
      `INSERT INTO cards (note_id, deck_id, ord, state, due, stability, difficulty, last_review, suspended, created_at, updated_at)
       VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      note.lastInsertRowid,
      spec.deckId,
      spec.state ?? 0,
      spec.due ?? now,
      spec.stability ?? 0,
      spec.difficulty ?? 0,
      spec.lastReview ?? null,
      spec.suspended ? 1 : 0,
      now,
      now,
    );
  return Number(card.lastInsertRowid);
}

export interface ReviewSpec {
  cardId: number;
  at: number | string;
  rating: number;
  stateBefore?: number;
  durationMs?: number;
  lastReviewBefore?: number | null;
  scheduledDaysBefore?: number;
}

const insertReviewSql = `INSERT INTO revlog (card_id, reviewed_at, rating, duration_ms, state_before, due_before, stability_before,
  difficulty_before, scheduled_days_before, learning_steps_before, reps_before, lapses_before, last_review_before,
  state_after, due_after, stability_after, difficulty_after, scheduled_days_after, learning_steps_after)
  VALUES (?, ?, ?, ?, ?, 0, 1, 5, ?, 0, 0, 0, ?, 2, 0, 2, 5, 1, 0)`;

/** Answers in the review log, written in one transaction. */
export function addReviews(core: TestCore, specs: readonly ReviewSpec[]): void {
  const insert = core.ctx.db.prepare(insertReviewSql);
  core.ctx.db.transaction(() => {
    for (const spec of specs) {
      const at = typeof spec.at === 'string' ? new Date(spec.at).getTime() : spec.at;
      insert.run(spec.cardId, at, spec.rating, spec.durationMs ?? 5000, spec.stateBefore ?? 2, spec.scheduledDaysBefore ?? 3, spec.lastReviewBefore ?? null);
    }
  })();
}

/** One answer in the review log. */
export function addReview(core: TestCore, spec: ReviewSpec): void {
  addReviews(core, [spec]);
}

export const DAY = 86_400_000;

/** Runs `fn` with process.env.TZ set, restoring the previous zone afterwards. */
export async function inTimeZone<T>(tz: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env.TZ;
  process.env.TZ = tz;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

/** Tests that build their own "Starter::..." decks start without the bundled ones (when a collection seeds them). */
export async function withoutStarterDecks(core: TestCore): Promise<void> {
  const starter = (await core.call('decks.list')).decks.find((d) => d.parentId === null && d.name === 'Starter');
  if (starter) await core.call('decks.delete', { id: starter.id });
}
