process.env.TZ = 'America/New_York';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alarmTrigger, escapeText, foldLine, writeCalendar } from '../../electron/core/certifications/ics';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

/** A strict little reader: CRLF only, lines of at most 75 octets, unfolds, returns the events' properties. */
function parseIcs(text: string): { calendar: Record<string, string>; events: Record<string, string[]>[] } {
  expect(text.endsWith('\r\n')).toBe(true);
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    expect(line.includes('\n') || line.includes('\r')).toBe(false);
    expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  }
  const lines: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ')) lines[lines.length - 1] += line.slice(1);
    else lines.push(line);
  }
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines.at(-1)).toBe('END:VCALENDAR');
  const calendar: Record<string, string> = {};
  const events: Record<string, string[]>[] = [];
  let event: Record<string, string[]> | null = null;
  let depth = 0;
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (name === 'BEGIN') {
      depth++;
      if (value === 'VEVENT') event = {};
    } else if (name === 'END') {
      depth--;
      if (value === 'VEVENT') {
        events.push(event!);
        event = null;
      }
    } else if (event) {
      (event[name] ??= []).push(value);
    } else {
      calendar[name] = value;
    }
  }
  expect(depth).toBe(0);
  return { calendar, events };
}

function unescape(value: string): string {
  return value.replace(/\\(n|N|\\|;|,)/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

describe('iCalendar writer', () => {
  it('escapes text and folds long lines at 75 octets without splitting a character', () => {
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
    const long = `DESCRIPTION:${'Zertifizierung läuft ab — '.repeat(8)}`;
    const folded = foldLine(long);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(long);
  });

  it('writes alarm triggers relative to the all-day start at 09:00', () => {
    expect(alarmTrigger(30, 9)).toBe('-P29DT15H');
    expect(alarmTrigger(1, 9)).toBe('-PT15H');
    expect(alarmTrigger(0, 9)).toBe('PT9H');
    expect(alarmTrigger(7, 0)).toBe('-P7D');
  });

  it('writes all-day events with UID, DTSTAMP in UTC and alarms', () => {
    const text = writeCalendar({
      prodId: '-//Test//EN',
      name: 'Renewals',
      now: Date.UTC(2026, 2, 2, 15, 4, 5),
      events: [{ uid: 'u1@test', date: '2027-03-03', summary: 'Renew CSPO, soon; really', description: 'Line 1\nLine 2', alarms: [{ daysBefore: 7, hour: 9, description: 'Soon' }] }],
    });
    const { calendar, events } = parseIcs(text);
    expect(calendar).toMatchObject({ VERSION: '2.0', PRODID: '-//Test//EN' });
    expect(events[0]).toMatchObject({
      UID: ['u1@test'],
      DTSTAMP: ['20260302T150405Z'],
      'DTSTART;VALUE=DATE': ['20270303'],
      'DTEND;VALUE=DATE': ['20270304'],
      TRIGGER: ['-P6DT15H'],
      ACTION: ['DISPLAY'],
    });
    expect(unescape(events[0]!.SUMMARY![0]!)).toBe('Renew CSPO, soon; really');
    expect(unescape(events[0]!.DESCRIPTION![0]!)).toBe('Line 1\nLine 2');
  });
});

describe('calendar export of renewal deadlines', () => {
  it('exports each upcoming expiry (and a known grace end) with the reminder alarms, skipping lifetime ones', async () => {
    core = await makeTestCore();
    const cspo = await core.call('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-03-03', label: 'Team Ünïcode, Ltd; “PO”' });
    await core.call('certs.add', { catalogId: 'sa-csp', earnedOn: '2025-01-20' });
    await core.call('certs.add', { catalogId: 'psm-1', earnedOn: '2020-01-20' });
    await core.call('certs.setReminderRules', {
      id: cspo.id,
      rules: { enabled: true, daysBefore: [30, 7], onExpiryDay: false, weeklyDuringGrace: false, creditPace: false },
    });
    const result = await core.call('certs.exportIcs');
    expect(result).toMatchObject({ fileName: 'cadence-renewals.ics', events: 3 });
    const text = fs.readFileSync(path.join(core.ctx.paths.exportsDir, result.downloadName), 'utf8');
    const { events } = parseIcs(text);
    const summaries = events.map((e) => unescape(e.SUMMARY![0]!));
    expect(summaries).toEqual([
      'Renew CSPO (Team Ünïcode, Ltd; “PO”) (Scrum Alliance)',
      'Renew CSP (Scrum Alliance)',
      'CSP: grace period ends',
    ]);
    expect(events[0]!['DTSTART;VALUE=DATE']).toEqual(['20270303']);
    expect(events[0]!.TRIGGER).toEqual(['-P29DT15H', '-P6DT15H']);
    expect(unescape(events[0]!.DESCRIPTION![0]!)).toContain('20 more SEUs by 3 March 2027; $100 fee');
    expect(events[1]!.TRIGGER).toEqual(['-P89DT15H', '-P59DT15H', '-P29DT15H', '-P6DT15H', '-PT15H', 'PT9H']);
    expect(events[2]!['DTSTART;VALUE=DATE']).toEqual(['20270420']);
    expect(new Set(events.map((e) => e.UID![0])).size).toBe(3);
  });

  it('says so when there is nothing to export', async () => {
    core = await makeTestCore();
    await core.call('certs.add', { catalogId: 'psm-1', earnedOn: '2020-01-20' });
    const err = await core.fail('certs.exportIcs', {});
    expect(err).toMatchObject({ code: 'not_found' });
    expect(err.message).toContain('no renewal deadlines');
  });
});
