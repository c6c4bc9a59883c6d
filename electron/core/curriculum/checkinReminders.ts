// Plugs mentor check-ins into the shared reminders engine (see ../reminders/index.ts).
import { format } from 'date-fns';
import { registerReminderSource, type ReminderCandidate } from '../reminders';
import type { CoreContext } from '../context';
import { makeCheckins, type Checkins } from './checkins';

export const CHECKIN_REMINDER_SOURCE = 'checkins';
/** How many check-ins ahead are offered to the engine: enough to arm the next timer. */
const AHEAD = 3;
/** A check-in that started within this window is still offered, so a reminder due while Cadence was closed is recorded. */
const LOOK_BACK_MS = 24 * 3_600_000;

const stores = new WeakMap<CoreContext, Checkins>();

/** One reminder per upcoming check-in, `remindMinutesBefore` ahead of it; held (logged) ones are skipped. */
export function checkinReminders(ctx: CoreContext): ReminderCandidate[] {
  let checkins = stores.get(ctx);
  if (!checkins) {
    checkins = makeCheckins(ctx);
    stores.set(ctx, checkins);
  }
  const schedule = checkins.schedule();
  if (!schedule) return [];
  return checkins.upcoming(AHEAD, LOOK_BACK_MS).map((c) => ({
    key: `checkin:${c.date}:${c.time}`,
    dueAt: c.at - schedule.remindMinutesBefore * 60_000,
    title: `Mentor check-in ${format(c.at, 'EEEE')} at ${c.time}`,
    body: c.mentor ? `With ${c.mentor}. Note what you want to ask.` : 'Note what you want to ask.',
    target: { kind: 'checkin', id: 1 },
  }));
}

registerReminderSource(CHECKIN_REMINDER_SOURCE, (ctx) => checkinReminders(ctx));
