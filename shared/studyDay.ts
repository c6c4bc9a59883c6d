// The study day: like Anki, a "day" of study starts at a configurable local hour (default 04:00), so a
// late-night session still counts for the evening before. Pure date-fns; used by both sides.
import { addDays, format, startOfDay, subHours } from 'date-fns';

const EPOCH_LOCAL_DAY = (d: Date) => Math.round((startOfDay(d).getTime() - startOfDay(new Date(1970, 0, 1)).getTime()) / 86_400_000);

/** The local calendar date ('YYYY-MM-DD') of the study day containing `instant`. */
export function studyDate(instant: number, rolloverHour: number): string {
  return format(subHours(instant, rolloverHour), 'yyyy-MM-dd');
}

/**
 * A whole number naming the study day containing `instant`: consecutive study days differ by 1,
 * across DST changes too (it counts local calendar days, not 24-hour blocks).
 */
export function studyDayNumber(instant: number, rolloverHour: number): number {
  return EPOCH_LOCAL_DAY(subHours(instant, rolloverHour));
}

/** When the study day containing `instant` began (epoch ms): its local date at the rollover hour. */
export function studyDayStart(instant: number, rolloverHour: number): number {
  const day = startOfDay(subHours(instant, rolloverHour));
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), rolloverHour).getTime();
}

/** When the study day containing `instant` ends (the next one's start). */
export function studyDayEnd(instant: number, rolloverHour: number): number {
  const day = startOfDay(subHours(instant, rolloverHour));
  const next = addDays(day, 1);
  return new Date(next.getFullYear(), next.getMonth(), next.getDate(), rolloverHour).getTime();
}
