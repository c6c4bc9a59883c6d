import { addDays, differenceInCalendarDays, format, getISODay, parseISO } from 'date-fns';
import type { CheckinEntry, CheckinSchedule } from '../../../shared/contract/curriculum';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';

interface ScheduleRow {
  cadence: 'weekly' | 'biweekly';
  weekday: number;
  time: string;
  first_date: string;
  mentor: string;
  curriculum_id: number | null;
  remind_minutes_before: number;
}

interface LogRow {
  id: number;
  at: number;
  notes: string;
  curriculum_id: number | null;
}

export interface NextCheckin {
  at: number;
  date: string;
  time: string;
  mentor: string;
}

const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const LOG_LIMIT = 200;

/** When a check-in on `date` at `time` ('HH:mm') starts, in local time. */
export function checkinInstant(date: string, time: string): number {
  const d = parseISO(date);
  const [h, m] = time.split(':').map(Number) as [number, number];
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), h, m).getTime();
}

/**
 * The check-ins to come, from the schedule: every 7 or 14 days from the first date. A check-in
 * already logged on its date counts as held, so the next one is the following. `from` (default now)
 * lets the reminders also see a check-in that started a little while ago, so one whose reminder time
 * passed while Cadence was closed is still recorded (as missed) rather than lost.
 */
export function upcomingCheckins(schedule: CheckinSchedule, now: number, loggedDates: ReadonlySet<string>, count = 1, from = now): NextCheckin[] {
  const period = schedule.cadence === 'weekly' ? 7 : 14;
  const first = parseISO(schedule.firstDate);
  const elapsed = differenceInCalendarDays(new Date(from), first);
  let k = Math.max(0, Math.floor(elapsed / period));
  const out: NextCheckin[] = [];
  // A few steps are enough: at most one occurrence lies before now, and logged ones are skipped.
  for (let guard = 0; out.length < count && guard < count + 60; guard++, k++) {
    const date = format(addDays(first, k * period), 'yyyy-MM-dd');
    const at = checkinInstant(date, schedule.time);
    if (at < from || loggedDates.has(date)) continue;
    out.push({ at, date, time: schedule.time, mentor: schedule.mentor });
  }
  return out;
}

