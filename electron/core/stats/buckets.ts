import type { HistogramBucket } from '../../../shared/contract/stats';

/** Stability (days) bucket edges: fine where most young cards are, coarse for the long tail. */
export const STABILITY_EDGES = [0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 120, 180, 270, 365, 730, 1095];

/** FSRS difficulty runs from 1 to 10; one bucket per unit. */
export const DIFFICULTY_EDGES = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const DIFFICULTY_MAX = 10;

/** SQL giving the bucket index of `column` for ascending `edges` (values below the first go to bucket 0). */
export function bucketSql(column: string, edges: number[]): string {
  const whens = edges.slice(1).map((edge, i) => `WHEN ${column} < ${edge} THEN ${i}`);
  return `CASE ${whens.join(' ')} ELSE ${edges.length - 1} END`;
}

/** The bucket index of `value` for ascending `edges`, as bucketSql computes it in SQL. */
export function bucketOf(value: number, edges: number[]): number {
  let i = 0;
  while (i + 1 < edges.length && value >= edges[i + 1]!) i++;
  return i;
}

function formatDays(days: number): string {
  if (days >= 365 && days % 365 === 0) return `${days / 365} y`;
  return `${days} d`;
}

/** Empty histogram with readable labels. */
export function emptyBuckets(kind: 'stability' | 'difficulty'): HistogramBucket[] {
  const edges = kind === 'stability' ? STABILITY_EDGES : DIFFICULTY_EDGES;
  return edges.map((from, i) => {
    const next = edges[i + 1];
    const to = next ?? (kind === 'difficulty' ? DIFFICULTY_MAX : null);
    let label: string;
    if (kind === 'difficulty') label = `${from}–${to}`;
    else if (to === null) label = `${formatDays(from)}+`;
    else label = from === 0 ? `< ${formatDays(to)}` : `${formatDays(from)} – ${formatDays(to)}`;
    return { label, from, to, cards: 0 };
  });
}
