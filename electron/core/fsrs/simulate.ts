// A year (or any number of days) of study simulated at one desired retention, to compare workloads.
// The binding has no simulator, so this follows the idea of Anki's "Help me decide" (fsrs-rs's simulator):
// start from the preset's cards as they are (memory state and due date), study each day's due cards up
// to the review limit (the rest wait a day), introduce new cards up to the new-card limit, and draw each
// answer at random: recalled with FSRS's predicted chance, and rated as the learner usually rates.
//
// The memory model is FSRS-6 as ts-fsrs computes it (its FSRSAlgorithm, whose formulas these are; a
// test checks they agree), written here as plain arithmetic on precomputed constants: ts-fsrs rounds
// every result and recomputes the curve's constants on each call, which made a year over 100,000 cards
// at 28 retentions take tens of seconds.
//
// Self-contained (no imports, no module-level values): worker.ts runs this class's and function's own
// source in a worker thread, and tests call them directly.

/**
 * FSRS-6 memory updates for one parameter set and desired retention. A class, so every instance shares
 * its methods and the simulation's calls to them stay monomorphic (V8 inlines them).
 */
export class MemoryModel {
  private readonly w: readonly number[];
  private readonly maximumInterval: number;
  private readonly decay: number;
  private readonly factor: number;
  private readonly modifier: number;
  private readonly easyDifficulty: number;
  private readonly expW8: number;
  private readonly shortTermFloor: number;

  constructor(w: readonly number[], retention: number, maximumInterval: number) {
    this.w = w;
    this.maximumInterval = maximumInterval;
    this.decay = -w[20]!;
    this.factor = Math.pow(0.9, 1 / this.decay) - 1;
    this.modifier = (Math.pow(retention, 1 / this.decay) - 1) / this.factor;
    this.easyDifficulty = w[4]! - Math.exp(3 * w[5]!) + 1;
    this.expW8 = Math.exp(w[8]!);
    this.shortTermFloor = Math.exp(w[17]! * w[18]!);
  }

  /** Chance of recall after `elapsedDays` at stability `s`. */
  recall(elapsedDays: number, s: number): number {
    return Math.pow(1 + (this.factor * elapsedDays) / s, this.decay);
  }

  /** Days until recall falls to the desired retention (whole days, 1 to the maximum interval). */
  interval(s: number): number {
    return Math.min(Math.max(1, Math.round(s * this.modifier)), this.maximumInterval);
  }

  initStability(g: number): number {
    return Math.max(this.w[g - 1]!, 0.1);
  }

  initDifficulty(g: number): number {
    return this.w[4]! - Math.exp((g - 1) * this.w[5]!) + 1;
  }

  nextDifficulty(d: number, g: number): number {
    const w = this.w;
    const next = d + (-w[6]! * (g - 3) * (10 - d)) / 9;
    return Math.min(10, Math.max(1, w[7]! * this.easyDifficulty + (1 - w[7]!) * next));
  }

  /** Stability after a review answered `g` (2-4) days after the last one. */
  recallStability(d: number, s: number, r: number, g: number): number {
    const w = this.w;
    const bonus = (g === 2 ? w[15]! : 1) * (g === 4 ? w[16]! : 1);
    return Math.min(36500, Math.max(0.001, s * (1 + this.expW8 * (11 - d) * Math.pow(s, -w[9]!) * (Math.exp((1 - r) * w[10]!) - 1) * bonus)));
  }

  /** Stability after a lapse (Again) days after the last review. */
  forgetStability(d: number, s: number, r: number): number {
    const w = this.w;
    const fail = Math.min(36500, Math.max(0.001, w[11]! * Math.pow(d, -w[12]!) * (Math.pow(s + 1, w[13]!) - 1) * Math.exp((1 - r) * w[14]!)));
    return Math.min(fail, Math.max(0.001, s / this.shortTermFloor));
  }

  /** Stability after a same-day (learning step) answer. */
  shortTermStability(s: number, g: number): number {
    const w = this.w;
    const sinc = Math.pow(s, -w[19]!) * Math.exp(w[17]! * (g - 3 + w[18]!));
    return Math.min(36500, Math.max(0.001, s * (g >= 2 ? Math.max(sinc, 1) : sinc)));
  }
}

