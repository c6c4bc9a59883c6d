// A year (or any number of days) of study simulated at one desired retention, to compare workloads.
// The binding has no simulator, so this follows the idea of Anki's "Help me decide" (fsrs-rs's simulator):
// start from the preset's cards as they are (memory state and due date), study each day's due cards up
// to the review limit (the rest wait a day), introduce new cards up to the new-card limit, and draw each
// answer at random: recalled with FSRS's predicted chance, and rated as the learner usually rates. The
// memory model is ts-fsrs's FSRSAlgorithm (the scheduler's own math) with the preset's parameters.
//
// Self-contained (no imports, no module-level values): worker.ts runs this function's own source in a
// worker thread, and tests call it directly.

/** The parts of ts-fsrs's FSRSAlgorithm the simulation uses. */
export interface SimAlgorithm {
  forgetting_curve(elapsedDays: number, stability: number): number;
  next_interval(stability: number, elapsedDays: number): number;
  init_stability(g: 1 | 2 | 3 | 4): number;
  init_difficulty(g: 1 | 2 | 3 | 4): number;
  next_difficulty(d: number, g: 1 | 2 | 3 | 4): number;
  next_recall_stability(d: number, s: number, r: number, g: 1 | 2 | 3 | 4): number;
  next_forget_stability(d: number, s: number, r: number): number;
  next_short_term_stability(s: number, g: 1 | 2 | 3 | 4): number;
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

export function simulateStudy(input: SimulationInput, alg: SimAlgorithm): SimulationOutput {
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
      const r = alg.forgetting_curve(elapsed, S[c]!);
      let s: number;
      if (random() < r) {
        const g = pick(input.passRatings, 2);
        s = alg.next_recall_stability(D[c]!, S[c]!, r, g);
        D[c] = alg.next_difficulty(D[c]!, g);
        done += 1;
      } else {
        s = alg.next_forget_stability(D[c]!, S[c]!, r);
        D[c] = alg.next_difficulty(D[c]!, 1);
        for (let k = 0; k < relearningSteps; k++) s = alg.next_short_term_stability(s, 3);
        done += 1 + relearningSteps;
      }
      S[c] = s;
      last[c] = day;
      const at = day + alg.next_interval(s, elapsed);
      if (at < days) buckets[at]!.push(c);
    }
    // Over the limit: the rest wait for tomorrow, as they would in the study queue.
    if (day + 1 < days) for (; i < due.length; i++) buckets[day + 1]!.push(due[i]!);
    // New cards share the review limit (Anki's default), up to the new-card limit.
    const fresh = Math.min(newPerDay, size - next, Math.max(0, reviewsPerDay - done));
    for (let n = 0; n < fresh; n++) {
      const c = next++;
      const g = pick(input.firstRatings, 1);
      let s = alg.init_stability(g);
      D[c] = alg.init_difficulty(g);
      // Easy graduates at once; otherwise each learning step is one more answer (Good).
      const steps = g === 4 ? 0 : Math.max(0, learningSteps - (g === 3 ? 1 : 0));
      for (let k = 0; k < steps; k++) s = alg.next_short_term_stability(s, 3);
      done += 1 + steps;
      S[c] = s;
      last[c] = day;
      const at = day + alg.next_interval(s, 0);
      if (at < days) buckets[at]!.push(c);
    }
    total += done;
    buckets[day] = [];
  }

  let remembered = 0;
  for (let c = 0; c < next; c++) if (S[c]! > 0) remembered += alg.forgetting_curve(Math.max(0, days - last[c]!), S[c]!);
  return { totalReviews: total, remembered };
}
