// The day's new cards and reviews of a deck tree in the order the preset of the deck being studied
// asks for (Anki's display order): new cards are gathered (by deck, position or random notes) as far
// as the daily limits allow, then sorted (card type first keeps siblings apart); reviews are sorted by
// due day then at random, by interval, by retrievability, ... With a sibling option on, one card of a
// note is gathered.
//
// Gathering reads every candidate of the tree once, so its result is kept per deck and study day and
// handed out card by card: the queue walks the kept list, skipping cards that were answered, buried or
// suspended since, or whose deck has no room left. A list that has nothing left while the counts say
// there is more (cards unsuspended, added, a limit raised) is gathered again.
//
// "Random" is a shuffle seeded by the study day: the same all day (so the upcoming card shown ahead is
// the one that comes), different the next day.
import type { NewGatherOrder, NewSortOrder, Preset, ReviewSortOrder } from '../../../shared/contract/flashcards';
import type { Db } from '../context';
import type { LimitRoom } from './limits';
import { recallSql } from './retrievability';
import type { Subtree } from './studyConfig';

const DAY_MS = 86_400_000;
/** A prime modulus for the day's shuffle in SQL: products stay below 2^62. */
const P = 2_147_483_647;

/** The day's shuffle key of an id, in SQL (the multiplier and offset come from the day, see seed()). */
const shuffled = (column: string) => `((${column} % ${P}) * @mul + @add) % ${P}`;

const NEW_ORDER: Record<NewGatherOrder, string> = {
  deck: 'j.key, c.new_position, c.id',
  deck_random_notes: `j.key, ${shuffled('c.note_id')}, c.note_id, c.ord`,
  ascending: 'c.new_position, c.id',
  descending: 'c.new_position DESC, c.id DESC',
  random_notes: `${shuffled('c.note_id')}, c.note_id, c.ord`,
  random_cards: `${shuffled('c.id')}, c.id`,
};

const DUE_DAY = `CAST((c.due - @start) / ${DAY_MS}.0 + 1000000 AS INTEGER)`;
const REVIEW_ORDER: Record<ReviewSortOrder, string> = {
  due_random: `${DUE_DAY}, ${shuffled('c.id')}`,
  due_deck: `${DUE_DAY}, j.key, c.due, c.id`,
  deck_due: 'j.key, c.due, c.id',
  interval_asc: `c.scheduled_days, ${shuffled('c.id')}`,
  interval_desc: `c.scheduled_days DESC, ${shuffled('c.id')}`,
  // Least likely to be remembered first: Anki's "relative overdueness" under FSRS.
  retrievability_asc: `${recallSql('c.stability', 'c.last_review', '@now')}, c.id`,
  random: `${shuffled('c.id')}, c.id`,
};

export interface GatherDay {
  today: number;
  start: number;
  end: number;
  now: number;
}

interface Candidate {
  id: number;
  note_id: number;
  deck_id: number;
  ord: number;
}

