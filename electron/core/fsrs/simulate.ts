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
// Self-contained (no imports, no module-level values): worker.ts runs these functions' own source in a
// worker thread, and tests call them directly.

/** FSRS-6 memory updates for one parameter set and desired retention. */
export interface MemoryModel {
  /** Chance of recall after `elapsedDays` at stability `s`. */
  recall(elapsedDays: number, s: number): number;
  /** Days until recall falls to the desired retention (whole days, 1 to the maximum interval). */
  interval(s: number): number;
  initStability(g: number): number;
  initDifficulty(g: number): number;
  nextDifficulty(d: number, g: number): number;
  /** Stability after a review answered `g` (2-4) days after the last one. */
  recallStability(d: number, s: number, r: number, g: number): number;
  /** Stability after a lapse (Again) days after the last review. */
  forgetStability(d: number, s: number, r: number): number;
  /** Stability after a same-day (learning step) answer. */
  shortTermStability(s: number, g: number): number;
}

export function memoryModel(w: readonly number[], retention: number, maximumInterval: number): MemoryModel {
  const S_MIN = 0.001;
  const S_MAX = 36500;
  const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
  const decay = -w[20]!;
  const factor = Math.pow(0.9, 1 / decay) - 1;
  const modifier = (Math.pow(retention, 1 / decay) - 1) / factor;
  const initDifficulty = (g: number) => w[4]! - Math.exp((g - 1) * w[5]!) + 1;
  const easyDifficulty = initDifficulty(4);
  const expW8 = Math.exp(w[8]!);
  const shortTermFloor = Math.exp(w[17]! * w[18]!);
  return {
    recall: (t, s) => Math.pow(1 + (factor * t) / s, decay),
    interval: (s) => Math.min(Math.max(1, Math.round(s * modifier)), maximumInterval),
    initStability: (g) => Math.max(w[g - 1]!, 0.1),
    initDifficulty,
    nextDifficulty: (d, g) => {
      const next = d + (-w[6]! * (g - 3) * (10 - d)) / 9;
      return clamp(w[7]! * easyDifficulty + (1 - w[7]!) * next, 1, 10);
    },
    recallStability: (d, s, r, g) =>
      clamp(s * (1 + expW8 * (11 - d) * Math.pow(s, -w[9]!) * (Math.exp((1 - r) * w[10]!) - 1) * (g === 2 ? w[15]! : 1) * (g === 4 ? w[16]! : 1)), S_MIN, S_MAX),
    forgetStability: (d, s, r) => {
      const fail = clamp(w[11]! * Math.pow(d, -w[12]!) * (Math.pow(s + 1, w[13]!) - 1) * Math.exp((1 - r) * w[14]!), S_MIN, S_MAX);
      return clamp(s / shortTermFloor, S_MIN, fail);
    },
    shortTermStability: (s, g) => {
      const sinc = Math.pow(s, -w[19]!) * Math.exp(w[17]! * (g - 3 + w[18]!));
      return clamp(s * (g >= 2 ? Math.max(sinc, 1) : sinc), S_MIN, S_MAX);
    },
  };
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
  const pick = (probabilities: readonly number[], offset: number): 1 | 2 | 3 | 4 => {
    let x = random();
    for (let i = 0; i < probabilities.length - 1; i++) {
      x -= probabilities[i]!;
      if (x < 0) return (i + offset) as 1 | 2 | 3 | 4;
    }
    return (probabilities.length - 1 + offset) as 1 | 2 | 3 | 4;
  };

  const existing = input.stability.length;
  const introduced = Math.min(input.newCards, newPerDay * days);
  const size = existing + introduced;
  const S = new Float64Array(size);
  const D = new Float64Array(size);
  const last = new Float64Array(size);
  S.set(input.stability);
  D.set(input.difficulty);
  last.set(input.lastDay);
  // Cards due on each simulated day; cards due later than the last day are not looked at again.
  const buckets: number[][] = Array.from({ length: days }, () => []);
  for (let c = 0; c < existing; c++) {
    const due = Math.max(0, Math.floor(input.dueDay[c]!));
    if (due < days) buckets[due]!.push(c);
  }

  let total = 0;
  let next = existing;
  for (let day = 0; day < days; day++) {
    const due = buckets[day]!;
    let done = 0;
    let i = 0;
    for (; i < due.length && done < reviewsPerDay; i++) {
      const c = due[i]!;
      const elapsed = Math.max(0, day - last[c]!);
      const r = m.recall(elapsed, S[c]!);
      let s: number;
      if (random() < r) {
        const g = pick(input.passRatings, 2);
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
      const at = day + m.interval(s);
      if (at < days) buckets[at]!.push(c);
    }
    // Over the limit: the rest wait for tomorrow, as they would in the study queue.
    if (day + 1 < days) for (; i < due.length; i++) buckets[day + 1]!.push(due[i]!);
    // New cards share the review limit (Anki's default), up to the new-card limit.
    const fresh = Math.min(newPerDay, size - next, Math.max(0, reviewsPerDay - done));
    for (let n = 0; n < fresh; n++) {
      const c = next++;
      const g = pick(input.firstRatings, 1);
      let s = m.initStability(g);
      D[c] = m.initDifficulty(g);
      // Easy graduates at once; otherwise each learning step is one more answer (Good).
      const steps = g === 4 ? 0 : Math.max(0, learningSteps - (g === 3 ? 1 : 0));
      for (let k = 0; k < steps; k++) s = m.shortTermStability(s, 3);
      done += 1 + steps;
      S[c] = s;
      last[c] = day;
      const at = day + m.interval(s);
      if (at < days) buckets[at]!.push(c);
    }
    total += done;
    buckets[day] = [];
  }

  let remembered = 0;
  for (let c = 0; c < next; c++) if (S[c]! > 0) remembered += m.recall(Math.max(0, days - last[c]!), S[c]!);
  return { totalReviews: total, remembered };
}
