import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studyDate, studyDayEnd, studyDayNumber, studyDayStart } from '../../shared/studyDay';

const tz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Berlin';
});
afterAll(() => {
  process.env.TZ = tz;
});

describe('study day', () => {
  it('counts a 02:00 session for the evening before when the day rolls over at 04:00', () => {
    const lateNight = new Date(2026, 2, 3, 2, 0).getTime();
    expect(studyDate(lateNight, 4)).toBe('2026-03-02');
    expect(studyDate(new Date(2026, 2, 3, 4, 0).getTime(), 4)).toBe('2026-03-03');
    expect(studyDate(lateNight, 0)).toBe('2026-03-03');
  });

  it('numbers consecutive days 1 apart across the spring DST change', () => {
    // Berlin moves clocks forward on 29 March 2026; that day has 23 hours.
    const before = new Date(2026, 2, 28, 12).getTime();
    const after = new Date(2026, 2, 29, 12).getTime();
    const next = new Date(2026, 2, 30, 12).getTime();
    expect(studyDayNumber(after, 4) - studyDayNumber(before, 4)).toBe(1);
    expect(studyDayNumber(next, 4) - studyDayNumber(after, 4)).toBe(1);
    // The study day that spans the change (28 March 04:00 to 29 March 04:00) is one hour short.
    expect(studyDayEnd(before, 4) - studyDayStart(before, 4)).toBe(23 * 3_600_000);
    expect(studyDayEnd(after, 4) - studyDayStart(after, 4)).toBe(24 * 3_600_000);
  });

  it('puts the hour after the rollover on a DST day in the new study day', () => {
    process.env.TZ = 'Europe/London';
    // London: clocks go forward at 01:00 on 29 March 2026 and back at 02:00 on 25 October 2026.
    expect(studyDate(new Date(2026, 2, 29, 4, 30).getTime(), 4)).toBe('2026-03-29');
    expect(studyDate(new Date(2026, 2, 29, 3, 30).getTime(), 4)).toBe('2026-03-28');
    expect(studyDate(new Date(2026, 9, 25, 4, 30).getTime(), 4)).toBe('2026-10-25');
    expect(studyDate(new Date(2026, 9, 25, 3, 30).getTime(), 4)).toBe('2026-10-24');
    const autumn = new Date(2026, 9, 25, 12).getTime();
    expect(studyDayEnd(autumn - 86_400_000, 4) - studyDayStart(autumn - 86_400_000, 4)).toBe(25 * 3_600_000);
    expect(studyDayNumber(autumn, 4) - studyDayNumber(autumn - 86_400_000, 4)).toBe(1);
    process.env.TZ = 'Europe/Berlin';
  });

  it('starts and ends the day at the rollover hour, local time', () => {
    const t = new Date(2026, 5, 10, 15, 30).getTime();
    expect(new Date(studyDayStart(t, 4)).getHours()).toBe(4);
    expect(new Date(studyDayStart(t, 4)).getDate()).toBe(10);
    expect(new Date(studyDayEnd(t, 4)).getDate()).toBe(11);
  });
});