export interface SimulationInput {
  days: number;
  newPerDay: number;
  reviewsPerDay: number;
  learningSteps: number;
  relearningSteps: number;
  /** Cards already studied: stability, difficulty, day of last review and due day (0 = today; negative = before). */
  stability: Float64Array;
  difficulty: Float64Array;
  lastDay: Float64Array;
  dueDay: Float64Array;
  /** New cards waiting to be introduced. */
  newCards: number;
  /** Chance of each first answer (Again, Hard, Good, Easy) and of each passing review answer (Hard, Good, Easy). */
  firstRatings: [number, number, number, number];
  passRatings: [number, number, number];
  seed: number;
}

export interface SimulationOutput {
  totalReviews: number;
  remembered: number;
}

export function simulateStudy(input: SimulationInput, m: MemoryModel): SimulationOutput {
  const { days, newPerDay, reviewsPerDay, learningSteps, relearningSteps } = input;
  // mulberry32, seeded by the caller.
  let state = input.seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Cumulative chances, so a rating is one draw and two or three comparisons.
  const [again, hard, good] = input.firstRatings;
  const firstHard = again + hard;
  const firstGood = firstHard + good;
  const passHard = input.passRatings[0];
  const passGood = passHard + input.passRatings[1];

  const existing = input.stability.length;
  const introduced = Math.min(input.newCards, newPerDay * days);
  const size = existing + introduced;
  const S = new Float64Array(size);
  const D = new Float64Array(size);
  const last = new Float64Array(size);
  S.set(input.stability);
  D.set(input.difficulty);
  last.set(input.lastDay);
  // Cards due on each simulated day, as linked lists in typed arrays (no garbage on a hot path that runs
  // millions of times); cards due after the last day are not looked at again. Each list knows its last
  // card, so a day's leftovers move to the next day in one step however long the backlog grows.
  const head = new Int32Array(days).fill(-1);
  const tail = new Int32Array(days).fill(-1);
  const link = new Int32Array(size);
  const schedule = (c: number, day: number) => {
    if (day >= days) return;
    if (head[day] === -1) tail[day] = c;
    link[c] = head[day]!;
    head[day] = c;
  };
  for (let c = 0; c < existing; c++) schedule(c, Math.max(0, Math.floor(input.dueDay[c]!)));

  let total = 0;
  let next = existing;
  for (let day = 0; day < days; day++) {
    let done = 0;
    let c = head[day]!;
    head[day] = -1;
    for (; c !== -1 && done < reviewsPerDay; ) {
      const following = link[c]!;
      const elapsed = Math.max(0, day - last[c]!);
      const r = m.recall(elapsed, S[c]!);
      let s: number;
      if (random() < r) {
        const x = random();
        const g = x < passHard ? 2 : x < passGood ? 3 : 4;
        s = m.recallStability(D[c]!, S[c]!, r, g);
        D[c] = m.nextDifficulty(D[c]!, g);
        done += 1;
      } else {
        s = m.forgetStability(D[c]!, S[c]!, r);
        D[c] = m.nextDifficulty(D[c]!, 1);
        for (let k = 0; k < relearningSteps; k++) s = m.shortTermStability(s, 3);
        done += 1 + relearningSteps;
      }
      S[c] = s;
      last[c] = day;
      schedule(c, day + m.interval(s));
      c = following;
    }
    // Over the limit: the rest wait for tomorrow, as they would in the study queue, ahead of tomorrow's
    // own (they are the more overdue). Today's list is never added to while it is worked through (every
    // interval is at least a day), so the rest are its end, up to its last card.
    if (c !== -1 && day + 1 < days) {
      link[tail[day]!] = head[day + 1]!;
      if (head[day + 1] === -1) tail[day + 1] = tail[day]!;
      head[day + 1] = c;
    }
    // New cards share the review limit (Anki's default), up to the new-card limit.
    const fresh = Math.min(newPerDay, size - next, Math.max(0, reviewsPerDay - done));
    for (let n = 0; n < fresh; n++) {
      const card = next++;
      const x = random();
      const g = x < again ? 1 : x < firstHard ? 2 : x < firstGood ? 3 : 4;
      let s = m.initStability(g);
      D[card] = m.initDifficulty(g);
      // Easy graduates at once; otherwise each learning step is one more answer (Good).
      const steps = g === 4 ? 0 : Math.max(0, learningSteps - (g === 3 ? 1 : 0));
      for (let k = 0; k < steps; k++) s = m.shortTermStability(s, 3);
      done += 1 + steps;
      S[card] = s;
      last[card] = day;
      schedule(card, day + m.interval(s));
    }
    total += done;
  }

  let remembered = 0;
  for (let c = 0; c < next; c++) if (S[c]! > 0) remembered += m.recall(Math.max(0, days - last[c]!), S[c]!);
  return { totalReviews: total, remembered };
}
