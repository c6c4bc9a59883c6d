// An Anki card's schedule in Cadence's terms (ts-fsrs states, epoch-ms due dates) and its review
// history as Cadence review-log rows. Memory state (stability, difficulty) comes from the FSRS data
// Anki keeps in cards.data when present, else from replaying the review history through ts-fsrs, else
// from the SM-2 interval and ease; the due date is always Anki's, so nothing falls due earlier or later
// than it would have in Anki.
import { createEmptyCard, default_w, fsrs, State, type Card, type FSRSHistory, type Grade } from 'ts-fsrs';
import type { AnkiCard, AnkiReview } from './model';

const DAY_MS = 86_400_000;
const scheduler = fsrs();
/** Cadence's default learning steps (1m 10m) and relearning steps (10m): Anki's `left` is read against them. */
const LEARNING_STEPS = 2;
const RELEARNING_STEPS = 1;

export interface CardSchedule {
  state: number;
  due: number;
  stability: number;
  difficulty: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  lastReview: number | null;
  suspended: boolean;
  buried: boolean;
  /** For new cards: Anki's position in the new queue (lower comes first). */
  newPosition: number;
}

export interface ReviewRow {
  reviewedAt: number;
  rating: number;
  durationMs: number;
  /** An answer that moved the schedule (not a manual change or cramming). */
  graded: boolean;
  before: Card;
  after: Card;
}

/** What Cadence keeps in an exported card's custom data so a round trip restores exact times. */
export interface CadenceCustomData {
  cdue?: number;
  clr?: number;
}

interface CardData {
  s?: number;
  d?: number;
  lrt?: number;
  cd?: CadenceCustomData;
}

function parseData(data: string): CardData {
  if (!data || data[0] !== '{') return {};
  try {
    const parsed = JSON.parse(data) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    const cd = parsed.cd && typeof parsed.cd === 'object' ? (parsed.cd as Record<string, unknown>) : {};
    return { s: num(parsed.s), d: num(parsed.d), lrt: num(parsed.lrt), cd: { cdue: num(cd.cdue), clr: num(cd.clr) } };
  } catch {
    return {};
  }
}

const emptyCard = (ms: number): Card => createEmptyCard<Card>(new Date(ms));
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Anki's "reset" (Forget): a manual entry with no ease that made the card new again. */
const isReset = (r: AnkiReview) => r.ease === 0 && r.type === 4 && r.factor === 0;
/** Cramming in a filtered deck without rescheduling: recorded, but it did not change the schedule. */
const isCram = (r: AnkiReview) => r.type === 3 && r.factor === 0;
const isGraded = (r: AnkiReview) => r.ease >= 1 && r.ease <= 4 && !isCram(r);

/**
 * Replays a card's history with ts-fsrs (its `reschedule`, one run per stretch between resets) and
 * returns one review-log row per Anki entry, with the FSRS state before and after it, plus the final card.
 */
export function replayHistory(reviews: readonly AnkiReview[]): { rows: ReviewRow[]; last: Card | null } {
  const rows: ReviewRow[] = [];
  let card: Card | null = null;
  let i = 0;
  while (i < reviews.length) {
    let end = i;
    while (end < reviews.length && !isReset(reviews[end]!)) end++;
    const stretch = reviews.slice(i, end);
    const graded = stretch.filter(isGraded);
    let replayed: Card[] = [];
    if (graded.length) {
      const start = card ?? emptyCard(graded[0]!.id);
      const history: FSRSHistory[] = graded.map((r) => ({ rating: r.ease as Grade, review: new Date(r.id) }));
      replayed = scheduler.reschedule(start, history, { skipManual: true, first_card: start }).collections.map((c) => c.card);
    }
    let g = 0;
    for (const r of stretch) {
      const before = card ?? emptyCard(r.id);
      const durationMs = Math.max(0, r.time);
      if (isGraded(r)) {
        const after = replayed[g++]!;
        rows.push({ reviewedAt: r.id, rating: r.ease, durationMs, graded: true, before, after });
        card = after;
      } else {
        // Manual changes and cramming leave the memory state as it was.
        rows.push({ reviewedAt: r.id, rating: isCram(r) ? clamp(r.ease, 0, 4) : 0, durationMs, graded: false, before, after: before });
      }
    }
    if (end < reviews.length) {
      const reset = reviews[end]!;
      const fresh = emptyCard(reset.id);
      rows.push({ reviewedAt: reset.id, rating: 0, durationMs: Math.max(0, reset.time), graded: false, before: card ?? fresh, after: fresh });
      card = null;
    }
    i = end + 1;
  }
  return { rows, last: card };
}

