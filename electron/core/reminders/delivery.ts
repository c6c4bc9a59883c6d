// What the desktop notifier does, as pure functions: which OS notifications to show for what was
// claimed, and how long to sleep before the next check.
import type { InboxItem, ReminderTarget } from '../../../shared/contract/certifications';
import type { StartupSummary } from './index';

export const HOUR_MS = 3_600_000;
/** More than this many at once become one summary notification instead of a burst. */
export const MAX_SEPARATE_NOTIFICATIONS = 3;

export interface PlannedNotification {
  title: string;
  body: string;
  /** What a click opens; null opens the window on the inbox. */
  target: ReminderTarget | null;
}

export function planNotifications(items: readonly InboxItem[], startup: StartupSummary | null): PlannedNotification[] {
  const planned: PlannedNotification[] = [];
  if (startup) {
    const only = startup.items.length === 1 ? startup.items[0]! : null;
    planned.push({
      title: startup.count === 1 ? 'A reminder came due while Cadence was closed' : `${startup.count} reminders came due while Cadence was closed`,
      body: only ? only.title : startup.items.slice(0, 3).map((i) => i.title).join('\n'),
      target: only ? only.target : null,
    });
  }
  if (items.length > MAX_SEPARATE_NOTIFICATIONS) {
    planned.push({
      title: `${items.length} reminders`,
      body: items.slice(0, 3).map((i) => i.title).join('\n') + `\nand ${items.length - 3} more in your inbox`,
      target: null,
    });
  } else {
    for (const item of items) planned.push({ title: item.title, body: item.body, target: item.target });
  }
  return planned;
}

/**
 * Milliseconds until the next check: when the next reminder is due, but never more than an hour (a long
 * timer would miss a clock change or sleep, and setTimeout overflows past 24.8 days) and never less than
 * a second (a reminder due "now" was just claimed; re-check shortly rather than spin).
 */
export function nextCheckDelay(nextDueAt: number | null, now: number): number {
  if (nextDueAt === null) return HOUR_MS;
  return Math.min(HOUR_MS, Math.max(1000, nextDueAt - now));
}
