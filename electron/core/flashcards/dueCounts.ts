// Each deck's own cards that could be shown today (new, reviews due, learning due), the counts the
// daily limits are applied to. Every study call needs them for the whole deck tree, so the new and
// review counts are kept between calls: they change only when cards are written, and an answer (the
// write that happens between two study calls) says which card changed, so the kept counts follow it
// instead of being counted again. Each count reads a little past the cap (COUNT_SLACK), so that an
// answer taking a card out of a deck with more cards than the cap leaves a count still known to be at
// least the cap, which is all that is shown: only after that many answers in one deck is that kind
// (new or review) of that deck counted again. Anything else written on this connection (total_changes() moves
// without an answer accounting for it), a write by another connection (data_version), a new study day or
// different limits counts them again. Learning counts depend on the clock (the learn-ahead cutoff
// moves), so they are always counted, in one small grouped statement. Counts read inside a
// transaction, which may still roll back, are used but not kept.
import type { Db } from '../context';
import type { Counters } from './studiedToday';
import type { DeckSet } from './studyConfig';

const NOT_BURIED = 'buried_day IS NOT @today';

/**
 * The unsuspended learning and relearning cards of the decks in @decks (a JSON array), with no `IN` list:
 * SQLite builds each `IN (...)` list as a temporary table, and on a connection whose page cache has
 * filled (a large collection, after a while) making and dropping one costs a tenth of a millisecond or
 * more (its first pages are allocated and handed back to the system each time), several times the
 * lookups themselves. The study queue reads these on every call; the joins walk the same index ranges.
 */
export const LEARNING_CARDS = `json_each(@decks) j CROSS JOIN json_each('[1,3]') s
  CROSS JOIN cards c ON c.deck_id = j.value AND c.state = s.value AND c.suspended = 0`;

/** How far past the cap each deck's counts read: answers in a deck before it is counted again. */
export const COUNT_SLACK = 50;

/** A deck's own cards that could be shown today, before the tree's limits. */
export interface OwnCounts {
  /** Capped at the highest new limit of the set: no deck could show more. */
  new: number;
  /** Capped likewise at the highest review limit. */
  review: number;
  learning: number;
}

/** The counts of a deck with nothing to show. */
export const NO_CARDS: OwnCounts = { new: 0, review: 0, learning: 0 };

/** The study day the counts are for (see queue.ts). */
interface CountDay {
  today: number;
  end: number;
  learnCutoff: number;
}

/** The columns of a card that decide whether it counts, before or after an answer. */
export interface CountedCard {
  deck_id: number;
  state: number;
  due: number;
  suspended: number;
  buried_day: number | null;
}

interface Kept extends Counters {
  today: number;
  end: number;
  byDeck: Map<number, KeptDeck>;
}

/** One deck's kept counts. */
interface KeptDeck {
  /**
   * Cards (or notes) that could be shown, exactly, or at least this many when `more` says so; null when
   * answers took that kind below what is known, to be counted again (the other kind stays as it is).
   */
  new: number | null;
  review: number | null;
  /** The count read as far as it goes (cap plus slack): there may be more. */
  more: { new: boolean; review: boolean };
  newCap: number;
  reviewCap: number;
  notesNew: boolean;
  notesReview: boolean;
}

