// The study queue of a deck tree (the deck and its subdecks). Order, as in Anki: learning cards that are
// due, by due time; then reviews due today and then new cards, each in the display order of the studied
// deck's preset and within the daily limits (gather.ts, limits.ts); then learning cards due within the
// next 20 minutes (learn ahead) rather than ending the session early. Two cards of one note never come
// one after the other while any other card can be shown: the card after an answer is picked with the
// answered card's note left out, and only when nothing else is left does a sibling follow.
// A call is a handful of statements whatever the size of the tree: the decks' counts (dueCounts.ts,
// mostly kept between calls), one for the earliest learning card, and a few primary-key reads down the
// day's gathered reviews and new cards (gathered once, kept). The deck tree, presets and rollover hour
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
import { allowedPerDeck, limitRoom, type AboveDeck, type LimitDeck, type LimitRoom } from './limits';
import { makeGather, type Gathered } from './gather';
import { studiedToday, type AnsweredRow, type Counters, type Studied } from './studiedToday';
import { LEARNING_CARDS, makeDueCounts, NO_CARDS, type CountedCard, type OwnCounts } from './dueCounts';
import { studyConfig, type ConfigRead, type DeckSet, type StudyConfig, type Subtree } from './studyConfig';

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
  /** The room under the limits, as a fresh tracker to use up (limits.ts). */
  newRoom(): LimitRoom;
  reviewRoom(): LimitRoom;
}

export interface LimitInputs {
  config: StudyConfig;
  today: number;
  studied: Studied;
  /** Studied today in each deck's whole subtree: what the decks above count ("limits start from the top"). */
  studiedInTree(): Studied;
}

const NOT_BURIED = 'buried_day IS NOT @today';

interface QueueCard extends CountedCard {
  id: number;
  note_id: number;
}

interface LearningCard {
  id: number;
  due: number;
  note_id: number;
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
  /** The learning card that comes due at `until` and follows instead from then on (until its own `until`). */
  then: { cardId: number; until: number } | null;
}

/** What one pick of a card works from. */
interface PickFrom {
  rootId: number;
  tree: Subtree;
  limits: TreeLimits;
  day: StudyDay;
  config: StudyConfig;
  /** The tree's earliest learning card (the card to leave out excepted). */
  learning: LearningCard | undefined;
  /** The connection's change counters when the snapshot was read (studyConfig.ts). */
  counters: Counters;
}

/** A gathered list and the change counters it is current for. */
interface KeptList extends Gathered, Counters {}

/** Gathered lists kept per queue: one per deck studied, kind and order (a few decks at a time). */
const LISTS_KEPT = 16;

