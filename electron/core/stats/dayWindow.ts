import { isoLocalDate, studyDayStart } from '../../../shared/studyDay';

const DAY_MS = 86_400_000;

/**
 * A run of consecutive study days, with where each one starts. Grouping instants by study day in SQL
 * must follow the user's time zone (DST makes some days 23 or 25 hours long) without calling back
 * into JavaScript for every row: the window is cut into stretches of whole 24-hour days, and SQL
 * computes the day index within a stretch with integer arithmetic.
 */
export interface DayWindow {
  /** Study dates ('YYYY-MM-DD'), oldest first. */
  dates: string[];
  /** starts[i] is when day i begins; starts[dates.length] is when the window ends. */
  starts: number[];
  segments: Segment[];
}

interface Segment {
  /** Index of the first day in this stretch and when it starts. */
  first: number;
  start: number;
  /** Index of the last day in this stretch and when the stretch ends. */
  last: number;
  end: number;
}

/** `count` study days ending with the one that contains `anchor` ('ending'), or starting with it ('starting'). */
export function dayWindow(anchor: number, count: number, rolloverHour: number, direction: 'ending' | 'starting'): DayWindow {
  const anchorStart = new Date(studyDayStart(anchor, rolloverHour));
  const offset = direction === 'ending' ? -(count - 1) : 0;
  const starts: number[] = [];
  const dates: string[] = [];
  for (let i = 0; i <= count; i++) {
    // Local calendar arithmetic (not +24 h), so every day starts at the rollover hour on its own date.
    const d = new Date(anchorStart.getFullYear(), anchorStart.getMonth(), anchorStart.getDate() + offset + i, rolloverHour);
    starts.push(d.getTime());
    if (i < count) dates.push(isoLocalDate(d));
  }
  const segments: Segment[] = [];
  let first = 0;
  for (let i = 0; i < count; i++) {
    const regular = starts[i + 1]! - starts[i]! === DAY_MS;
    if (!regular || i === count - 1) {
      segments.push({ first, start: starts[first]!, last: i, end: starts[i + 1]! });
      first = i + 1;
    }
  }
  return { dates, starts, segments };
}

/**
 * SQL text giving the day index (0 = first day of the window) of the instant in `column`, with
 * named parameters prefixed by `name`. Instants before the window give `before`, after it `after`,
 * NULL gives -2. The text depends only on the number of stretches, so statements can be cached by it.
 */
export function dayIndexSql(column: string, name: string, segmentCount: number): string {
  const parts = [`CASE WHEN ${column} IS NULL THEN -2 WHEN ${column} < @${name}s0 THEN @${name}before`];
  for (let k = 0; k < segmentCount; k++) {
    // CAST truncates; the operand is never negative inside a stretch, so this is floor. The min() keeps
    // the last hour of a 25-hour day on that day.
    parts.push(
      `WHEN ${column} < @${name}e${k} THEN min(@${name}f${k} + CAST((${column} - @${name}s${k}) / ${DAY_MS} AS INTEGER), @${name}l${k})`,
    );
  }
  parts.push(`ELSE @${name}after END`);
  return parts.join(' ');
}

/** The parameter values for dayIndexSql(column, name, window.segments.length). */
export function dayIndexParams(window: DayWindow, name: string, before: number, after: number): Record<string, number> {
  const params: Record<string, number> = { [`${name}before`]: before, [`${name}after`]: after };
  window.segments.forEach((s, k) => {
    params[`${name}s${k}`] = s.start;
    params[`${name}e${k}`] = s.end;
    params[`${name}f${k}`] = s.first;
    params[`${name}l${k}`] = s.last;
  });
  return params;
}
