// The study queue of a deck tree (the deck and its subdecks). Order, as in Anki: learning cards that are
// due, by due time; then reviews due today, by due; then new cards by position, within the daily limits;
// then learning cards due within the next 20 minutes (learn ahead) rather than ending the session early.
// A call is a handful of statements whatever the size of the tree: the decks' counts (dueCounts.ts,
// mostly kept between calls), one for the earliest learning card, and one each for the first review and
// the first new card among the decks whose limits leave room (per-deck lookups inside one statement,
// through the cards_deck_counts and cards_deck_new indexes). The deck tree, presets and rollover hour
// come from the shared snapshot (studyConfig.ts), today's answers per deck from the kept tally
// (studiedToday.ts).
//
// With the card to show, a call also works out the card that follows it once it is answered (the
// "upcoming" card), from the same counts: the review screen shows that one the moment a rating key goes
// down, without waiting for the answer's round trip. It holds until the next learning card comes due or
// the study day ends (its `until`), since either could put another card first.
import { studyDayEnd, studyDayNumber, studyDayStart } from '../../../shared/studyDay';
import type { Deck } from '../../../shared/contract/decks';
import type { Preset, StudyCounts } from '../../../shared/contract/flashcards';
import type { Db } from '../context';
import { allowedPerDeck, type LimitDeck } from './limits';
import { studiedToday, type Studied } from './studiedToday';
import { makeDueCounts, NO_CARDS, type CountedCard, type OwnCounts } from './dueCounts';
import { studyConfig, type ConfigRead, type DeckSet } from './studyConfig';

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

export interface LimitInputs {
  presets: ReadonlyMap<number, Preset>;
  studied: Studied;
}

const NOT_BURIED = 'buried_day IS NOT @today';

interface QueueCard extends CountedCard {
  id: number;
}

interface LearningCard {
  id: number;
  due: number;
}

/** Where the card to show came from (firstDue), or 'preferred' (brought back by an undo). */
interface Pick {
  cardId: number | null;
  kind: 'learning' | 'review' | 'new' | 'ahead' | 'preferred' | null;
}

/** The card that follows the one shown, and until when that holds (see the top of this file). */
export interface Upcoming {
  cardId: number;
  until: number;
}

