const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One decimal, dropped when it is zero: 2.1, 3. */
const short = (n: number) => {
  const rounded = Math.round(n * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
};

/**
 * A time span as the answer buttons show it: "45s", "10m", "1.5h", "3d", "2.1mo", "1.2y".
 * Months are 30 days and years 365, as in Anki.
 */
export function intervalLabel(ms: number): string {
  const span = Math.max(0, ms);
  if (span < MINUTE) return `${Math.round(span / 1000)}s`;
  if (span < HOUR) return `${Math.round(span / MINUTE)}m`;
  if (span < DAY) return `${short(span / HOUR)}h`;
  const days = span / DAY;
  if (days < 30) return `${Math.round(days)}d`;
  if (days < 365) return `${short(days / 30)}mo`;
  return `${short(days / 365)}y`;
}
