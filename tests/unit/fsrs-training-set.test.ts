// How the review log becomes FSRS training items: which answers count, and the day gaps between them.
import { describe, expect, it } from 'vitest';
import { buildTrainingSet, cardHistory, KIND, type RevlogColumns } from '../../electron/core/fsrs/trainingSet';

const DAY = 86_400_000;
/** The next study day starts at day 100 (04:00 rollover in UTC). */
const NEXT_DAY_AT = 100 * DAY + 4 * 3_600_000;

type Entry = [kind: keyof typeof KIND, daysAgo: number, rating?: number, minutes?: number];

/** One card's log, each entry `daysAgo` study days before today (plus `minutes` into that day). */
function columns(entries: Entry[], cardId = 1): RevlogColumns {
  const n = entries.length;
  const cols: RevlogColumns = { cardIds: new Float64Array(n), times: new Float64Array(n), ratings: new Uint8Array(n), kinds: new Uint8Array(n), length: n };
  entries.forEach(([kind, daysAgo, rating = 3, minutes = 0], i) => {
    cols.cardIds[i] = cardId;
    // An hour after the study day began, plus minutes.
    cols.times[i] = NEXT_DAY_AT - (daysAgo + 1) * DAY + 3_600_000 + minutes * 60_000;
    cols.ratings[i] = kind === 'manual' || kind === 'reset' ? 0 : rating;
    cols.kinds[i] = KIND[kind];
  });
  return cols;
}

const history = (entries: Entry[], training = true) => {
  const h = cardHistory(columns(entries), 0, entries.length, NEXT_DAY_AT, training);
  return h && { ratings: h.ratings, deltas: h.deltas, targets: h.targets };
};

describe('FSRS training set', () => {
  it('counts days between study days, and predicts each answer after the first', () => {
    expect(history([['learn', 15], ['learn', 13], ['review', 10], ['review', 5]])).toEqual({ ratings: [3, 3, 3, 3], deltas: [0, 2, 3, 5], targets: [1, 2, 3] });
  });

  it('keeps same-day learning steps in the history but never predicts them', () => {
    const h = history([['learn', 10, 1], ['learn', 10, 3, 1], ['learn', 10, 3, 11], ['review', 7, 3], ['relearn', 7, 1, 5], ['relearn', 7, 3, 15], ['review', 5]]);
    expect(h).toEqual({ ratings: [1, 3, 3, 3, 1, 3, 3], deltas: [0, 0, 0, 3, 0, 0, 2], targets: [3, 6] });
  });

  it('leaves out cram answers and manual changes (set due date, reschedule)', () => {
    expect(history([['learn', 10], ['review', 9], ['cram', 7, 1], ['manual', 6], ['review', 4]])).toEqual({ ratings: [3, 3, 3], deltas: [0, 1, 5], targets: [1, 2] });
  });

  it('starts after the last reset to new', () => {
    expect(history([['learn', 20], ['review', 15], ['reset', 12], ['learn', 10, 1], ['learn', 10, 3, 10], ['review', 6]])).toEqual({
      ratings: [1, 3, 3],
      deltas: [0, 0, 4],
      targets: [2],
    });
  });

  it('cannot train on a card whose history does not begin with learning, but can replay its memory', () => {
    // Reviewed after a reset without learning again: nothing to start from.
    expect(history([['learn', 10], ['review', 9], ['reset', 7], ['review', 1], ['relearn', 0]])).toBeNull();
    // Early history missing (studied first in another app).
    const late: Entry[] = [['review', 30], ['review', 20], ['review', 5]];
    expect(history(late)).toBeNull();
    expect(history(late, false)).toEqual({ ratings: [3, 3, 3], deltas: [0, 10, 15], targets: [1, 2] });
    // A reset with nothing after it leaves nothing at all.
    expect(history([['learn', 10], ['review', 9], ['reset', 7]], false)).toBeNull();
  });

  it('needs at least one answer on a later day', () => {
    expect(history([['learn', 1]])).toBeNull();
    expect(history([['learn', 1, 1], ['learn', 1, 3, 10]])).toBeNull();
  });

  it('counts reviews used and items over many cards, skipping those that do not count', () => {
    const a = columns([['learn', 15], ['learn', 13], ['review', 10]], 1);
    const b = columns([['review', 30], ['review', 20]], 2);
    const c = columns([['learn', 9, 1], ['learn', 9, 3, 10], ['review', 3]], 3);
    const all: RevlogColumns = {
      cardIds: Float64Array.from([...a.cardIds, ...b.cardIds, ...c.cardIds]),
      times: Float64Array.from([...a.times, ...b.times, ...c.times]),
      ratings: Uint8Array.from([...a.ratings, ...b.ratings, ...c.ratings]),
      kinds: Uint8Array.from([...a.kinds, ...b.kinds, ...c.kinds]),
      length: 8,
    };
    const set = buildTrainingSet(all, NEXT_DAY_AT, cardHistory);
    expect(set.cards.map((h) => h.cardId)).toEqual([1, 3]);
    expect(set.reviews).toBe(6);
    expect(set.items).toBe(3);
  });

  it('turns the day over at the rollover hour, not at midnight', () => {
    // 23:00 and 02:00 the next night are the same study day (rollover 04:00); 05:00 is the next one.
    const t = (hours: number) => NEXT_DAY_AT - 3 * DAY + hours * 3_600_000;
    const cols: RevlogColumns = {
      cardIds: Float64Array.from([1, 1, 1]),
      times: Float64Array.from([t(19), t(22), t(25)]),
      ratings: Uint8Array.from([3, 3, 3]),
      kinds: Uint8Array.from([KIND.learn, KIND.review, KIND.review]),
      length: 3,
    };
    expect(cardHistory(cols, 0, 3, NEXT_DAY_AT, true)?.deltas).toEqual([0, 0, 1]);
  });
});
