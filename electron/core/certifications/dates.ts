// Calendar dates ('YYYY-MM-DD') in the user's time zone. Expiry and credit dates are calendar dates, not
// instants, so a time-zone change or a DST switch never moves them; instants are derived from them only
// when something must happen at a time of day (a reminder at 09:00 local).
import { addDays, addMonths, addYears, differenceInCalendarDays, format, parse } from 'date-fns';

const FORMAT = 'yyyy-MM-dd';

/** Local midnight of a calendar date. */
export function dateToLocal(date: string): Date {
  return parse(date, FORMAT, new Date(2000, 0, 1));
}

export function formatDate(d: Date): string {
  return format(d, FORMAT);
}

/** The local calendar date of an instant. */
export function localDate(instant: number): string {
  return format(instant, FORMAT);
}

/** The instant of `hour`:00 local time on a calendar date (DST-safe: built from the wall clock). */
export function localInstant(date: string, hour = 0): number {
  const d = dateToLocal(date);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), hour).getTime();
}

export function plusYears(date: string, years: number): string {
  // date-fns clamps 29 February to 28 February in a year without one: the earlier, safe deadline.
  return formatDate(addYears(dateToLocal(date), years));
}

export function plusMonths(date: string, months: number): string {
  return formatDate(addMonths(dateToLocal(date), months));
}

export function plusDays(date: string, days: number): string {
  return formatDate(addDays(dateToLocal(date), days));
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return differenceInCalendarDays(dateToLocal(to), dateToLocal(from));
}

/** "3 March 2027" */
export function longDate(date: string): string {
  return format(dateToLocal(date), 'd MMMM yyyy');
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

/** 12, 2.5, 0.75: units without trailing zeros. */
export function formatUnits(n: number): string {
  return String(Math.round(n * 100) / 100);
}
