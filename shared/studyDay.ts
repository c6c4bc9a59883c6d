// The study day: like Anki, a "day" of study starts at a configurable local hour (default 04:00), so a
// late-night session still counts for the evening before. Computed on the local clock (not by
// subtracting hours), so on daylight-saving days the hour after the rollover belongs to the new day.
// Pure: no Node, no DOM; used by both sides.

const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' of a Date's local calendar date. */
export function isoLocalDate(d: Date): string {
  const m = d.getMonth() + 1;
  const day = d.getDate();
  return `${d.getFullYear()}-${m < 10 ? '0' : ''}${m}-${day < 10 ? '0' : ''}${day}`;
}

/** When the study day containing `instant` began: the rollover hour on its local date, or the date before. */
export function studyDayStart(instant: number, rolloverHour: number): number {
  const t = new Date(instant);
  const sameDate = new Date(t.getFullYear(), t.getMonth(), t.getDate(), rolloverHour).getTime();
  if (instant >= sameDate) return sameDate;
  return new Date(t.getFullYear(), t.getMonth(), t.getDate() - 1, rolloverHour).getTime();
}

/** When the study day after the one starting at `dayStart` starts (calendar arithmetic, not +24 h). */
export function nextStudyDayStart(dayStart: number, rolloverHour: number): number {
  const d = new Date(dayStart);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, rolloverHour).getTime();
}

/** When the study day containing `instant` ends (the next one's start). */
export function studyDayEnd(instant: number, rolloverHour: number): number {
  return nextStudyDayStart(studyDayStart(instant, rolloverHour), rolloverHour);
}

/** The local calendar date ('YYYY-MM-DD') of the study day containing `instant`. */
export function studyDate(instant: number, rolloverHour: number): string {
  return isoLocalDate(new Date(studyDayStart(instant, rolloverHour)));
}

/**
 * A whole number naming the study day containing `instant` (days since 1970-01-01 of its local date):
 * consecutive study days differ by exactly 1, across DST changes too.
 */
export function studyDayNumber(instant: number, rolloverHour: number): number {
  const d = new Date(studyDayStart(instant, rolloverHour));
  return Math.round(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / DAY_MS);
}