export function makeStudyQueue(db: Db) {
  const config = studyConfig(db);
  const studied = studiedToday(db);
  const gather = makeGather(db);
  // Lists follow the cards an answer changes; any other write gathers them again (see answered()).
  const lists = new Map<string, KeptList>();

  const dueCounts = makeDueCounts(db);
  // The tree's earliest learning card, whenever it is due: the first card if it is due now, the last
  // resort if it is due within the learn-ahead window, and when the next one comes back otherwise.
  // @except and @other: cards to leave out (the one shown, when finding the card after it), or null;
  // @avoid: a note to leave out (the one just answered), or null.
  const learningStatement = db.prepare<{ decks: string; today: number; except: number | null; avoid: number | null; other: number | null }, LearningCard>(
    `SELECT c.id, c.due, c.note_id FROM ${LEARNING_CARDS}
      WHERE c.${NOT_BURIED} AND c.id IS NOT @except AND c.id IS NOT @other AND c.note_id IS NOT @avoid
      ORDER BY c.due, c.id LIMIT 1`,
  );
  const earliestLearning = {
    get: (p: { decks: string; today: number; except: number | null; avoid: number | null; other?: number | null }) => learningStatement.get({ other: null, ...p }),
  };
  // The note of the card answered last today: the next card avoids it (see the top of this file).
  const lastAnsweredNote = db.prepare<[number], number>(
    `SELECT c.note_id FROM revlog r JOIN cards c ON c.id = r.card_id
      WHERE r.reviewed_at >= ? AND r.rating > 0 ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1`,
  ).pluck();
  const queueCard = db.prepare<[number], QueueCard>(
    'SELECT id, note_id, deck_id, state, due, suspended, buried_day FROM cards WHERE id = ?',
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
    return withStudied(read.config, day.today, studied.read(day.start, read));
  }

  function withStudied(cfg: StudyConfig, today: number, byDeck: Studied): LimitInputs {
    let inTree: Studied | null = null;
    return {
      config: cfg,
      today,
      studied: byDeck,
      studiedInTree() {
        if (!inTree) {
          // Tree order puts children after parents: walking backwards sums each subtree before its parent.
          inTree = new Map();
          for (let i = cfg.decks.length - 1; i >= 0; i--) {
            const d = cfg.decks[i]!;
            const own = byDeck.get(d.id);
            const sum = inTree.get(d.id) ?? { new: 0, review: 0 };
            sum.new += own?.new ?? 0;
            sum.review += own?.review ?? 0;
            inTree.set(d.id, sum);
            if (d.parentId !== null) {
              const up = inTree.get(d.parentId) ?? { new: 0, review: 0 };
              up.new += sum.new;
              up.review += sum.review;
              inTree.set(d.parentId, up);
            }
          }
        }
        return inTree;
      },
    };
  }

  /** Each deck's own counts of cards that could be shown today (dueCounts.ts). */
  function ownCounts(set: DeckSet, day: StudyDay, read: ConfigRead = snapshot()): Map<number, OwnCounts> {
    return dueCounts.own(set, day, read, read.config.countJson);
  }

  /**
   * Applies the new and review limits to a deck tree studied from `rootId`, given each deck's own
   * available counts: the one rule (limits.ts) behind every count the app shows.
   */
  function applyLimits(
    decks: Deck[],
    rootId: number,
    inputs: LimitInputs,
    available: (deck: Deck) => { new: number; review: number },
  ): TreeLimits {
    const { config: cfg, today } = inputs;
    const newDecks: LimitDeck[] = [];
    const reviewDecks: LimitDeck[] = [];
    for (const d of decks) {
      const limits = cfg.limitsOf(d.id, today);
      const done = inputs.studied.get(d.id);
      const own = available(d);
      newDecks.push({ id: d.id, parentId: d.parentId, limit: limits.new, studied: done?.new ?? 0, available: own.new });
      reviewDecks.push({ id: d.id, parentId: d.parentId, limit: limits.review, studied: done?.review ?? 0, available: own.review });
    }
    const aboveNew: AboveDeck[] = [];
    const aboveReview: AboveDeck[] = [];
    if (cfg.presetOf(rootId).limitsFromTop) {
      for (let up = cfg.byId.get(cfg.byId.get(rootId)?.parentId ?? -1); up; up = up.parentId === null ? undefined : cfg.byId.get(up.parentId)) {
        const limits = cfg.limitsOf(up.id, today);
        const done = inputs.studiedInTree().get(up.id);
        aboveNew.push({ id: up.id, limit: limits.new, studiedInTree: done?.new ?? 0 });
        aboveReview.push({ id: up.id, limit: limits.review, studiedInTree: done?.review ?? 0 });
      }
    }
    return {
      decks,
      newAllowed: allowedPerDeck(newDecks, rootId, aboveNew),
      reviewAllowed: allowedPerDeck(reviewDecks, rootId, aboveReview),
      newRoom: () => limitRoom(newDecks, rootId, aboveNew),
      reviewRoom: () => limitRoom(reviewDecks, rootId, aboveReview),
    };
  }

  function sum(map: Map<number, number>): number {
    let total = 0;
    for (const n of map.values()) total += n;
    return total;
  }

  /**
   * The first card of the day's gathered reviews or new cards (gather.ts) that can still be shown: not
   * answered, buried or suspended since, in the tree, with room under the limits, not `except` and not
   * of the note `avoid`. Cards met that left the list for good are dropped from it. A list with nothing
   * left while the counts say more can be shown is gathered again, once.
   */
  function fromList(kind: 'new' | 'review', from: PickFrom, except: number | null, avoid: number | null): QueueCard | null {
    const allowed = sum(kind === 'new' ? from.limits.newAllowed : from.limits.reviewAllowed);
    if (allowed === 0) return null;
    const preset = from.config.presetOf(from.rootId);
    const order = kind === 'new' ? `${preset.newGatherOrder}/${preset.newSortOrder}` : preset.reviewSortOrder;
    const key = `${kind}|${from.rootId}|${from.day.today}|${order}`;
    const state = kind === 'new' ? 0 : 2;
    const room = kind === 'new' ? from.limits.newRoom() : from.limits.reviewRoom();
    let fresh = false;
    for (let attempt = 0; attempt < 2; attempt++) {
      let list = lists.get(key);
      const current = list && list.changes === from.counters.changes && list.dataVersion === from.counters.dataVersion;
      if (!list || !current || attempt > 0) {
        if (fresh) return null;
        fresh = true;
        const gatherRoom = kind === 'new' ? from.limits.newRoom() : from.limits.reviewRoom();
        const gathered = (kind === 'new' ? gather.newCards : gather.reviews)(from.tree, from.day, preset, gatherRoom, allowed, from.config.presetOf);
        list = { ...gathered, ...from.counters };
        // Kept only outside a transaction, which may still roll back.
        if (!db.inTransaction) {
          lists.delete(key);
          lists.set(key, list);
          if (lists.size > LISTS_KEPT) lists.delete(lists.keys().next().value!);
        }
      }
      let showable = false;
      let found: QueueCard | null = null;
      const gone = new Set<number>();
      for (const id of list.ids) {
        const c = queueCard.get(id);
        const live =
          c && c.state === state && c.suspended === 0 && c.buried_day !== from.day.today && (kind === 'new' || c.due < from.day.end) && from.tree.ids.has(c.deck_id);
        if (!live) {
          gone.add(id);
          continue;
        }
        if (id === except || !room.fits(c.deck_id)) continue;
        showable = true;
        if (c.note_id === avoid) continue;
        found = c;
        break;
      }
      if (gone.size > 0 && !db.inTransaction) list.ids = list.ids.filter((id) => !gone.has(id));
      if (found || showable) return found;
    }
    return null;
  }

  /**
   * The first card to show: a learning card due now, then a review, then a new card, then a learning
   * card due within the learn-ahead window; `except` is left out. A card of the note `avoid` (the one
   * just answered) comes only when no other card is left.
   */
  function firstDue(from: PickFrom, except: number | null, avoid: number | null): Pick {
    const pass = (avoidNote: number | null): Pick | null => {
      const { day } = from;
      const learning =
        avoidNote !== null && from.learning?.note_id === avoidNote
          ? earliestLearning.get({ decks: from.tree.json, today: day.today, except, avoid: avoidNote })
          : from.learning;
      if (learning && learning.due <= day.now) return { cardId: learning.id, kind: 'learning' };
      const review = fromList('review', from, except, avoidNote);
      if (review) return { cardId: review.id, kind: 'review' };
      const fresh = fromList('new', from, except, avoidNote);
      if (fresh) return { cardId: fresh.id, kind: 'new' };
      if (learning && learning.due <= day.learnCutoff) return { cardId: learning.id, kind: 'ahead' };
      return null;
    };
    return pass(avoid) ?? (avoid !== null ? pass(null) : null) ?? { cardId: null, kind: null };
  }

  /**
   * The card after `shown` once it is answered: the same pick with `shown` out of the queue, counted as
   * studied, and its note avoided. Since the answered card never comes straight back while another card
   * can be shown, this holds whatever the rating, learning ahead included. Null when nothing else is
   * left (then only the answered card itself could follow, in a state the rating decides).
   */
  function upcomingAfter(shown: QueueCard, from: PickFrom, own: Map<number, OwnCounts>, inputs: LimitInputs): Upcoming | null {
    const { day } = from;
    const isNew = shown.state === 0 ? 1 : 0;
    const isReview = shown.state === 2 ? 1 : 0;
    const studiedAfter = new Map(inputs.studied);
    const before = studiedAfter.get(shown.deck_id) ?? { new: 0, review: 0 };
    studiedAfter.set(shown.deck_id, { new: before.new + isNew, review: before.review + isReview });
    const limits = applyLimits(from.tree.decks, from.rootId, withStudied(inputs.config, inputs.today, studiedAfter), (d) => {
      const c = own.get(d.id) ?? NO_CARDS;
      return d.id === shown.deck_id ? { new: Math.max(0, c.new - isNew), review: Math.max(0, c.review - isReview) } : c;
    });
    const learningAfter =
      shown.state === 1 || shown.state === 3
        ? earliestLearning.get({ decks: from.tree.json, today: day.today, except: shown.id, avoid: null })
        : from.learning;
    const next = firstDue({ ...from, limits, learning: learningAfter }, shown.id, shown.note_id);
    if (next.cardId === null) return null;
    // A learning card picked stays first as time passes (it is the earliest one not avoided). A review or
    // new card holds until the next learning card comes due, which then goes first in its place (unless
    // it is of the avoided note), to the end of the day: a later one coming due is due after it.
    if (next.kind === 'learning' || next.kind === 'ahead') return { cardId: next.cardId, until: day.end, then: null };
    const rival =
      learningAfter && learningAfter.note_id === shown.note_id
        ? earliestLearning.get({ decks: from.tree.json, today: day.today, except: shown.id, avoid: shown.note_id })
        : learningAfter;
    if (!rival || rival.due >= day.end) return { cardId: next.cardId, until: day.end, then: null };
    if (rival.due <= day.now) return { cardId: next.cardId, until: day.end, then: null };
    return { cardId: next.cardId, until: rival.due, then: { cardId: rival.id, until: day.end } };
  }

  /**
   * The next card of a deck tree, the counts left today, and the card after it (see the top of this
   * file). `preferCardId` (the card an undo brought back) comes first when it belongs to the tree and
   * can be studied today; `avoidNoteId` is the note of the card just answered (by default, of the last
   * answer today, so a reload keeps siblings apart too).
   */
  function next(rootId: number, now: number, preferCardId?: number, avoidNoteId?: number | null) {
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
        counters: { changes: read.changes, dataVersion: read.dataVersion } as Counters,
      };
    }
    const own = ownCounts(tree, day, read);
    const inputs = limitInputs(day, read);
    const limits = applyLimits(tree.decks, rootId, inputs, (d) => own.get(d.id) ?? NO_CARDS);
    let learningDue = 0;
    for (const c of own.values()) learningDue += c.learning;
    const counts: StudyCounts = { new: sum(limits.newAllowed), learning: learningDue, review: sum(limits.reviewAllowed) };

    const learning = earliestLearning.get({ decks: tree.json, today: day.today, except: null, avoid: null });
    const from: PickFrom = { rootId, tree, limits, day, config: read.config, learning, counters: read };
    let pick: Pick | null = null;
    if (preferCardId !== undefined) {
      const c = queueCard.get(preferCardId);
      const studyable = c && c.suspended === 0 && c.buried_day !== day.today && (c.state === 0 || c.due < day.end);
      if (c && studyable && tree.ids.has(c.deck_id)) pick = { cardId: c.id, kind: 'preferred' };
    }
    pick ??= firstDue(from, null, avoidNoteId !== undefined ? avoidNoteId : (lastAnsweredNote.get(day.start) ?? null));
    const shown = pick.cardId === null ? undefined : queueCard.get(pick.cardId);
    const upcoming = shown ? upcomingAfter(shown, from, own, inputs) : null;
    // Nothing to show now: the earliest learning card is beyond the learn-ahead window, if there is one.
    const nextLearningDue = pick.cardId === null ? (learning?.due ?? null) : null;
    const counters: Counters = { changes: read.changes, dataVersion: read.dataVersion };
    return { cardId: pick.cardId, upcoming, counts, nextLearningDue, day, decks: tree.decks, config: read.config, counters };
  }

  /** What studying a deck (with its subdecks) shows today: the counts every page shows for it. */
  function treeCounts(rootId: number, inputs: LimitInputs, own: Map<number, OwnCounts>): StudyCounts {
    const tree = inputs.config.subtree(rootId);
    if (!tree) return { new: 0, learning: 0, review: 0 };
    const limits = applyLimits(tree.decks, rootId, inputs, (d) => own.get(d.id) ?? NO_CARDS);
    let learning = 0;
    for (const d of tree.decks) learning += own.get(d.id)?.learning ?? 0;
    return { new: sum(limits.newAllowed), learning, review: sum(limits.reviewAllowed) };
  }

  return {
    next,
    snapshot,
    dayOf,
    studyDay,
    limitInputs,
    ownCounts,
    applyLimits,
    treeCounts,
    sum,
    /**
     * An answer changed one note's cards (and nothing else that counts) and added one log row: the kept
     * counts (dueCounts.ts), today's tally (studiedToday.ts) and the gathered lists current before it stay
     * current (the lists skip answered cards as they meet them).
     */
    answered(before: Counters, after: Counters, note: { before: CountedCard[]; after: CountedCard[] }, log: AnsweredRow) {
      dueCounts.answered(before, after, note);
      studied.answered(before, after, log);
      if (db.inTransaction) return;
      for (const list of lists.values()) {
        if (list.changes === before.changes && list.dataVersion === before.dataVersion && after.dataVersion === before.dataVersion) {
          list.changes = after.changes;
        }
      }
    },
  };
}
export type StudyQueue = ReturnType<typeof makeStudyQueue>;
