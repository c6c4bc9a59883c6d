// The work the FSRS worker thread does, one function per task. Each reads what it needs on its own
// read-only connection (so a million reviews are read without holding up study) and gets everything else
// through `deps`: these functions are self-contained (no imports at run time, no module-level values)
// because worker.ts runs their own source in the worker. Types are imported for checking only.
import type * as Binding from '@open-spaced-repetition/binding';
import type * as TsFsrs from 'ts-fsrs';
import type Database from 'better-sqlite3';
import type { FitMetrics, FsrsPhase } from '../../../shared/contract/fsrs';
import type { buildTrainingSet, cardHistory, RevlogColumns } from './trainingSet';
import type { MemoryModel, simulateStudy } from './simulate';
import type { evaluateFit } from './evaluate';

export interface WorkerDeps {
  openDb(): Database.Database;
  /** The optimiser; null for tasks that do not need it. */
  binding: typeof Binding | null;
  tsfsrs: typeof TsFsrs;
  cardHistory: typeof cardHistory;
  buildTrainingSet: typeof buildTrainingSet;
  simulateStudy: typeof simulateStudy;
  MemoryModel: typeof MemoryModel;
  evaluateFit: typeof evaluateFit;
  readRevlog: typeof readRevlog;
  progress(phase: FsrsPhase, done: number, total: number): void;
}

/** What every task reads: the scope's decks and the queries (revlogQuery.ts). */
export interface ScopeInput {
  deckIds: string;
  sql: { revlog: string; revlogCount: string; cards: string; ratings: string };
  /** Start of the next study day (epoch ms): study days are counted back from it. */
  nextDayAt: number;
}

export interface OptimiseInput extends ScopeInput {
  minimumItems: number;
  relearningSteps: number;
  /** The preset's parameters now (null: the defaults), measured beside the fit. */
  current: number[] | null;
  /** FSRS's default parameters, measured beside the fit. */
  defaults: number[];
  /** Training time per item on a typical machine, for the fitting progress estimate. */
  microsPerItem: number;
}

export type OptimiseOutput =
  | { status: 'too_few'; reviews: number; items: number }
  | { status: 'done'; reviews: number; items: number; measured: number; params: number[]; fitted: FitMetrics; defaults: FitMetrics; current: FitMetrics | null };

/** Reads the scope's review log into columns (reporting progress), sorted by card then time. */
export function readRevlog(input: ScopeInput, deps: WorkerDeps): RevlogColumns {
  const db = deps.openDb();
  try {
    const total = db.prepare(input.sql.revlogCount).pluck().get(input.deckIds) as number;
    const cols: RevlogColumns = {
      cardIds: new Float64Array(total),
      times: new Float64Array(total),
      ratings: new Uint8Array(total),
      kinds: new Uint8Array(total),
      length: 0,
    };
    deps.progress('reading', 0, total);
    let n = 0;
    for (const row of db.prepare(input.sql.revlog).raw().iterate(input.deckIds) as IterableIterator<[number, number, number, number]>) {
      if (n === total) break; // rows added since the count: left for next time
      cols.cardIds[n] = row[0];
      cols.times[n] = row[1];
      cols.ratings[n] = row[2];
      cols.kinds[n] = row[3];
      n++;
      if (n % 50_000 === 0) deps.progress('reading', n, total);
    }
    cols.length = n;
    deps.progress('reading', n, total);
    return cols;
  } finally {
    db.close();
  }
}

