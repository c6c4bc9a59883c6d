// Timing helpers: warm-up runs that are thrown away, then every run timed on its own, so the
// percentiles show the slow calls a person would feel, not just the average.

export interface Summary {
  runs: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of already sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    runs: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

/** Milliseconds one call of `fn` takes (async calls are awaited). */
export async function timeOnce(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed. */
export async function timeRuns(fn: (i: number) => unknown, runs: number, warmup = Math.min(50, Math.ceil(runs / 10))): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(warmup + i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

export interface PairedOptions {
  runs: number;
  warmup?: number;
  /** Stop early once this much time has passed, provided at least minRuns were timed. */
  maxMs?: number;
  minRuns?: number;
}

/**
 * Times two functions in alternation (a, b, a, b, ...) so the figure and its floor see the same
 * machine noise, caches and database state.
 */
export async function timePaired(
  a: (i: number) => unknown,
  b: (i: number) => unknown,
  { runs, warmup = Math.min(50, Math.ceil(runs / 10)), maxMs = Infinity, minRuns = runs }: PairedOptions,
): Promise<[number[], number[]]> {
  for (let i = 0; i < warmup; i++) {
    await a(i);
    await b(i);
  }
  const sa: number[] = [];
  const sb: number[] = [];
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    if (i >= minRuns && performance.now() - started > maxMs) break;
    let t0 = performance.now();
    await a(warmup + i);
    sa.push(performance.now() - t0);
    t0 = performance.now();
    await b(warmup + i);
    sb.push(performance.now() - t0);
  }
  return [sa, sb];
}

export function median(samples: readonly number[]): number {
  return percentile([...samples].sort((x, y) => x - y), 50);
}
