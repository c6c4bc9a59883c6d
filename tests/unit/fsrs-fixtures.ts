// Review histories of a learner whose memory follows FSRS with known parameters, as an Anki package:
// ts-fsrs schedules each card with those parameters and the learner recalls it with the chance of recall
// they predict, so an optimiser given this history should find parameters that predict like them.
import { createEmptyCard, default_w, forgetting_curve, fsrs, FSRSAlgorithm, generatorParameters, Rating, State, type Card, type Grade } from 'ts-fsrs';
import type { CardHistory } from '../../electron/core/fsrs/trainingSet';
import Database from 'better-sqlite3';
import { zipSync } from 'fflate';
import { makeRng } from '../bench/rng';
import { legacyCollectionBytes, NT, sampleCollection, type FxCard, type FxCollection, type FxNote, type FxReview } from './transfer-fixtures';

/** A learner unlike FSRS's average one: cards start out much better remembered, and forgetting is steeper. */
export const TRUE_PARAMS: number[] = (() => {
  const w = [...default_w];
  w[0] = 0.8;
  w[1] = 3.5;
  w[2] = 7.0;
  w[3] = 20.0;
  w[20] = 0.35;
  return w;
})();

const DAY_MS = 86_400_000;

/** A seeded random source in [0, 1) (the bench's generator). */
export function seeded(seed: number): () => number {
  const rng = makeRng(seed);
  return () => rng.next();
}

/**
 * `count` cards per deck, each first studied on a random day in the first half of the period and then
 * reviewed when due (sometimes a day or two late) until `end`. Learning steps happen the same session.
 */
export function knownParamsCollection(decks: { id: number; name: string; count: number }[], start: number, end: number, seed = 7): FxCollection {
  const random = seeded(seed);
  const scheduler = fsrs(generatorParameters({ w: TRUE_PARAMS, request_retention: 0.9, enable_fuzz: true }));
  const base = sampleCollection();
  const notes: FxNote[] = [];
  const cards: FxCard[] = [];
  const revlog: FxReview[] = [];
  let n = 0;
  for (const deck of decks) {
    for (let i = 0; i < deck.count; i++, n++) {
      const noteId = start - 10_000_000 + n;
      const cardId = start - 5_000_000 + n;
      notes.push({ id: noteId, guid: `fsrs${n}`, mid: NT.basic, mod: Math.floor(start / 1000), tags: [], fields: [`Question ${n}`, `Answer ${n}`] });
      let card: Card = createEmptyCard(new Date(start));
      let at = start + Math.floor(random() * ((end - start) / 2) / DAY_MS) * DAY_MS + 18 * 3_600_000 + Math.floor(random() * 3_600_000);
      while (at < end) {
        let rating: Grade;
        if (card.state === State.New) {
          const x = random();
          rating = x < 0.2 ? Rating.Again : x < 0.3 ? Rating.Hard : x < 0.9 ? Rating.Good : Rating.Easy;
        } else {
          const elapsed = Math.max(0, (at - card.last_review!.getTime()) / DAY_MS);
          const recall = forgetting_curve(TRUE_PARAMS, elapsed, card.stability);
          if (random() >= recall) rating = Rating.Again;
          else {
            const x = random();
            rating = x < 0.1 ? Rating.Hard : x < 0.9 ? Rating.Good : Rating.Easy;
          }
        }
        const type = card.state === State.New || card.state === State.Learning ? 0 : card.state === State.Review ? 1 : 2;
        const after = scheduler.next(card, new Date(at), rating).card;
        revlog.push({ id: at, cid: cardId, ease: rating, ivl: after.scheduled_days, lastIvl: card.scheduled_days, factor: 2500, time: 6000, type });
        card = after;
        const due = card.due.getTime();
        // Learning steps within the session; reviews in the evening of the due day, now and then a day or two late.
        at = due - at < 12 * 3_600_000 ? due + 30_000 : Math.floor(due / DAY_MS) * DAY_MS + (random() < 0.2 ? DAY_MS * (1 + Math.floor(random() * 2)) : 0) + 18 * 3_600_000 + Math.floor(random() * 3_600_000);
      }
      const crtDays = Math.floor((card.due.getTime() / 1000 - base.crt) / 86_400);
      cards.push({ id: cardId, nid: noteId, did: deck.id, ord: 0, type: 2, queue: 2, due: crtDays, ivl: card.scheduled_days, factor: 2500, reps: card.reps, lapses: card.lapses });
    }
  }
  return { ...base, decks: [{ id: 1, name: 'Default' }, ...decks.map((d) => ({ id: d.id, name: d.name }))], notes, cards, revlog, media: [] };
}


/** `count` cards' histories from TRUE_PARAMS: a learning step the first day, then reviews when due (sometimes late). */
export function knownHistories(count: number, seed: number): CardHistory[] {
  const random = seeded(seed);
  const alg = new FSRSAlgorithm(generatorParameters({ w: TRUE_PARAMS, enable_fuzz: false }));
  const cards: CardHistory[] = [];
  for (let c = 0; c < count; c++) {
    const h: CardHistory = { cardId: c + 1, ratings: [], deltas: [], times: [], targets: [] };
    let day = Math.floor(random() * 150);
    const answer = (g: Grade, delta: number) => {
      if (delta > 0) h.targets.push(h.ratings.length);
      h.ratings.push(g);
      h.deltas.push(delta);
      h.times.push(day * DAY_MS + h.ratings.length * 60_000 + c);
    };
    const x = random();
    const first = (x < 0.2 ? 1 : x < 0.3 ? 2 : x < 0.9 ? 3 : 4) as Grade;
    let memory = alg.next_state(null, 0, first);
    answer(first, 0);
    if (first !== 4) {
      memory = alg.next_state(memory, 0, 3);
      answer(3, 0);
    }
    for (;;) {
      const interval = Math.max(1, Math.round(alg.next_interval(memory.stability, 0)));
      const delta = interval + (random() < 0.2 ? 1 + Math.floor(random() * 3) : 0);
      day += delta;
      if (day > 300) break;
      const recalled = random() < forgetting_curve(TRUE_PARAMS, delta, memory.stability);
      const y = random();
      const g = (recalled ? (y < 0.1 ? 2 : y < 0.9 ? 3 : 4) : 1) as Grade;
      memory = alg.next_state(memory, delta, g);
      answer(g, delta);
      if (g === 1) {
        memory = alg.next_state(memory, 0, 3);
        answer(3, 0);
      }
    }
    if (h.targets.length > 0) cards.push(h);
  }
  return cards;
}

/** A learner's fitted set (distinct from the defaults). */
export const FITTED = default_w.map((w, i) => Math.round((i < 4 ? w * 1.7 : w) * 1000) / 1000);

/** A legacy package whose preset 1 (used by every deck) has `conf` merged in. */
export function legacyWithPreset(conf: Record<string, unknown>): Uint8Array {
  const db = new Database(Buffer.from(legacyCollectionBytes(sampleCollection())));
  db.prepare('UPDATE col SET dconf = ?').run(JSON.stringify({ 1: { id: 1, name: 'Default', ...conf } }));
  const bytes = db.serialize();
  db.close();
  return zipSync({ 'collection.anki21': bytes, media: new TextEncoder().encode('{}') });
}
