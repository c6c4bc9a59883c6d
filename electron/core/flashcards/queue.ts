// The study queue of a deck tree (the deck and its subdecks). Order, as in Anki: learning cards that are
// due, by due time; then reviews due today, by due; then new cards by position, within the daily limits;
// then learning cards due within the next 20 minutes (learn ahead) rather than ending the session early.
// A call is a handful of statements whatever the size of the tree: one for every deck's counts, one for
// the first learning card, and one each for the first review and the first new card among the decks
// whose limits leave room (per-deck lookups inside one statement, through the (deck_id, state, due) and
// (deck_id, new_position) indexes). The deck tree, presets and rollover hour come from the shared
// snapshot (studyConfig.ts), today's answers per deck from the kept tally (studiedToday.ts).
import { studyDayEnd, studyDayNumber, studyDayStart } from '../../../shared/studyDay';
import type { Deck } from '../../../shared/contract/decks';
import type { Preset, StudyCounts } from '../../../shared/contract/flashcards';
import type { Db } from '../context';
import { allowedPerDeck, type LimitDeck } from './limits';
import { studiedToday, type Studied } from './studiedToday';
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

/** A deck's own cards (not its subdecks') that could be shown today, before the tree's limits. */
export interface OwnCounts {
  /** Capped at the highest new limit of the set: no deck could show more. */
  new: number;
  /** Capped likewise at the highest review limit. */
  review: number;
  learning: number;
}

export interface LimitInputs {
  presets: ReadonlyMap<number, Preset>;
  studied: Studied;
}

const NOT_BURIED = 'buried_day IS NOT @today';

export function makeStudyQueue(db: Db) {
  const config = studyConfig(db);
  const studied = studiedToday(db);

  // Each deck's own counts in one statement. New and review counts stop at the set's highest limit, so
  // a deck with thousands of new cards costs no more than its limit.
  const ownCountsOf = db.prepare<
    { decks: string; today: number; end: number; cutoff: number; newCap: number; reviewCap: number },
    { deck_id: number; new: number; review: number; learning: number }
  >(
    `SELECT j.value AS deck_id,
            (SELECT count(*) FROM (SELECT 1 FROM cards WHERE deck_id = j.value AND state = 0 AND suspended = 0
                AND ${NOT_BURIED} LIMIT @newCap)) AS new,
            (SELECT count(*) FROM (SELECT 1 FROM cards WHERE deck_id = j.value AND state = 2 AND suspended = 0
                AND due < @end AND ${NOT_BURIED} LIMIT @reviewCap)) AS review,
            (SELECT count(*) FROM cards WHERE deck_id = j.value AND state IN (1, 3) AND suspended = 0
                AND due <= @cutoff AND ${NOT_BURIED}) AS learning
       FROM json_each(@decks) j`,
  );
  const firstLearning = db.prepare<{ decks: string; cutoff: number; today: number }, { id: number; due: number }>(
    `SELECT id, due FROM cards WHERE deck_id IN (SELECT value FROM json_each(@decks)) AND state IN (1, 3)
        AND suspended = 0 AND due <= @cutoff AND ${NOT_BURIED} ORDER BY due, id LIMIT 1`,
  );
  const laterLearning = db.prepare<{ decks: string; today: number }, { due: number | null }>(
    `SELECT min(due) AS due FROM cards WHERE deck_id IN (SELECT value FROM json_each(@decks)) AND state IN (1, 3)
        AND suspended = 0 AND ${NOT_BURIED}`,
  );
  // The first card of each deck (one index lookup per deck), then the first of those.
  const firstReview = db.prepare<{ decks: string; end: number; today: number }, { id: number }>(
    `SELECT c.id FROM json_each(@decks) j
       JOIN cards c ON c.id = (SELECT id FROM cards WHERE deck_id = j.value AND state = 2 AND suspended = 0
                                  AND due < @end AND ${NOT_BURIED} ORDER BY due, id LIMIT 1)
      ORDER BY c.due, c.id LIMIT 1`,
  );
  const firstNew = db.prepare<{ decks: string; today: number }, { id: number }>(
    `SELECT c.id FROM json_each(@decks) j
       JOIN cards c ON c.id = (SELECT id FROM cards WHERE deck_id = j.value AND state = 0 AND suspended = 0
                                  AND ${NOT_BURIED} ORDER BY new_position, id LIMIT 1)
      ORDER BY c.new_position, c.id LIMIT 1`,
  );
  const cardForPreference = db.prepare<[number], { id: number; deck_id: number; state: number; due: number; suspended: number; buried_day: number | null }>(
    'SELECT id, deck_id, state, due, suspended, buried_day FROM cards WHERE id = ?',
  );

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

  /** Each deck's own counts of cards that could be shown today. */
  function ownCounts(set: DeckSet, day: StudyDay): Map<number, OwnCounts> {
    const rows = ownCountsOf.all({
      decks: set.json,
      today: day.today,
      end: day.end,
      cutoff: day.learnCutoff,
      newCap: set.newCap,
      reviewCap: set.reviewCap,
    });
    return new Map(rows.map((r) => [r.deck_id, { new: r.new, review: r.review, learning: r.learning }]));
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
   * The next card of a deck tree and the counts left today. `preferCardId` (the card an undo brought
   * back) comes first when it belongs to the tree and can be studied today.
   */
  function next(rootId: number, now: number, preferCardId?: number) {
    const read = snapshot();
    const day = dayOf(now, read.config.rolloverHour);
    const tree = read.config.subtree(rootId);
    if (!tree) {
      return { cardId: null, counts: { new: 0, learning: 0, review: 0 }, nextLearningDue: null, day, decks: [] as Deck[], config: read.config };
    }
    const own = ownCounts(tree, day);
    const none: OwnCounts = { new: 0, review: 0, learning: 0 };
    const limits = applyLimits(tree.decks, rootId, limitInputs(day, read), (d) => own.get(d.id) ?? none);
    let learningDue = 0;
    for (const c of own.values()) learningDue += c.learning;
    const counts: StudyCounts = { new: sum(limits.newAllowed), learning: learningDue, review: sum(limits.reviewAllowed) };

    let cardId: number | null = null;
    if (preferCardId !== undefined) {
      const c = cardForPreference.get(preferCardId);
      const studyable = c && c.suspended === 0 && c.buried_day !== day.today && (c.state === 0 || c.due < day.end);
      if (c && studyable && tree.ids.has(c.deck_id)) cardId = c.id;
    }
    // The first learning card due by the learn-ahead cutoff: shown now if it is due now, otherwise only
    // when no review or new card is left.
    const learning = cardId === null ? firstLearning.get({ decks: tree.json, cutoff: day.learnCutoff, today: day.today }) : undefined;
    if (learning && learning.due <= now) cardId = learning.id;
    if (cardId === null) {
      const decks = withRoom(limits.reviewAllowed);
      if (decks) cardId = firstReview.get({ decks, end: day.end, today: day.today })?.id ?? null;
    }
    if (cardId === null) {
      const decks = withRoom(limits.newAllowed);
      if (decks) cardId = firstNew.get({ decks, today: day.today })?.id ?? null;
    }
    cardId ??= learning?.id ?? null;
    const nextLearningDue = cardId === null ? (laterLearning.get({ decks: tree.json, today: day.today })?.due ?? null) : null;
    return { cardId, counts, nextLearningDue, day, decks: tree.decks, config: read.config };
  }

  return { next, snapshot, dayOf, studyDay, limitInputs, ownCounts, applyLimits, sum };
}
export type StudyQueue = ReturnType<typeof makeStudyQueue>;