/** The day's shuffle: a multiplier and offset for SQL, and the same idea for sorting in JavaScript. */
function seed(today: number) {
  const mul = ((today * 7919 + 104_729) % (P - 1)) + 1;
  const add = (today * 48_271) % P;
  const mix = (id: number) => {
    // 32-bit integer hash of the id and the day (murmur3's finaliser).
    let h = Math.imul((id % 0x7fffffff) ^ Math.imul(today, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  return { mul, add, mix };
}

function sortNew(cards: Candidate[], order: NewSortOrder, mix: (id: number) => number): Candidate[] {
  const gathered = new Map(cards.map((c, i) => [c.id, i]));
  const by = (...keys: ((c: Candidate) => number)[]) =>
    [...cards].sort((a, b) => {
      for (const key of keys) {
        const d = key(a) - key(b);
        if (d !== 0) return d;
      }
      return 0;
    });
  const at = (c: Candidate) => gathered.get(c.id)!;
  switch (order) {
    case 'gathered':
      return cards;
    case 'type_then_gathered':
      return by((c) => c.ord, at);
    case 'type_then_random':
      return by((c) => c.ord, (c) => mix(c.id), at);
    case 'random_note_then_type':
      return by((c) => mix(c.note_id), (c) => c.note_id, (c) => c.ord);
    case 'random':
      return by((c) => mix(c.id), at);
  }
}

export interface Gathered {
  /** Card ids in the order they are shown; answered ones are dropped as the queue meets them. */
  ids: number[];
}

export function makeGather(db: Db) {
  const newCandidates = new Map<NewGatherOrder, ReturnType<typeof prepare>>();
  const reviewCandidates = new Map<ReviewSortOrder, ReturnType<typeof prepare>>();
  function prepare(kind: 'new' | 'review', order: string) {
    const where =
      kind === 'new' ? 'c.state = 0 AND c.suspended = 0' : 'c.state = 2 AND c.suspended = 0 AND c.due < @end';
    return db.prepare<Record<string, number | string>, Candidate>(
      `SELECT c.id, c.note_id, c.deck_id, c.ord FROM json_each(@decks) j JOIN cards c ON c.deck_id = j.value
        WHERE ${where} AND c.buried_day IS NOT @today
        ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    );
  }
  const statement = (kind: 'new' | 'review', order: NewGatherOrder | ReviewSortOrder) => {
    const map = (kind === 'new' ? newCandidates : reviewCandidates) as Map<string, ReturnType<typeof prepare>>;
    let s = map.get(order);
    if (!s) {
      s = prepare(kind, kind === 'new' ? NEW_ORDER[order as NewGatherOrder] : REVIEW_ORDER[order as ReviewSortOrder]);
      map.set(order, s);
    }
    return s;
  };

  /**
   * Takes candidates in order while the limits have room (`room` is used up), one per note where the
   * card's preset buries that kind of sibling, until `want` are taken or none are left.
   */
  function take(
    kind: 'new' | 'review',
    order: NewGatherOrder | ReviewSortOrder,
    tree: Subtree,
    day: GatherDay,
    room: LimitRoom,
    want: number,
    presetOf: (deckId: number) => Preset,
  ): Candidate[] {
    const taken: Candidate[] = [];
    if (want <= 0) return taken;
    const seenNotes = new Set<number>();
    const { mul, add } = seed(day.today);
    const page = Math.max(100, want * 3);
    for (let offset = 0; taken.length < want; offset += page) {
      const rows = statement(kind, order).all({ decks: tree.json, today: day.today, start: day.start, end: day.end, now: day.now, mul, add, limit: page, offset });
      for (const c of rows) {
        const buries = kind === 'new' ? presetOf(c.deck_id).buryNew : presetOf(c.deck_id).buryReview;
        if (buries && seenNotes.has(c.note_id)) continue;
        if (!room.fits(c.deck_id)) continue;
        room.take(c.deck_id);
        seenNotes.add(c.note_id);
        taken.push(c);
        if (taken.length >= want) break;
      }
      if (rows.length < page) break;
    }
    return taken;
  }

  /** The day's new cards of a tree, gathered and sorted by the preset of the deck studied. */
  function newCards(tree: Subtree, day: GatherDay, preset: Preset, room: LimitRoom, want: number, presetOf: (deckId: number) => Preset): Gathered {
    const cards = take('new', preset.newGatherOrder, tree, day, room, want, presetOf);
    return { ids: sortNew(cards, preset.newSortOrder, seed(day.today).mix).map((c) => c.id) };
  }

  /** The day's reviews of a tree, in the review order of the preset of the deck studied. */
  function reviews(tree: Subtree, day: GatherDay, preset: Preset, room: LimitRoom, want: number, presetOf: (deckId: number) => Preset): Gathered {
    return { ids: take('review', preset.reviewSortOrder, tree, day, room, want, presetOf).map((c) => c.id) };
  }

  return { newCards, reviews };
}
export type Gather = ReturnType<typeof makeGather>;
