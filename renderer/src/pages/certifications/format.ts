// Display helpers for certification pages: calendar dates in words, units, and "not confirmed".
import type { CertStatus } from '../../../../shared/contract/certifications';

/** '2027-03-03' -> '3 March 2027', the form Cadence's own messages use (see dates.ts). */
export { dayText as longDate } from '../../dates';

export function units(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export const NOT_CONFIRMED = 'not confirmed';

export function feeLabel(fee: number | null): string {
  if (fee === null) return NOT_CONFIRMED;
  if (fee === 0) return 'none';
  return `$${units(fee)}`;
}

/** Today as 'YYYY-MM-DD' in local time (for date inputs). */
export function todayLocal(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * What to enter in an "Earned on" date picker, or undefined when it holds today or an earlier day. The
 * picker shows dates the system's way, so the schema's "YYYY-MM-DD" sentence would not match it.
 */
export function earnedOnProblem(earnedOn: string): string | undefined {
  return !earnedOn || earnedOn > todayLocal() ? 'Choose the day you earned it: today or an earlier day.' : undefined;
}

/** The date `years` later; 29 February becomes 28 February in a year without one (as the rules do). */
export function plusYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export const STATUS_LABEL: Record<CertStatus, string> = {
  active: 'Active',
  due_soon: 'Renewal due soon',
  grace: 'Grace / suspension',
  expired: 'Expired',
  lifetime: 'Lifetime',
  unknown: 'Expiry not confirmed',
};

export function statusTone(status: CertStatus): 'ok' | 'warn' | 'bad' | undefined {
  if (status === 'active' || status === 'lifetime') return 'ok';
  if (status === 'due_soon' || status === 'grace') return 'warn';
  if (status === 'expired') return 'bad';
  return undefined;
}