/**
 * The card's schedule in Cadence. `crt` is the collection's creation (epoch seconds), day 0 of Anki's
 * review due numbers; `createdAt` is when the card was made (new cards are due from then).
 */
export function convertSchedule(card: AnkiCard, reviews: readonly AnkiReview[], crt: number, createdAt: number): { schedule: CardSchedule; rows: ReviewRow[] } {
  const data = parseData(card.data);
  // A card in a filtered deck keeps its real due date in odue.
  const rawDue = card.odid ? card.odue || card.due : card.due;
  // Anki's first scheduler kept relearning cards as reviews (type 2) in the learning queue.
  const state = card.type === 2 && card.queue === 1 ? State.Relearning : clamp(card.type, 0, 3);
  const dayToMs = (day: number) => (crt + day * 86_400) * 1000;
  let due: number;
  if (state === State.New) due = createdAt;
  else if (state === State.Review) due = dayToMs(rawDue);
  else if (card.queue === 1 || card.queue === 4) due = rawDue * 1000;
  else if (card.queue === 3) due = dayToMs(rawDue);
  else due = rawDue > 1_000_000_000 ? rawDue * 1000 : dayToMs(rawDue); // suspended or buried learning card

  // Exact times Cadence stored on export, used only while Anki has not rescheduled the card since.
  const cdue = data.cd?.cdue;
  const tolerance = state === State.Review || card.queue === 3 ? DAY_MS : 1000;
  if (state !== State.New && cdue !== undefined && Math.abs(cdue - due) < tolerance) due = cdue;

  const { rows, last } = replayHistory(reviews);
  let stability = 0;
  let difficulty = 0;
  if (state !== State.New) {
    if (data.s !== undefined && data.d !== undefined && data.s > 0) {
      stability = data.s;
      difficulty = clamp(data.d, 1, 10);
    } else if (last && last.stability > 0) {
      stability = last.stability;
      difficulty = last.difficulty;
    } else {
      // SM-2 only: the interval is close to the time recall falls to 90 %, and a lower ease means a harder card.
      stability = card.ivl > 0 ? card.ivl : default_w[2]!;
      difficulty = card.factor > 0 ? clamp(11 - ((card.factor / 1000 - 1.3) / 1.7) * 9, 1, 10) : 5;
    }
  }

  const graded = rows.filter((r) => r.graded);
  let lastReview: number | null = graded.length ? graded[graded.length - 1]!.reviewedAt : null;
  if (lastReview === null && data.lrt) lastReview = data.lrt * 1000;
  if (lastReview === null && state === State.Review) lastReview = due - card.ivl * DAY_MS;
  if (lastReview === null && state !== State.New) lastReview = Math.min(due, createdAt);
  const clr = data.cd?.clr;
  if (state !== State.New && clr !== undefined && lastReview !== null && Math.abs(clr - lastReview) < 1000) lastReview = clr;
  if (state === State.New) lastReview = null;

  const remaining = card.left % 1000;
  const learningSteps =
    state === State.Learning ? clamp(LEARNING_STEPS - remaining, 0, LEARNING_STEPS) : state === State.Relearning ? clamp(RELEARNING_STEPS - remaining, 0, RELEARNING_STEPS) : 0;

  return {
    schedule: {
      state,
      due,
      stability,
      difficulty,
      scheduledDays: state === State.Review ? Math.max(0, card.ivl) : 0,
      learningSteps,
      reps: Math.max(0, card.reps),
      lapses: Math.max(0, card.lapses),
      lastReview,
      suspended: card.queue === -1,
      buried: card.queue === -2 || card.queue === -3,
      newPosition: state === State.New ? rawDue : 0,
    },
    rows,
  };
}
