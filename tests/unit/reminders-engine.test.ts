process.env.TZ = 'America/New_York';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_RULES } from '../../shared/contract/certifications';
import { selectDue, nextDueAt, type ReminderCandidate } from '../../electron/core/reminders/engine';
import { certificationReminders, dueCertificationReminders, type CertReminderItem } from '../../electron/core/certifications/reminderRules';

const at = (local: string) => new Date(local).getTime();

function cert(overrides: Partial<CertReminderItem> = {}): CertReminderItem {
  return {
    id: 7,
    abbreviation: 'CSPO',
    status: 'active',
    cycleStart: '2025-03-03',
    expiresOn: '2027-03-03',
    graceEndsOn: null,
    graceKind: 'grace',
    rules: DEFAULT_REMINDER_RULES,
    required: 20,
    counted: 20,
    unitPlural: 'SEUs',
    shortfallText: 'Requirements met; renew by 3 March 2027; $100 fee',
    ...overrides,
  };
}

const keys = (list: ReminderCandidate[]) => list.map((c) => c.key.replace('cert:7:expiry:2027-03-03:', ''));

describe('certification reminder rules (pure)', () => {
  it('lists the default occurrences at 09:00 local: 90, 60, 30, 7 and 1 days before and on the day', () => {
    const all = certificationReminders([cert()], at('2026-01-01T12:00'));
    expect(keys(all)).toEqual(['before-90', 'before-60', 'before-30', 'before-7', 'before-1', 'day-of']);
    expect(all.map((c) => new Date(c.dueAt).toString().slice(4, 21))).toEqual([
      'Dec 03 2026 09:00',
      'Jan 02 2027 09:00',
      'Feb 01 2027 09:00',
      'Feb 24 2027 09:00',
      'Mar 02 2027 09:00',
      'Mar 03 2027 09:00',
    ]);
  });

  it('fires nothing before 09:00 on the day and the right one after', () => {
    expect(dueCertificationReminders([cert()], new Set(), at('2026-12-03T08:59')).show).toEqual([]);
    const due = dueCertificationReminders([cert()], new Set(), at('2026-12-03T09:00'));
    expect(keys(due.show)).toEqual(['before-90']);
    expect(due.show[0]!.title).toBe('CSPO renewal due in 90 days');
  });

  it('never fires what already fired', () => {
    const fired = new Set(['cert:7:expiry:2027-03-03:before-90']);
    expect(dueCertificationReminders([cert()], fired, at('2026-12-20T12:00')).show).toEqual([]);
  });

  it('shows only the latest stage when several came due together, and says the real days left', () => {
    const due = dueCertificationReminders([cert()], new Set(), at('2027-02-01T12:00'));
    expect(keys(due.show)).toEqual(['before-30']);
    expect(due.show[0]!.title).toBe('CSPO renewal due in 30 days');
    expect(keys(due.superseded)).toEqual(['before-90', 'before-60']);
  });

  it('does not fire an earlier stage added after a later one fired', () => {
    const fired = new Set(['cert:7:expiry:2027-03-03:before-60']);
    const rules = { ...DEFAULT_REMINDER_RULES, daysBefore: [120, 90, 60, 30, 7, 1] };
    const due = dueCertificationReminders([cert({ rules })], fired, at('2027-01-10T12:00'));
    expect(due.show).toEqual([]);
    expect(keys(due.superseded)).toEqual(['before-120', 'before-90']);
  });

  it('counts days across a DST change by the calendar, not by 24-hour blocks', () => {
    // DST starts on 14 March 2027 in New York: the 7-day reminder is still at 09:00 local.
    const item = cert({ expiresOn: '2027-03-20' });
    const sevenDays = certificationReminders([item], at('2027-01-01T00:00')).find((c) => c.key.endsWith('before-7'))!;
    expect(new Date(sevenDays.dueAt).toString().slice(4, 21)).toBe('Mar 13 2027 09:00');
    const dayOf = certificationReminders([item], at('2027-03-15T12:00')).find((c) => c.key.endsWith('day-of'))!;
    expect(dayOf.dueAt - sevenDays.dueAt).toBe(7 * 24 * 3600_000 - 3600_000);
  });

  it('reminds weekly during a known grace period, and not at all for long-expired or lifetime ones', () => {
    const csp = cert({ abbreviation: 'CSP', expiresOn: '2026-06-15', graceEndsOn: '2026-09-13', status: 'grace' });
    const weeks = certificationReminders([csp], at('2026-07-01T12:00')).filter((c) => c.key.includes('grace-week'));
    expect(weeks).toHaveLength(12);
    expect(weeks[0]!.title).toBe('CSP is in its grace period: 74 days left to renew');
    expect(certificationReminders([cert({ status: 'expired', expiresOn: '2026-03-01' })], at('2026-07-01T12:00'))).toEqual([]);
    // Expired a few days ago: still offered, so the expiry-day reminder missed while closed is recorded.
    const recent = certificationReminders([cert({ status: 'expired', expiresOn: '2026-06-28' })], at('2026-07-01T12:00'));
    expect(recent.map((c) => c.key)).toContain('cert:7:expiry:2026-06-28:day-of');
    expect(certificationReminders([cert({ status: 'lifetime', expiresOn: null })], at('2026-07-01T12:00'))).toEqual([]);
  });

  it('reminds once a month when credits are behind pace, and follows edited rules', () => {
    const behind = cert({ counted: 2, shortfallText: '18 more SEUs by 3 March 2027; $100 fee' });
    const pace = certificationReminders([behind], at('2026-06-10T12:00')).filter((c) => c.key.includes(':pace:'));
    expect(pace.map((c) => c.key)).toEqual(['cert:7:pace:2027-03-03:2026-06']);
    expect(pace[0]!.body).toBe('2 of 20 SEUs logged; an even pace would have about 12 by now. 18 more SEUs by 3 March 2027; $100 fee');
    const quiet = { ...DEFAULT_REMINDER_RULES, creditPace: false, daysBefore: [14], onExpiryDay: false };
    expect(keys(certificationReminders([cert({ counted: 2, rules: quiet })], at('2026-06-10T12:00')))).toEqual(['before-14']);
    expect(certificationReminders([cert({ rules: { ...DEFAULT_REMINDER_RULES, enabled: false } })], at('2026-06-10T12:00'))).toEqual([]);
  });
});

describe('selectDue / nextDueAt (generic)', () => {
  const c = (key: string, dueAt: number, group?: string): ReminderCandidate => ({ key, dueAt, title: key, body: '', target: { kind: 'x', id: 1 }, group });

  it('fires ungrouped candidates each on their own, in due order, once per key', () => {
    const due = selectDue([c('b', 20), c('a', 10), c('a', 10), c('later', 99)], new Set(), 50);
    expect(due.show.map((x) => x.key)).toEqual(['a', 'b']);
  });

  it('gives the earliest unfired future time for the timer', () => {
    expect(nextDueAt([c('a', 10), c('b', 60), c('c', 80)], new Set(['b']), 50)).toBe(80);
    expect(nextDueAt([c('a', 10)], new Set(), 50)).toBeNull();
  });

  it('is unaffected by the clock moving backwards: what fired stays fired', () => {
    const fired = new Set(['a']);
    expect(selectDue([c('a', 10), c('b', 60)], fired, 5).show).toEqual([]);
  });
});