/** Mentor check-ins: one schedule and a log with notes. */
export function makeCheckins(ctx: CoreContext) {
  const { db } = ctx;
  const selectSchedule = db.prepare<[], ScheduleRow>(
    'SELECT cadence, weekday, time, first_date, mentor, curriculum_id, remind_minutes_before FROM checkin_schedule WHERE id = 1',
  );
  const upsertSchedule = db.prepare(
    `INSERT INTO checkin_schedule (id, cadence, weekday, time, first_date, mentor, curriculum_id, remind_minutes_before, updated_at)
     VALUES (1, @cadence, @weekday, @time, @firstDate, @mentor, @curriculumId, @remindMinutesBefore, @now)
     ON CONFLICT (id) DO UPDATE SET cadence = excluded.cadence, weekday = excluded.weekday, time = excluded.time,
       first_date = excluded.first_date, mentor = excluded.mentor, curriculum_id = excluded.curriculum_id,
       remind_minutes_before = excluded.remind_minutes_before, updated_at = excluded.updated_at`,
  );
  const deleteSchedule = db.prepare('DELETE FROM checkin_schedule');
  const selectLog = db.prepare<[number], LogRow>('SELECT id, at, notes, curriculum_id FROM checkin_log ORDER BY at DESC, id DESC LIMIT ?');
  const selectLogSince = db.prepare<[number], { at: number }>('SELECT at FROM checkin_log WHERE at >= ?');
  const selectEntry = db.prepare<[number], LogRow>('SELECT id, at, notes, curriculum_id FROM checkin_log WHERE id = ?');
  const insertEntry = db.prepare('INSERT INTO checkin_log (at, notes, curriculum_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const updateEntry = db.prepare('UPDATE checkin_log SET at = ?, notes = ?, updated_at = ? WHERE id = ?');
  const deleteEntry = db.prepare('DELETE FROM checkin_log WHERE id = ?');
  const curriculumExists = db.prepare<[number], { id: number }>('SELECT id FROM curricula WHERE id = ?');

  function schedule(): CheckinSchedule | null {
    const row = selectSchedule.get();
    if (!row) return null;
    return {
      cadence: row.cadence,
      weekday: row.weekday,
      time: row.time,
      firstDate: row.first_date,
      mentor: row.mentor,
      curriculumId: row.curriculum_id,
      remindMinutesBefore: row.remind_minutes_before,
    };
  }

  function toEntry(row: LogRow): CheckinEntry {
    return { id: row.id, at: row.at, date: format(row.at, 'yyyy-MM-dd'), notes: row.notes, curriculumId: row.curriculum_id };
  }

  /** The next `count` check-ins not yet held (starting `lookBackMs` ago; the reminders look back a day). */
  function upcoming(count = 1, lookBackMs = 0): NextCheckin[] {
    const s = schedule();
    if (!s) return [];
    const now = ctx.clock.now();
    const from = now - lookBackMs;
    // Only logs from that day on can mark one of these check-ins as held.
    const since = new Date(from);
    const logged = new Set(selectLogSince.all(new Date(since.getFullYear(), since.getMonth(), since.getDate()).getTime()).map((r) => format(r.at, 'yyyy-MM-dd')));
    return upcomingCheckins(s, now, logged, count, from);
  }

  function requireCurriculum(id: number | null): void {
    if (id !== null && !curriculumExists.get(id)) throw new AppError('not_found', 'That curriculum no longer exists.');
  }

  function overview() {
    return { schedule: schedule(), next: upcoming(1)[0] ?? null, log: selectLog.all(LOG_LIMIT).map(toEntry) };
  }

  function setSchedule(input: {
    cadence: 'weekly' | 'biweekly';
    weekday: number;
    time: string;
    firstDate?: string | undefined;
    mentor: string;
    curriculumId: number | null;
    remindMinutesBefore: number;
  }) {
    requireCurriculum(input.curriculumId);
    let firstDate = input.firstDate;
    if (firstDate !== undefined) {
      const day = getISODay(parseISO(firstDate));
      if (day !== input.weekday) {
        throw new AppError('invalid_input', `The first date, ${firstDate}, is a ${WEEKDAYS[day]}, but the check-ins are on ${WEEKDAYS[input.weekday]}s; choose a ${WEEKDAYS[input.weekday]}.`);
      }
    } else {
      // The first such weekday from today on.
      const today = new Date(ctx.clock.now());
      const shift = (input.weekday - getISODay(today) + 7) % 7;
      firstDate = format(addDays(today, shift), 'yyyy-MM-dd');
    }
    upsertSchedule.run({ ...input, firstDate, now: ctx.clock.now() });
    return overview();
  }

  function clearSchedule() {
    deleteSchedule.run();
    return overview();
  }

  function log(input: { at?: number | undefined; notes: string; curriculumId: number | null }): CheckinEntry {
    requireCurriculum(input.curriculumId);
    const now = ctx.clock.now();
    if (input.at !== undefined && input.at > now) {
      throw new AppError('invalid_input', 'A check-in is logged once it has taken place; choose today or an earlier day, or schedule the next one above.');
    }
    const id = Number(insertEntry.run(input.at ?? now, input.notes, input.curriculumId, now, now).lastInsertRowid);
    return toEntry(selectEntry.get(id)!);
  }

  function requireEntry(id: number): LogRow {
    const row = selectEntry.get(id);
    if (!row) throw new AppError('not_found', 'That check-in note no longer exists.');
    return row;
  }

  function updateLog(id: number, patch: { at?: number | undefined; notes?: string | undefined }): CheckinEntry {
    const row = requireEntry(id);
    updateEntry.run(patch.at ?? row.at, patch.notes ?? row.notes, ctx.clock.now(), id);
    return toEntry(requireEntry(id));
  }

  function deleteLog(id: number): void {
    requireEntry(id);
    deleteEntry.run(id);
  }

  return { schedule, upcoming, overview, setSchedule, clearSchedule, log, updateLog, deleteLog };
}
export type Checkins = ReturnType<typeof makeCheckins>;
