// The study queue of a deck tree (the deck and its subdecks). Order, as in Anki: learning cards that are
// due, by due time; then reviews due today, by due; then new cards by position, within the daily limits;
// then learning cards due within the next 20 minutes (learn ahead) rather than ending the session early.
// Each call reads only what it needs through the (deck_id, state, due) and (deck_id, new_position)
// indexes, so it stays fast on large collections: nothing is cached between calls.
import { studyDayEnd, studyDayNumber, studyDayStart } from '../../../shared/studyDay';
import type { Deck } from '../../../shared/contract/decks';
import type { StudyCounts } from '../../../shared/contract/flashcards';
import type { Db } from '../context';
import { makeSettingsStore } from '../settings';
import { makeDeckStore } from './decks';
import { allowedPerDeck, type LimitDeck } from './limits';

/** Learning cards due this soon are shown when nothing else is left (Anki's "learn ahead limit"). */
export const LEARN_AHEAD_MS = 20 * 60_000;

export interface StudyDay {
  /** Study day number (shared/studyDay.ts), what buried_day is compared with. */
  today: number;
  start: number;
  end: number;
  now: number;
  /** Learning cards due up to here count as due. */
  learnCutoff: number;
}

export interface TreeLimits {
  /** The root's subtree in tree order. */
  decks: Deck[];
  newAllowed: Map<number, number>;
  reviewAllowed: Map<number, number>;
}

type Studied = Map<number, { new: number; review: number }>;

/**
 * Answers today per deck, counted from the review log and kept per open database between calls: the
 * count is redone whenever anything else wrote to the database (total_changes() moved) or another
 * connection did (data_version moved), and answers and undos made through the study code adjust it in
 * place. So a study session does not re-read the day's review log on every card.
 */
const studiedCache = new WeakMap<Db, { start: number; end: number; stamp: string; byDeck: Studied }>();

interface PresetLimitRow {
  id: number;
  new_per_day: number;
  reviews_per_day: number;
}

