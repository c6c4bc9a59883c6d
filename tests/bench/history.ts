// Review histories walked through the real scheduler (ts-fsrs, the preset's defaults), so every card's
// stored FSRS state is exactly what its review log produces. The "student" recalls a review card with
// the FSRS probability of recall at that moment (plus a per-card ease), studies in the evening, and is
// sometimes late by days; learning steps are answered within the same session.
import { FSRS6_DEFAULT_DECAY, Rating, State, createEmptyCard, forgetting_curve, fsrs, generatorParameters, type Card, type Grade } from 'ts-fsrs';
import type { Rng } from './rng';

export const DAY_MS = 86_400_000;

export interface SimulatedReview {
  reviewedAt: number;
  rating: Grade;
  durationMs: number;
  before: Card;
  after: Card;
}

export interface SimulatedCard {
  card: Card;
  reviews: SimulatedReview[];
}

// Anki's default deck options, which the 'Default' preset in 001_init.sql mirrors.
const scheduler = fsrs(
  generatorParameters({
    request_retention: 0.9,
    maximum_interval: 36500,
    enable_fuzz: true,
    enable_short_term: true,
    learning_steps: ['1m', '10m'],
    relearning_steps: ['10m'],
  }),
);

export function makeStudent(rng: Rng) {
  const pick = (cum: readonly number[]): Grade => {
    const x = rng.next();
    for (let i = 0; i < cum.length; i++) if (x < cum[i]!) return (i + 1) as Grade;
    return Rating.Easy;
  };
  // Cumulative probabilities of Again, Hard, Good (Easy takes the rest).
  const FIRST_ANSWER = [0.2, 0.3, 0.92];
  const IN_LEARNING = [0.12, 0.2, 0.98];

  function grade(card: Card, at: number, ease: number): Grade {
    if (card.state === State.New) return pick(FIRST_ANSWER);
    if (card.state !== State.Review) return pick(IN_LEARNING);
    const elapsedDays = Math.max(0, (at - (card.last_review?.getTime() ?? at)) / DAY_MS);
    // After a lapse the default weights predict very low stability; people relearn better than that, and
    // without a floor a few cards spiral into hundreds of reviews.
    const recall = Math.max(0.8, forgetting_curve(FSRS6_DEFAULT_DECAY, elapsedDays, card.stability)) + ease;
    if (rng.next() >= recall) return Rating.Again;
    const x = rng.next();
    return x < 0.1 ? Rating.Hard : x < 0.92 ? Rating.Good : Rating.Easy;
  }

  /** Days late: mostly on time, sometimes a few days, rarely weeks (holidays). */
  function lateDays(): number {
    const x = rng.next();
    if (x < 0.75) return 0;
    if (x < 0.93) return rng.int(1, 2);
    if (x < 0.99) return rng.int(3, 7);
    return rng.int(8, 30);
  }

  /** When the card is next looked at, given when it is due. */
  function nextLook(due: number, previous: number): number {
    if (due - previous < 12 * 3_600_000) return due + rng.int(5_000, 120_000);
    const day = Math.floor(due / DAY_MS) + lateDays();
    // Evening sessions, 17:00-23:00 UTC.
    const at = day * DAY_MS + 17 * 3_600_000 + rng.int(0, 6 * 3_600_000);
    return Math.max(at, previous + 3_600_000);
  }

  function duration(rating: Grade): number {
    const ms = rng.logNormal(rating === Rating.Again ? 11_000 : 6_500, 0.65);
    return Math.round(Math.max(800, Math.min(120_000, ms)));
  }

  /**
   * One card's life from `createdAt`: first studied at `firstStudy`, then reviewed whenever it comes due
   * until `now` or until `limit` reviews were logged (the card then stays as the last review left it).
   */
  function simulate(createdAt: number, firstStudy: number, now: number, limit: number): SimulatedCard {
    let card = createEmptyCard(new Date(createdAt));
    const reviews: SimulatedReview[] = [];
    // Some cards are easy, some hard; a few are leeches.
    const ease = rng.chance(0.03) ? -0.12 : (rng.next() - 0.5) * 0.1;
    let at = firstStudy;
    while (at < now && reviews.length < limit) {
      const rating = grade(card, at, ease);
      const after = scheduler.next(card, new Date(at), rating).card;
      reviews.push({ reviewedAt: at, rating, durationMs: duration(rating), before: card, after });
      at = nextLook(after.due.getTime(), at);
      card = after;
    }
    return { card, reviews };
  }

  return { simulate };
}