export function makeStudyQueue(db: Db) {
  const config = studyConfig(db);
  const studied = studiedToday(db);

  const dueCounts = makeDueCounts(db);
  // The tree's earliest learning card, whenever it is due: the first card if it is due now, the last
  // resort if it is due within the learn-ahead window, and when the next one comes back otherwise.
  // @except: a card to leave out (the one shown, when finding the card after it), or null.
  const earliestLearning = db.prepare<{ decks: string; today: number; except: number | null }, LearningCard>(
    `SELECT id, due FROM cards WHERE deck_id IN (SELECT value FROM json_each(@decks)) AND state IN (1, 3)
        AND suspended = 0 AND ${NOT_BURIED} AND id IS NOT @except ORDER BY due, id LIMIT 1`,
  );
  // The first card of each deck (one index lookup per deck), then the first of those.
  const firstReview = db.prepare<{ decks: string; end: number; today: number; except: number | null }, { id: number }>(
    `SELECT c.id FROM json_each(@decks) j
       JOIN cards c ON c.id = (SELECT id FROM cards WHERE deck_id = j.value AND state = 2 AND suspended = 0
                                  AND due < @end AND ${NOT_BURIED} AND id IS NOT @except ORDER BY due, id LIMIT 1)
      ORDER BY c.due, c.id LIMIT 1`,
  );
  const firstNew = db.prepare<{ decks: string; today: number; except: number | null }, { id: number }>(
    `SELECT c.id FROM json_each(@decks) j
       JOIN cards c ON c.id = (SELECT id FROM cards WHERE deck_id = j.value AND state = 0 AND suspended = 0
                                  AND ${NOT_BURIED} AND id IS NOT @except ORDER BY new_position, id LIMIT 1)
      ORDER BY c.new_position, c.id LIMIT 1`,
  );
  const queueCard = db.prepare<[number], QueueCard>('SELECT id, deck_id, state, due, suspended, buried_day FROM cards WHERE id = ?');

  /** The deck tree, presets and rollover hour, current as of now. */
  function snapshot(): ConfigRead {
    return config.read();
  }

  function dayOf(now: number, rolloverHour: number): StudyDay {
    return {
      today: studyDayNumber(now, rolloverHour),
      start: studyDayStart(now, rolloverHour),
      end: studyDayEnd(now, rolloverHour),
      now,
      learnCutoff: now + LEARN_AHEAD_MS,
    };
  }

  function studyDay(now: number): StudyDay {
    return dayOf(now, snapshot().config.rolloverHour);
  }

  /** The presets and today's answers per deck, for applyLimits. */
  function limitInputs(day: StudyDay, read: ConfigRead = snapshot()): LimitInputs {
    return { presets: read.config.presets, studied: studied(day.start, read) };
  }

  /** Each deck's own counts of cards that could be shown today (dueCounts.ts). */
  function ownCounts(set: DeckSet, day: StudyDay, read: ConfigRead = snapshot()): Map<number, OwnCounts> {
    return dueCounts.own(set, day, read);
  }

  /** Applies the new and review limits to a deck tree, given each deck's own available counts. */
  function applyLimits(
    decks: Deck[],
    rootId: number,
    inputs: LimitInputs,
    available: (deck: Deck) => { new: number; review: number },
  ): TreeLimits {
    const newDecks: LimitDeck[] = [];
    const reviewDecks: LimitDeck[] = [];
    for (const d of decks) {
      const preset = inputs.presets.get(d.presetId);
      const studied = inputs.studied.get(d.id);
      const own = available(d);
      newDecks.push({ id: d.id, parentId: d.parentId, limit: preset?.newPerDay ?? 20, studied: studied?.new ?? 0, available: own.new });
      reviewDecks.push({
        id: d.id,
        parentId: d.parentId,
        limit: preset?.reviewsPerDay ?? 200,
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

  /** The ids (as JSON) of the decks a limit map leaves room in. */
  function withRoom(allowed: Map<number, number>): string | null {
    const ids: number[] = [];
    for (const [id, n] of allowed) if (n > 0) ids.push(id);
    return ids.length ? JSON.stringify(ids) : null;
  }

  /**
   * The first card to show: a learning card due now, then a review, then a new card, then a learning
   * card due within the learn-ahead window. `learning` is the tree's earliest learning card; `except` is
   * left out; `look` skips the reviews or new cards a caller knows there are none of.
   */
  function firstDue(tree: DeckSet, limits: TreeLimits, day: StudyDay, learning: LearningCard | undefined, except: number | null, look = { reviews: true, news: true }): Pick {
    if (learning && learning.due <= day.now) return { cardId: learning.id, kind: 'learning' };
    const reviewDecks = look.reviews ? withRoom(limits.reviewAllowed) : null;
    const review = reviewDecks ? firstReview.get({ decks: reviewDecks, end: day.end, today: day.today, except }) : undefined;
    if (review) return { cardId: review.id, kind: 'review' };
    const newDecks = look.news ? withRoom(limits.newAllowed) : null;
    const fresh = newDecks ? firstNew.get({ decks: newDecks, today: day.today, except }) : undefined;
    if (fresh) return { cardId: fresh.id, kind: 'new' };
    if (learning && learning.due <= day.learnCutoff) return { cardId: learning.id, kind: 'ahead' };
    return { cardId: null, kind: null };
  }

  /**
   * The card after `shown` once it is answered: the same pick with `shown` out of the queue and counted
   * as studied (`pick` is how `shown` was found). Null when only learning ahead would be left, since the
   * answered card may then come first again.
   */
  function upcomingAfter(shown: QueueCard, pick: Pick, rootId: number, tree: DeckSet, own: Map<number, OwnCounts>, inputs: LimitInputs, day: StudyDay, learning: LearningCard | undefined): Upcoming | null {
    const isNew = shown.state === 0 ? 1 : 0;
    const isReview = shown.state === 2 ? 1 : 0;
    const studied = new Map(inputs.studied);
    const before = studied.get(shown.deck_id) ?? { new: 0, review: 0 };
    studied.set(shown.deck_id, { new: before.new + isNew, review: before.review + isReview });
    const limits = applyLimits(tree.decks, rootId, { presets: inputs.presets, studied }, (d) => {
      const c = own.get(d.id) ?? NO_CARDS;
      return d.id === shown.deck_id ? { new: Math.max(0, c.new - isNew), review: Math.max(0, c.review - isReview) } : c;
    });
    const learningAfter = shown.state === 1 || shown.state === 3 ? earliestLearning.get({ decks: tree.json, today: day.today, except: shown.id }) : learning;
    // An answer only uses up room: a kind the pick of `shown` went past (none left) stays empty after it.
    const look =
      pick.kind === 'preferred'
        ? { reviews: true, news: true }
        : { reviews: pick.kind === 'learning' || pick.kind === 'review', news: pick.kind !== 'ahead' && pick.kind !== null };
    const next = firstDue(tree, limits, day, learningAfter, shown.id, look);
    if (next.cardId === null || next.kind === 'ahead') return null;
    // A learning card that comes due before the answer goes first: the pick holds until then.
    const comesDue = learningAfter && learningAfter.due > day.now ? learningAfter.due : Infinity;
    return { cardId: next.cardId, until: Math.min(day.end, comesDue) };
  }

  /**
   * The next card of a deck tree, the counts left today, and the card after it (see the top of this
   * file). `preferCardId` (the card an undo brought back) comes first when it belongs to the tree and
   * can be studied today.
   */
  function next(rootId: number, now: number, preferCardId?: number) {
    const read = snapshot();
    const day = dayOf(now, read.config.rolloverHour);
    const tree = read.config.subtree(rootId);
    if (!tree) {
      return {
        cardId: null,
        upcoming: null,
        counts: { new: 0, learning: 0, review: 0 },
        nextLearningDue: null,
        day,
        decks: [] as Deck[],
        config: read.config,
      };
    }
    const own = ownCounts(tree, day, read);
    const inputs = limitInputs(day, read);
    const limits = applyLimits(tree.decks, rootId, inputs, (d) => own.get(d.id) ?? NO_CARDS);
    let learningDue = 0;
    for (const c of own.values()) learningDue += c.learning;
    const counts: StudyCounts = { new: sum(limits.newAllowed), learning: learningDue, review: sum(limits.reviewAllowed) };

    const learning = earliestLearning.get({ decks: tree.json, today: day.today, except: null });
    let pick: Pick | null = null;
    if (preferCardId !== undefined) {
      const c = queueCard.get(preferCardId);
      const studyable = c && c.suspended === 0 && c.buried_day !== day.today && (c.state === 0 || c.due < day.end);
      if (c && studyable && tree.ids.has(c.deck_id)) pick = { cardId: c.id, kind: 'preferred' };
    }
    pick ??= firstDue(tree, limits, day, learning, null);
    const shown = pick.cardId === null ? undefined : queueCard.get(pick.cardId);
    const upcoming = shown ? upcomingAfter(shown, pick, rootId, tree, own, inputs, day, learning) : null;
    // Nothing to show now: the earliest learning card is beyond the learn-ahead window, if there is one.
    const nextLearningDue = pick.cardId === null ? (learning?.due ?? null) : null;
    return { cardId: pick.cardId, upcoming, counts, nextLearningDue, day, decks: tree.decks, config: read.config };
  }

  return {
    next,
    snapshot,
    dayOf,
    studyDay,
    limitInputs,
    ownCounts,
    applyLimits,
    sum,
    /** An answer changed one card (and nothing else that counts); see dueCounts.ts. */
    answered: dueCounts.answered,
  };
}
export type StudyQueue = ReturnType<typeof makeStudyQueue>;
