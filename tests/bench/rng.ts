// A small seeded random source so a generated collection is the same on every machine and every run.
// Math.random cannot be seeded; this is a 32-bit xorshift-multiply generator (fast, good enough for data).

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both included). */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** Index drawn from cumulative weights (see cumulative()). */
  weighted(cumulativeWeights: Float64Array): number;
  /** Log-normal value with the given median and spread (sigma of the underlying normal). */
  logNormal(median: number, sigma: number): number;
  /** A fresh generator whose stream depends only on this one's seed and `label`. */
  fork(label: string): Rng;
}

function hashString(s: string, seed: number): number {
  let h = seed ^ 0x9e3779b9;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x85ebca6b);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

export function makeRng(seed: number): Rng {
  let state = (seed >>> 0) || 0x6d2b79f5;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spareNormal: number | null = null;
  const normal = () => {
    if (spareNormal !== null) {
      const v = spareNormal;
      spareNormal = null;
      return v;
    }
    // Box-Muller; 1 - next() keeps log() away from zero.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const a = 2 * Math.PI * next();
    spareNormal = r * Math.sin(a);
    return r * Math.cos(a);
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (cum) => {
      const x = next() * cum[cum.length - 1]!;
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! > x) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    fork: (label) => makeRng(hashString(label, seed)),
  };
}

/** Running sums of weights, for Rng.weighted. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

/** Zipf weights 1/rank^s: a few items are common, most are rare (word use, deck sizes, tags). */
export function zipfWeights(count: number, s = 1): Float64Array {
  return cumulative(Array.from({ length: count }, (_, i) => 1 / Math.pow(i + 1, s)));
}

/** Fisher-Yates shuffle in place. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}
