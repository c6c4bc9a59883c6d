import type { Db } from '../context';
import { nextStudyDayStart, studyDayStart } from '../../../shared/studyDay';

/** Longest streak searched back; far more than anyone's, and it bounds the loop. */
const MAX_STREAK_DAYS = 20_000;

/**
 * The study streak and today's progress. The streak walks back one study day at a time with an
 * index seek per day ("any answer between this day's start and end?"), so its cost grows with the
 * streak, not with the size of the review log.
 */
export function makeStreak(db: Db) {
  const anyAnswer = db.prepare<[number, number], { x: number }>(
    'SELECT 1 AS x FROM revlog WHERE reviewed_at >= ? AND reviewed_at < ? AND rating > 0 LIMIT 1',
  );
  const cardsToday = db.prepare<[number, number], { n: number }>(
    'SELECT count(DISTINCT card_id) AS n FROM revlog WHERE reviewed_at >= ? AND reviewed_at < ? AND rating > 0',
  );

  /** Consecutive study days with at least one answer; a today not studied yet does not break it. */
  function streak(now: number, rolloverHour: number): { days: number; studiedToday: boolean } {
    let start = studyDayStart(now, rolloverHour);
    let end = nextStudyDayStart(start, rolloverHour);
    const studiedToday = anyAnswer.get(start, end) !== undefined;
    let days = studiedToday ? 1 : 0;
    for (let i = 0; i < MAX_STREAK_DAYS; i++) {
      // The day before: it ends where this one starts; one hour before that is safely inside it.
      end = start;
      start = studyDayStart(start - 3_600_000, rolloverHour);
      if (anyAnswer.get(start, end) === undefined) break;
      days++;
    }
    return { days, studiedToday };
  }

  /** Distinct cards answered in today's study day. */
  function cardsStudiedToday(now: number, rolloverHour: number): number {
    const start = studyDayStart(now, rolloverHour);
    return cardsToday.get(start, nextStudyDayStart(start, rolloverHour))!.n;
  }

  return { streak, cardsStudiedToday };
}
