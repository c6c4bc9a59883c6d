// One way to write dates and times on every page, the way Cadence's own messages write them
// ("4 March 2026", "Wednesday 4 March 2026", "14:05"), so a page never mixes "3/4/2026" with "4 Mar".
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
const DAY_WITH_WEEKDAY = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/** A 'YYYY-MM-DD' calendar date as local midnight. */
function local(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

/** '2026-03-04' -> "4 March 2026" (empty for no date). */
export function dayText(date: string | null | undefined): string {
  return date ? DAY.format(local(date)) : '';
}

/** '2026-03-04' -> "Wednesday 4 March 2026". */
export function weekdayText(date: string): string {
  // en-GB puts a comma after the weekday; Cadence's sentences do not.
  return DAY_WITH_WEEKDAY.format(local(date)).replace(',', '');
}

/** An instant's local time of day: "14:05". */
export function timeText(ms: number): string {
  return TIME.format(ms);
}

/** An instant as "4 March 2026, 14:05". */
export function dateTimeText(ms: number): string {
  return `${DAY.format(ms)}, ${TIME.format(ms)}`;
}

/** An instant's local calendar day: "4 March 2026". */
export function instantDayText(ms: number): string {
  return DAY.format(ms);
}