export async function optimiseTask(input: OptimiseInput, deps: WorkerDeps): Promise<OptimiseOutput> {
  const binding = deps.binding!;
  const cols = deps.readRevlog(input, deps);
  const set = deps.buildTrainingSet(cols, input.nextDayAt, deps.cardHistory);
  if (set.items < input.minimumItems) return { status: 'too_few', reviews: set.reviews, items: set.items };

  // One review object per answer, shared by every item of its card (an item is the history up to an answer).
  deps.progress('preparing', 0, set.cards.length);
  const dated: { time: number; item: Binding.FSRSBindingItem }[] = [];
  for (let c = 0; c < set.cards.length; c++) {
    const card = set.cards[c]!;
    const reviews = card.ratings.map((rating, k) => new binding.FSRSBindingReview(rating, card.deltas[k]!));
    for (const k of card.targets) dated.push({ time: card.times[k]!, item: new binding.FSRSBindingItem(reviews.slice(0, k + 1)) });
    if (c % 5000 === 4999) deps.progress('preparing', c + 1, set.cards.length);
  }
  // In time order, as the reference implementation keeps them.
  dated.sort((a, b) => a.time - b.time);
  const items = dated.map((d) => d.item);

  // The binding's own progress callback cannot be used: stopping a worker while it is registered aborts
  // the whole process (napi-rs), and stopping the worker is how a fit is cancelled. So the bar moves by an
  // estimate of the fitting time and jumps to the end when it is done.
  const expectedMs = Math.max(1000, (items.length * input.microsPerItem) / 1000);
  const started = Date.now();
  deps.progress('fitting', 0, expectedMs);
  const timer = setInterval(() => deps.progress('fitting', Math.min(expectedMs * 0.97, Date.now() - started), expectedMs), 250);
  let params: number[];
  try {
    params = await binding.computeParameters(items, { enableShortTerm: true, numRelearningSteps: input.relearningSteps });
  } finally {
    clearInterval(timer);
  }
  deps.progress('fitting', expectedMs, expectedMs);

  // Measured on every training item, in Cadence's own code (evaluate.ts): the same on every platform.
  const sets = input.current ? 3 : 2;
  const measure = (p: readonly number[], i: number): FitMetrics => {
    deps.progress('evaluating', i, sets);
    return deps.evaluateFit(set.cards, p, deps.MemoryModel);
  };
  const fitted = measure(params, 0);
  const defaults = measure(input.defaults, 1);
  const current = input.current ? measure(input.current, 2) : null;
  deps.progress('evaluating', sets, sets);
  return { status: 'done', reviews: set.reviews, items: set.items, measured: set.items, params, fitted, defaults, current };
}

export interface MeasureInput extends ScopeInput {
  /** Parameter sets to measure. */
  sets: number[][];
}

/** Log loss and RMSE(bins) of parameter sets on the scope's training items (a held-out check, in tests). */
export function measureTask(input: MeasureInput, deps: WorkerDeps): { items: number; metrics: FitMetrics[] } {
  const set = deps.buildTrainingSet(deps.readRevlog(input, deps), input.nextDayAt, deps.cardHistory);
  return { items: set.items, metrics: input.sets.map((p) => deps.evaluateFit(set.cards, p, deps.MemoryModel)) };
}

export interface SimulateInput extends ScopeInput {
  params: number[];
  retentions: number[];
  days: number;
  newPerDay: number;
  reviewsPerDay: number;
  maximumInterval: number;
  learningSteps: number;
  relearningSteps: number;
}

export interface SimulateOutput {
  cards: number;
  newCards: number;
  rows: { retention: number; totalReviews: number; remembered: number }[];
}

