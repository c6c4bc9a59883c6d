// Certification reminders as a pure function: (each certification with its reminder rules and credit
// state, now) -> every reminder occurrence, past and future. selectDue (reminders/engine.ts) then picks
// what is due given what already fired. Keys carry the expiry date, so a renewal (new expiry) starts a
// fresh series and a time-zone change never creates a duplicate.
import type { CertStatus, ReminderRules } from '../../../shared/contract/certifications';
import { selectDue, type DueReminders, type ReminderCandidate } from '../reminders/engine';
import { daysBetween, formatUnits, localDate, localInstant, longDate, plusDays } from './dates';
import { paceBehind } from './rules';

/** Reminders ring at this local hour on their day. */
export const REMINDER_HOUR = 9;

export interface CertReminderItem {
  id: number;
  abbreviation: string;
  status: CertStatus;
  cycleStart: string;
  expiresOn: string | null;
  graceEndsOn: string | null;
  graceKind: 'grace' | 'suspension' | null;
  rules: ReminderRules;
  /** Units needed for this renewal; null: none or not confirmed. */
  required: number | null;
  counted: number;
  unitPlural: string;
  /** "12 more SEUs by 3 March 2027; $100 fee", or null. */
  shortfallText: string | null;
}

function renewalText(item: CertReminderItem, expiresOn: string): string {
  return item.shortfallText ?? `Renew by ${longDate(expiresOn)}.`;
}

function daysLeftTitle(abbr: string, left: number): string {
  if (left <= 0) return `${abbr} expires today`;
  if (left === 1) return `${abbr} renewal due tomorrow`;
  return `${abbr} renewal due in ${left} days`;
}

const EXPIRED_LOOK_BACK_DAYS = 30;

export function certificationReminders(items: readonly CertReminderItem[], now: number): ReminderCandidate[] {
  const today = localDate(now);
  const out: ReminderCandidate[] = [];
  for (const item of items) {
    const { rules, expiresOn } = item;
    if (!rules.enabled || !expiresOn) continue;
    if (item.status === 'lifetime') continue;
    const left = daysBetween(today, expiresOn);
    // Just expired: still offered for a while, so reminders due while Cadence was closed (the expiry
    // day among them) are recorded as missed instead of lost.
    if (item.status === 'expired' && -left > EXPIRED_LOOK_BACK_DAYS) continue;
    const target = { kind: 'certification', id: item.id };
    const group = `cert:${item.id}:expiry:${expiresOn}`;

    for (const days of rules.daysBefore) {
      const date = plusDays(expiresOn, -days);
      // Never a reminder dated before the certification (or its current cycle) existed.
      if (date < item.cycleStart) continue;
      out.push({
        key: `cert:${item.id}:expiry:${expiresOn}:before-${days}`,
        dueAt: localInstant(date, REMINDER_HOUR),
        title: daysLeftTitle(item.abbreviation, Math.min(days, Math.max(left, 0))),
        body: renewalText(item, expiresOn),
        target,
        group,
      });
    }
    if (rules.onExpiryDay) {
      out.push({
        key: `cert:${item.id}:expiry:${expiresOn}:day-of`,
        dueAt: localInstant(expiresOn, REMINDER_HOUR),
        title: `${item.abbreviation} expires today`,
        body: renewalText(item, expiresOn),
        target,
        group,
      });
    }
    if (rules.weeklyDuringGrace && item.graceEndsOn) {
      const what = item.graceKind === 'suspension' ? 'is suspended' : 'is in its grace period';
      for (let week = 1; ; week++) {
        const date = plusDays(expiresOn, 7 * week);
        if (date > item.graceEndsOn) break;
        const remaining = Math.max(0, daysBetween(today < date ? date : today, item.graceEndsOn));
        out.push({
          key: `cert:${item.id}:expiry:${expiresOn}:grace-week-${week}`,
          dueAt: localInstant(date, REMINDER_HOUR),
          title: `${item.abbreviation} ${what}: ${remaining} ${remaining === 1 ? 'day' : 'days'} left to renew`,
          body: item.shortfallText ?? `Renew by ${longDate(item.graceEndsOn)}.`,
          target,
          group,
        });
      }
    }
    if (rules.creditPace && item.required !== null && item.required > 0 && today <= expiresOn) {
      const pace = paceBehind(today, item.cycleStart, expiresOn, item.required, item.counted);
      if (pace.behind) {
        const month = today.slice(0, 7);
        out.push({
          key: `cert:${item.id}:pace:${expiresOn}:${month}`,
          dueAt: localInstant(`${month}-01`, REMINDER_HOUR),
          title: `${item.abbreviation}: credits behind pace`,
          body:
            `${formatUnits(item.counted)} of ${formatUnits(item.required)} ${item.unitPlural} logged; an even pace would have about ` +
            `${formatUnits(Math.floor(pace.expected))} by now. ${item.shortfallText ?? ''}`.trim(),
          target,
          group: `cert:${item.id}:pace:${expiresOn}`,
        });
      }
    }
  }
  return out;
}

/** The reminder engine for certifications: (rules and items, already fired, now) -> due reminders. */
export function dueCertificationReminders(items: readonly CertReminderItem[], alreadyFired: ReadonlySet<string>, now: number): DueReminders {
  return selectDue(certificationReminders(items, now), alreadyFired, now);
}
