// Renewal deadlines as an iCalendar file: one all-day event per expiry (and per grace/suspension end
// when its length is known), with alarms matching the certification's reminder rules.
import { CUSTOM_ID } from './catalog';
import { longDate } from './dates';
import { writeCalendar, type IcsAlarm, type IcsEvent } from './ics';
import { REMINDER_HOUR } from './reminderRules';
import { feeText } from './rules';
import type { Computed } from './service';

export function buildCalendar(certs: readonly Computed[], now: number): { text: string; events: number } {
  const events: IcsEvent[] = [];
  for (const c of certs) {
    const { row, rules, dates, status, reminderRules } = c;
    if (!dates.expiresOn || status.status === 'expired' || status.status === 'lifetime') continue;
    const name = `${rules.entry.abbreviation}${row.label ? ` (${row.label})` : ''}`;
    const url = row.url ?? (row.catalog_id === CUSTOM_ID ? undefined : rules.body.website);
    const alarms: IcsAlarm[] = reminderRules.enabled
      ? [
          ...reminderRules.daysBefore.map((d) => ({ daysBefore: d, hour: REMINDER_HOUR, description: `${name} expires in ${d} ${d === 1 ? 'day' : 'days'}` })),
          ...(reminderRules.onExpiryDay ? [{ daysBefore: 0, hour: REMINDER_HOUR, description: `${name} expires today` }] : []),
        ]
      : [];
    const details = [
      c.shortfall,
      `${rules.entry.name} expires on ${longDate(dates.expiresOn)}.`,
      `Renewal: ${feeText(rules.entry.feeUsd)}.`,
      row.credential_id ? `Credential ID: ${row.credential_id}` : null,
    ].filter((s): s is string => Boolean(s));
    events.push({
      uid: `cadence-cert-${row.id}-${dates.expiresOn}@cadence.app`,
      date: dates.expiresOn,
      summary: `Renew ${name} (${rules.body.name})`,
      description: details.join('\n'),
      url,
      alarms,
    });
    if (dates.graceEndsOn) {
      const what = rules.entry.grace?.kind === 'suspension' ? 'suspension' : 'grace period';
      events.push({
        uid: `cadence-cert-${row.id}-${dates.expiresOn}-grace@cadence.app`,
        date: dates.graceEndsOn,
        summary: `${name}: ${what} ends`,
        description: `Last day to renew ${rules.entry.name} after it expired on ${longDate(dates.expiresOn)}.`,
        url,
        alarms: reminderRules.enabled ? [{ daysBefore: 7, hour: REMINDER_HOUR, description: `${name}: ${what} ends in 7 days` }] : [],
      });
    }
  }
  const text = writeCalendar({ prodId: '-//Cadence//Certification renewals//EN', name: 'Cadence renewals', now, events });
  return { text, events: events.length };
}