export function simulateTask(input: SimulateInput, deps: WorkerDeps): SimulateOutput {
  const DAY_MS = 86_400_000;
  const db = deps.openDb();
  let rows: [state: number, stability: number, difficulty: number, lastReview: number | null, due: number][];
  let counts: { first: number; rating: number; n: number }[];
  try {
    deps.progress('reading', 0, 1);
    rows = db.prepare(input.sql.cards).raw().all(input.deckIds) as typeof rows;
    counts = db.prepare(input.sql.ratings).all(input.deckIds) as typeof counts;
  } finally {
    db.close();
  }
  // Today is day 0; a card's days are counted in study days like the training set's.
  const dayOf = (t: number) => -Math.floor((input.nextDayAt - t) / DAY_MS);
  const studied = rows.filter(([state, stability]) => state !== 0 && stability > 0);
  const stability = Float64Array.from(studied, (r) => r[1]);
  const difficulty = Float64Array.from(studied, (r) => r[2]);
  const lastDay = Float64Array.from(studied, (r) => (r[3] === null ? 0 : dayOf(r[3])));
  const dueDay = Float64Array.from(studied, (r) => dayOf(r[4]));

  // The learner's own habits where there are enough answers; otherwise a typical learner's.
  const share = (first: boolean, ratings: number[], fallback: number[]) => {
    const n = ratings.map((g) => counts.find((c) => Boolean(c.first) === first && c.rating === g)?.n ?? 0);
    const sum = n.reduce((a, b) => a + b, 0);
    return sum >= 50 ? n.map((x) => x / sum) : fallback;
  };
  const firstRatings = share(true, [1, 2, 3, 4], [0.2, 0.1, 0.6, 0.1]) as [number, number, number, number];
  const passRatings = share(false, [2, 3, 4], [0.1, 0.8, 0.1]) as [number, number, number];

  const out: SimulateOutput = { cards: rows.length, newCards: rows.length - studied.length, rows: [] };
  // A small deck's year is mostly luck: repeat it (with other seeds) until about 5,000 cards were simulated.
  const simulatedCards = studied.length + Math.min(rows.length - studied.length, input.newPerDay * input.days);
  const repeats = Math.min(20, Math.max(1, Math.ceil(5000 / Math.max(1, simulatedCards))));
  for (let i = 0; i < input.retentions.length; i++) {
    deps.progress('simulating', i, input.retentions.length);
    const retention = input.retentions[i]!;
    const model = new deps.MemoryModel(input.params, retention, input.maximumInterval);
    let totalReviews = 0;
    let remembered = 0;
    for (let run = 0; run < repeats; run++) {
      const result = deps.simulateStudy(
        {
          days: input.days,
          newPerDay: input.newPerDay,
          reviewsPerDay: input.reviewsPerDay,
          learningSteps: input.learningSteps,
          relearningSteps: input.relearningSteps,
          stability,
          difficulty,
          lastDay,
          dueDay,
          newCards: rows.length - studied.length,
          firstRatings,
          passRatings,
          // The same seeds at every retention, so curves differ by the retention, not by luck.
          seed: 20_240_917 + run,
        },
        model,
      );
      totalReviews += result.totalReviews / repeats;
      remembered += result.remembered / repeats;
    }
    out.rows.push({ retention, totalReviews, remembered });
  }
  deps.progress('simulating', input.retentions.length, input.retentions.length);
  return out;
}

export interface MemoryInput extends ScopeInput {
  params: number[];
}

/** Each card's memory (stability, difficulty) replayed from its history with `params`, as columns. */
export interface MemoryOutput {
  cardIds: number[];
  stability: number[];
  difficulty: number[];
  /** The last answer the replay used: a card answered since is left alone. */
  lastReview: number[];
}

export function memoryTask(input: MemoryInput, deps: WorkerDeps): MemoryOutput {
  const cols = deps.readRevlog(input, deps);
  const alg = new deps.tsfsrs.FSRSAlgorithm(deps.tsfsrs.generatorParameters({ w: input.params }));
  const out: MemoryOutput = { cardIds: [], stability: [], difficulty: [], lastReview: [] };
  let start = 0;
  while (start < cols.length) {
    const card = cols.cardIds[start]!;
    let end = start + 1;
    while (end < cols.length && cols.cardIds[end] === card) end++;
    const h = deps.cardHistory(cols, start, end, input.nextDayAt, false);
    if (h) {
      let memory: { stability: number; difficulty: number } | null = null;
      for (let k = 0; k < h.ratings.length; k++) memory = alg.next_state(memory, h.deltas[k]!, h.ratings[k]!);
      out.cardIds.push(h.cardId);
      out.stability.push(memory!.stability);
      out.difficulty.push(memory!.difficulty);
      out.lastReview.push(h.times[h.times.length - 1]!);
    }
    if (Math.floor(end / 50_000) > Math.floor(start / 50_000)) deps.progress('rescheduling', end, cols.length);
    start = end;
  }
  return out;
}
