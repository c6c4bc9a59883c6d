// A small iCalendar (RFC 5545) writer for all-day deadline events with alarms: CRLF line endings,
// lines folded at 75 octets without splitting a UTF-8 character, TEXT values escaped, a stable UID per
// event (re-importing updates instead of duplicating) and DTSTAMP in UTC.

export interface IcsAlarm {
  /** Days before the event's day; 0 = on the day. The alarm rings at `hour` local time that day. */
  daysBefore: number;
  hour: number;
  description: string;
}

export interface IcsEvent {
  uid: string;
  /** All-day event on this calendar date ('YYYY-MM-DD'). */
  date: string;
  summary: string;
  description: string;
  url?: string;
  alarms: IcsAlarm[];
}

export interface IcsCalendar {
  prodId: string;
  name: string;
  /** Epoch ms of the export, written as DTSTAMP. */
  now: number;
  events: IcsEvent[];
}

const encoder = new TextEncoder();

/** Escapes a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds one content line into chunks of at most 75 octets; continuation lines start with a space. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line is one of its 75 octets
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function basicDate(date: string): string {
  return date.replace(/-/g, '');
}

function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return next.toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * Trigger relative to the start of an all-day event (local midnight): `daysBefore` days earlier at
 * `hour`:00, e.g. 30 days before at 09:00 is -P29DT15H.
 */
export function alarmTrigger(daysBefore: number, hour: number): string {
  const offsetHours = daysBefore * 24 - hour;
  if (offsetHours <= 0) return `PT${-offsetHours}H`;
  const days = Math.floor(offsetHours / 24);
  const hours = offsetHours % 24;
  return `-P${days ? `${days}D` : ''}${hours ? `T${hours}H` : days ? '' : 'T0H'}`;
}

export function writeCalendar(calendar: IcsCalendar): string {
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${calendar.prodId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(calendar.name)}`,
  ];
  const stamp = utcStamp(calendar.now);
  for (const event of calendar.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${event.uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${basicDate(event.date)}`,
      `DTEND;VALUE=DATE:${nextDay(event.date)}`,
      `SUMMARY:${escapeText(event.summary)}`,
      `DESCRIPTION:${escapeText(event.description)}`,
      'TRANSP:TRANSPARENT',
    );
    if (event.url) lines.push(`URL:${event.url}`);
    for (const alarm of event.alarms) {
      lines.push(
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        `DESCRIPTION:${escapeText(alarm.description)}`,
        `TRIGGER:${alarmTrigger(alarm.daysBefore, alarm.hour)}`,
        'END:VALARM',
      );
    }
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