export function makeStudyQueue(db: Db) {
  const deckStore = makeDeckStore(db);
  const settings = makeSettingsStore(db);
  const presetLimits = db.prepare<[], PresetLimitRow>('SELECT id, new_per_day, reviews_per_day FROM presets');
  // Answers today by the deck the card is in now; new = first answers of new cards, review = answers of
  // review cards (learning steps are not limited). Manual changes (rating 0) do not count.
  const studiedToday = db.prepare<[number], { deck_id: number; new: number; review: number }>(
    `SELECT c.deck_id, sum(r.state_before = 0) AS new, sum(r.state_before = 2) AS review
       FROM revlog r JOIN cards c ON c.id = r.card_id
      WHERE r.reviewed_at >= ? AND r.rating > 0
      GROUP BY c.deck_id`,
  );
  const totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const stamp = () => `${totalChanges.get()}/${dataVersion.get()}`;

  function studiedByDeck(day: StudyDay): Studied {
    const cached = studiedCache.get(db);
    const now = stamp();
    if (cached && cached.start === day.start && cached.stamp === now) return cached.byDeck;
    const byDeck: Studied = new Map(studiedToday.all(day.start).map((r) => [r.deck_id, { new: r.new, review: r.review }]));
    studiedCache.set(db, { start: day.start, end: day.end, stamp: now, byDeck });
    return byDeck;
  }

  /**
   * Keeps the day's counts current after a write the caller fully describes (an answer, +1, or its
   * undo, -1), provided they were current before it (`before` = stamp() taken just before the write).
   */
  function adjustStudied(before: string, deckId: number, stateBefore: number, reviewedAt: number, delta: 1 | -1): void {
    const cached = studiedCache.get(db);
    if (!cached || cached.stamp !== before || reviewedAt < cached.start || reviewedAt >= cached.end) return;
    if (stateBefore === 0 || stateBefore === 2) {
      const counts = cached.byDeck.get(deckId) ?? { new: 0, review: 0 };
      if (stateBefore === 0) counts.new += delta;
      else counts.review += delta;
      cached.byDeck.set(deckId, counts);
    }
    cached.stamp = stamp();
  }

  const NOT_BURIED = '(buried_day IS NULL OR buried_day <> @today)';
  const countReviews = db.prepare<{ deck: number; end: number; today: number; cap: number }, { n: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM cards WHERE deck_id = @deck AND state = 2 AND suspended = 0 AND due < @end
        AND ${NOT_BURIED} LIMIT @cap)`,
  );
  const countNew = db.prepare<{ deck: number; today: number; cap: number }, { n: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM cards WHERE deck_id = @deck AND state = 0 AND suspended = 0 AND ${NOT_BURIED} LIMIT @cap)`,
  );
  const countLearning = db.prepare<{ decks: string; cutoff: number; today: number }, { n: number }>(
    `SELECT count(*) AS n FROM cards WHERE deck_id IN (SELECT value FROM json_each(@decks)) AND state IN (1, 3)
        AND suspended = 0 AND due <= @cutoff AND ${NOT_BURIED}`,
  );
  const firstLearning = db.prepare<{ decks: string; cutoff: number; today: number }, { id: number; due: number }>(
    `SELECT id, due FROM cards WHERE deck_id IN (SELECT value FROM json_each(@decks)) AND state IN (1, 3)
        AND suspended = 0 AND due <= @cutoff AND ${NOT_BURIED} ORDER BY due, id LIMIT 1`,
  );
  const laterLearning = db.prepare<{ decks: string; today: number }, { due: number | null }>(
    `SELECT min(due) AS due FROM cards WHERE deck_id IN (SELECT value FROM json_each(@decks)) AND state IN (1, 3)
        AND suspended = 0 AND ${NOT_BURIED}`,
  );
  const firstReview = db.prepare<{ deck: number; end: number; today: number }, { id: number; due: number }>(
    `SELECT id, due FROM cards WHERE deck_id = @deck AND state = 2 AND suspended = 0 AND due < @end AND ${NOT_BURIED}
      ORDER BY due, id LIMIT 1`,
  );
  const firstNew = db.prepare<{ deck: number; today: number }, { id: number; new_position: number }>(
    `SELECT id, new_position FROM cards WHERE deck_id = @deck AND state = 0 AND suspended = 0 AND ${NOT_BURIED}
      ORDER BY new_position, id LIMIT 1`,
  );
  const cardForPreference = db.prepare<[number], { id: number; deck_id: number; state: number; due: number; suspended: number; buried_day: number | null }>(
    'SELECT id, deck_id, state, due, suspended, buried_day FROM cards WHERE id = ?',
  );

  function studyDay(now: number): StudyDay {
    const rollover = settings.get().dayRolloverHour;
    return {
      today: studyDayNumber(now, rollover),
      start: studyDayStart(now, rollover),
      end: studyDayEnd(now, rollover),
      now,
      learnCutoff: now + LEARN_AHEAD_MS,
    };
  }

  /** Every deck's subtree, and per-deck limits, for callers that work on many roots at once. */
  function limitInputs(day: StudyDay) {
    const decks = deckStore.list();
    const presets = new Map(presetLimits.all().map((p) => [p.id, p]));
    const studied = studiedByDeck(day);
    return { decks, presets, studied };
  }

  /** The root's subtree, in tree order (a contiguous run of the tree-ordered list). */
  function subtree(all: Deck[], rootId: number): Deck[] {
    const start = all.findIndex((d) => d.id === rootId);
    if (start < 0) return [];
    const root = all[start]!;
    let end = start + 1;
    while (end < all.length && all[end]!.depth > root.depth) end++;
    return all.slice(start, end);
  }

  /** Applies the new and review limits to a deck tree, given each deck's own available counts. */
  function applyLimits(
    decks: Deck[],
    rootId: number,
    inputs: ReturnType<typeof limitInputs>,
    available: (deck: Deck) => { new: number; review: number },
  ): TreeLimits {
    const newDecks: LimitDeck[] = [];
    const reviewDecks: LimitDeck[] = [];
    for (const d of decks) {
      const preset = inputs.presets.get(d.presetId);
      const studied = inputs.studied.get(d.id);
      const own = available(d);
      newDecks.push({ id: d.id, parentId: d.parentId, limit: preset?.new_per_day ?? 20, studied: studied?.new ?? 0, available: own.new });
      reviewDecks.push({
        id: d.id,
        parentId: d.parentId,
        limit: preset?.reviews_per_day ?? 200,
        studied: studied?.review ?? 0,
        available: own.review,
      });
    }
    return { decks, newAllowed: allowedPerDeck(newDecks, rootId), reviewAllowed: allowedPerDeck(reviewDecks, rootId) };
  }

  function sum(map: Map<number, number>): number {
    let total = 0;
    for (const n of map.values()) total += n;
    return total;
  }

  /**
   * The next card of a deck tree and the counts left today. `preferCardId` (the card an undo brought
   * back) comes first when it belongs to the tree and can be studied today.
   */
  function next(rootId: number, now: number, preferCardId?: number) {
    const day = studyDay(now);
    const inputs = limitInputs(day);
    const decks = subtree(inputs.decks, rootId);
    const deckIds = JSON.stringify(decks.map((d) => d.id));
    const limits = applyLimits(decks, rootId, inputs, (d) => {
      const preset = inputs.presets.get(d.presetId);
      return {
        new: countNew.get({ deck: d.id, today: day.today, cap: preset?.new_per_day ?? 20 })!.n,
        review: countReviews.get({ deck: d.id, end: day.end, today: day.today, cap: preset?.reviews_per_day ?? 200 })!.n,
      };
    });
    const counts: StudyCounts = {
      new: sum(limits.newAllowed),
      learning: countLearning.get({ decks: deckIds, cutoff: day.learnCutoff, today: day.today })!.n,
      review: sum(limits.reviewAllowed),
    };

    let cardId: number | null = null;
    if (preferCardId !== undefined) {
      const c = cardForPreference.get(preferCardId);
      const studyable = c && c.suspended === 0 && c.buried_day !== day.today && (c.state === 0 || c.due < day.end);
      if (c && studyable && decks.some((d) => d.id === c.deck_id)) cardId = c.id;
    }
    cardId ??= firstLearning.get({ decks: deckIds, cutoff: now, today: day.today })?.id ?? null;
    if (cardId === null) {
      let best: { id: number; due: number } | undefined;
      for (const d of decks) {
        if (!limits.reviewAllowed.get(d.id)) continue;
        const c = firstReview.get({ deck: d.id, end: day.end, today: day.today });
        if (c && (!best || c.due < best.due || (c.due === best.due && c.id < best.id))) best = c;
      }
      cardId = best?.id ?? null;
    }
    if (cardId === null) {
      let best: { id: number; new_position: number } | undefined;
      for (const d of decks) {
        if (!limits.newAllowed.get(d.id)) continue;
        const c = firstNew.get({ deck: d.id, today: day.today });
        if (c && (!best || c.new_position < best.new_position || (c.new_position === best.new_position && c.id < best.id))) best = c;
      }
      cardId = best?.id ?? null;
    }
    cardId ??= firstLearning.get({ decks: deckIds, cutoff: day.learnCutoff, today: day.today })?.id ?? null;
    const nextLearningDue = cardId === null ? (laterLearning.get({ decks: deckIds, today: day.today })?.due ?? null) : null;
    return { cardId, counts, nextLearningDue, day, decks };
  }

  return { next, studyDay, limitInputs, subtree, applyLimits, sum, stamp, adjustStudied };
}
export type StudyQueue = ReturnType<typeof makeStudyQueue>;