export function makeDueCounts(db: Db) {
  // New and review counts stop a little past the set's highest limit (COUNT_SLACK), so a deck with
  // thousands of new cards costs no more than its limit.
  // A deck whose preset buries siblings shows one card of a note a day: it counts notes instead
  // (the second and third members of each JSON entry, see studyConfig.ts).
  const counted = (kind: 0 | 2, cap: string, extra = '') => {
    const where = `deck_id = j.value ->> 0 AND state = ${kind} AND suspended = 0 ${extra} AND ${NOT_BURIED}`;
    return `CASE WHEN j.value ->> ${kind === 0 ? 1 : 2}
              THEN (SELECT count(*) FROM (SELECT DISTINCT note_id FROM cards WHERE ${where} LIMIT ${cap}))
              ELSE (SELECT count(*) FROM (SELECT 1 FROM cards WHERE ${where} LIMIT ${cap})) END`;
  };
  const stableOf = db.prepare<
    { decks: string; today: number; end: number; newCap: number; reviewCap: number; countNew: number; countReview: number },
    { deck_id: number; new: number | null; review: number | null; notes_new: number; notes_review: number }
  >(
    `SELECT j.value ->> 0 AS deck_id, CASE WHEN @countNew THEN ${counted(0, '@newCap')} END AS new,
            CASE WHEN @countReview THEN ${counted(2, '@reviewCap', 'AND due < @end')} END AS review,
            j.value ->> 1 AS notes_new, j.value ->> 2 AS notes_review
       FROM json_each(@decks) j`,
  );
  const learningOf = db.prepare<{ decks: string; today: number; cutoff: number }, { deck_id: number; learning: number }>(
    `SELECT c.deck_id, count(*) AS learning FROM ${LEARNING_CARDS}
      WHERE c.due <= @cutoff AND c.${NOT_BURIED}
      GROUP BY c.deck_id`,
  );
  let kept: Kept | null = null;

  function fresh(day: CountDay, counters: Counters): Kept {
    return { ...counters, today: day.today, end: day.end, byDeck: new Map() };
  }

  /**
   * Each deck's own counts; `counters` are the connection's, read when the caller's snapshot was, and
   * `countJson` makes the JSON the counts read for some of the set's decks (studyConfig.ts).
   */
  function own(set: DeckSet, day: CountDay, counters: Counters, countJson: (decks: DeckSet['decks']) => string): Map<number, OwnCounts> {
    const valid =
      kept && kept.today === day.today && kept.end === day.end && kept.changes === counters.changes && kept.dataVersion === counters.dataVersion;
    const reuse = valid ? kept! : fresh(day, counters);
    // Inside a transaction, counts may see writes that roll back later: work on a copy.
    const use = db.inTransaction ? { ...reuse, byDeck: new Map(reuse.byDeck) } : reuse;
    // Decks never counted (or under other caps) are counted whole; a deck whose answers took one kind
    // below what is known has that kind counted again. One statement per combination.
    const toCount = new Map<string, { countNew: boolean; countReview: boolean; decks: DeckSet['decks'] }>();
    for (const d of set.decks) {
      const k = use.byDeck.get(d.id);
      const whole = !k || k.newCap !== set.newCap || k.reviewCap !== set.reviewCap;
      const countNew = whole || k.new === null;
      const countReview = whole || k.review === null;
      if (!countNew && !countReview) continue;
      const key = `${countNew}/${countReview}`;
      const group = toCount.get(key) ?? { countNew, countReview, decks: [] };
      group.decks.push(d);
      toCount.set(key, group);
    }
    const newLimit = set.newCap + COUNT_SLACK;
    const reviewLimit = set.reviewCap + COUNT_SLACK;
    for (const { countNew, countReview, decks } of toCount.values()) {
      const rows = stableOf.all({
        decks: decks.length === set.decks.length ? set.countJson : countJson(decks),
        today: day.today,
        end: day.end,
        newCap: newLimit,
        reviewCap: reviewLimit,
        countNew: countNew ? 1 : 0,
        countReview: countReview ? 1 : 0,
      });
      for (const r of rows) {
        // A new entry each time: inside a transaction the kept entries are shared with the copy.
        const had = countNew && countReview ? undefined : use.byDeck.get(r.deck_id)!;
        use.byDeck.set(r.deck_id, {
          new: countNew ? r.new! : had!.new,
          review: countReview ? r.review! : had!.review,
          more: {
            new: countNew ? r.new! >= newLimit : had!.more.new,
            review: countReview ? r.review! >= reviewLimit : had!.more.review,
          },
          newCap: set.newCap,
          reviewCap: set.reviewCap,
          notesNew: r.notes_new === 1,
          notesReview: r.notes_review === 1,
        });
      }
    }
    if (!db.inTransaction) kept = use;

    const learning = new Map(learningOf.all({ decks: set.json, today: day.today, cutoff: day.learnCutoff }).map((r) => [r.deck_id, r.learning]));
    const counts = new Map<number, OwnCounts>();
    for (const d of set.decks) {
      const k = use.byDeck.get(d.id)!;
      counts.set(d.id, { new: Math.min(k.new!, set.newCap), review: Math.min(k.review!, set.reviewCap), learning: learning.get(d.id) ?? 0 });
    }
    return counts;
  }

  /** Which kept count a card is in, if any. */
  function kind(card: CountedCard, k: Kept): 'new' | 'review' | null {
    if (card.suspended || card.buried_day === k.today) return null;
    if (card.state === 0) return 'new';
    return card.state === 2 && card.due < k.end ? 'review' : null;
  }

  /**
   * An answer changed one note's cards (the answered card, siblings it buried), and nothing else that
   * counts: the kept counts follow, if they were current when the answer began. `before` and `after`
   * are the connection's counters around the answer's commit; `note` holds every card of the note
   * before and after the answer. Otherwise they are counted again.
   */
  function answered(before: Counters, after: Counters, note: { before: CountedCard[]; after: CountedCard[] }): void {
    // Inside an outer transaction the answer is not committed yet, and may never be.
    if (!kept || db.inTransaction || kept.changes !== before.changes || kept.dataVersion !== before.dataVersion) {
      kept = null;
      return;
    }
    const decks = new Set([...note.before, ...note.after].map((c) => c.deck_id));
    for (const deckId of decks) follow(kept, deckId, note);
    if (after.dataVersion !== before.dataVersion) kept = null;
    else kept.changes = after.changes;
  }

  /**
   * One deck's counts moved by how many of the note's cards it counts before and after: each card, or
   * the note once where the deck counts notes. A count read to its end may hide more cards: it stays a
   * lower bound, and that kind alone is counted again once it could fall below the cap it is shown up to.
   */
  function follow(k: Kept, deckId: number, note: { before: CountedCard[]; after: CountedCard[] }): void {
    const entry = k.byDeck.get(deckId);
    if (!entry) return;
    for (const what of ['new', 'review'] as const) {
      const howMany = (cards: CountedCard[]) => {
        const n = cards.filter((c) => c.deck_id === deckId && kind(c, k) === what).length;
        return (what === 'new' ? entry.notesNew : entry.notesReview) ? Math.min(1, n) : n;
      };
      const known = entry[what];
      if (known === null) continue;
      const delta = howMany(note.after) - howMany(note.before);
      const cap = what === 'new' ? entry.newCap : entry.reviewCap;
      const after = known + delta;
      if (entry.more[what] && after < cap) {
        entry[what] = null;
        continue;
      }
      entry[what] = Math.max(0, after);
    }
  }

  return { own, answered };
}
