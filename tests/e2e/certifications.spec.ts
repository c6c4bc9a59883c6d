import fs from 'node:fs';
import { expect, screenshot, test } from './fixtures';

/** 'YYYY-MM-DD' of the local date `months` months ago (the day clamped to the month's length). */
function monthsAgo(months: number): string {
  const now = new Date();
  const target = new Date(now.getFullYear(), now.getMonth() - months, 1);
  const lastDay = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate();
  target.setDate(Math.min(now.getDate(), lastDay));
  return `${target.getFullYear()}-${String(target.getMonth() + 1).padStart(2, '0')}-${String(target.getDate()).padStart(2, '0')}`;
}

function daysAgo(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Reads an .ics file strictly enough to catch a broken one: CRLF, folding, balanced blocks. */
function parseIcs(text: string): Record<string, string>[] {
  expect(text.endsWith('\r\n')).toBe(true);
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  const lines: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ')) lines[lines.length - 1] += line.slice(1);
    else lines.push(line);
  }
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines.at(-1)).toBe('END:VCALENDAR');
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    const [name, ...rest] = line.split(':');
    const value = rest.join(':');
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      events.push(current!);
      current = null;
    } else if (current && name && !(name in current)) current[name] = value;
  }
  return events;
}

test('tracks a CSPO: logs SEUs, shows progress and the inbox reminder, snoozes it, exports a calendar', async ({ page, app }) => {
  const earnedOn = monthsAgo(22);
  await page.goto(app.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Certifications' }).click();
  await expect(page.getByRole('heading', { name: 'No certifications yet' })).toBeVisible();

  await page.getByRole('button', { name: 'Add certification' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a certification' });
  await dialog.getByLabel('Certification').selectOption({ label: 'CSPO — Certified Scrum Product Owner' });
  await expect(dialog.getByRole('definition').filter({ hasText: '20 SEUs' })).toBeVisible();
  await dialog.getByLabel('Earned on').fill(earnedOn);
  await dialog.getByLabel('Credential ID (optional)').fill('000123456');
  await expect(dialog.getByText(/^The rule gives \d+ \w+ \d{4}/)).toBeVisible();
  await screenshot(page, 'certifications-add');
  await dialog.getByRole('button', { name: 'Add certification' }).click();

  await expect(page.getByRole('heading', { name: 'CSPO', exact: true })).toBeVisible();
  await expect(page.getByText('Renewal due soon')).toBeVisible();

  const log = page.getByRole('form', { name: 'Log SEUs' });
  await log.getByLabel('Date').fill(daysAgo(10));
  await log.getByLabel('SEUs (1 hour = 1)').fill('6');
  await log.getByLabel('Category').selectOption({ label: 'Events' });
  await log.getByLabel('Provider').fill('Regional Scrum Gathering');
  await log.getByRole('button', { name: 'Log SEUs' }).click();
  await expect(page.getByRole('row', { name: /Regional Scrum Gathering/ })).toBeVisible();
  await log.getByLabel('Date').fill(daysAgo(3));
  await log.getByLabel('SEUs (1 hour = 1)').fill('4');
  await log.getByRole('button', { name: 'Log SEUs' }).click();

  const bar = page.getByRole('progressbar', { name: 'SEUs: 10 of 20 SEUs' });
  await expect(bar).toHaveAttribute('aria-valuenow', '10');
  await expect(page.getByRole('main').getByText(/^10 more SEUs by .+; \$100 fee$/)).toBeVisible();
  await expect(page.getByText('https://certification.scrumalliance.org/renewal-requirements')).toBeVisible();
  await expect(page.getByText(/Last verified against the live official page: not yet/)).toBeVisible();
  await page.getByRole('heading', { name: 'CSPO', exact: true }).scrollIntoViewIfNeeded();
  await screenshot(page, 'certifications-detail');
  await page.getByRole('heading', { name: 'Credit log' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'certifications-credit-log');

  // A bad entry is refused with the reason, and nothing is logged.
  await log.getByLabel('SEUs (1 hour = 1)').fill('22');
  await log.getByRole('button', { name: 'Log SEUs' }).click();
  await expect(log.getByRole('alert')).toContainText('4 SEUs are already logged on');
  await expect(log.getByRole('alert')).toContainText('adding 22 would make more than 24 in one day');
  await expect(bar).toHaveAttribute('aria-valuenow', '10');

  const inboxButton = page.getByRole('button', { name: /^Inbox, \d+ reminders?$/ });
  await expect(inboxButton).toHaveAccessibleName('Inbox, 2 reminders');
  await inboxButton.click();
  const inbox = page.getByRole('dialog', { name: 'Reminders' });
  const renewal = inbox.getByRole('list', { name: 'Open reminders' }).getByRole('listitem', { name: /^CSPO renewal due in \d+ days$/ });
  await expect(renewal).toBeVisible();
  await expect(renewal).toContainText('10 more SEUs by');
  await screenshot(page, 'certifications-inbox');

  await renewal.getByRole('button', { name: 'Snooze 1 day' }).click();
  const snoozed = inbox.getByRole('list', { name: 'Snoozed reminders' }).getByRole('listitem', { name: /^CSPO renewal due in/ });
  await expect(snoozed).toContainText('Snoozed until');
  await expect(inbox.getByRole('list', { name: 'Open reminders' }).getByRole('listitem', { name: /^CSPO renewal due in/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Inbox, 1 reminder' })).toBeAttached();
  await inbox.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('link', { name: '← All certifications' }).click();
  await expect(page.getByRole('progressbar', { name: 'CSPO: 10 of 20 SEUs' })).toBeVisible();
  await screenshot(page, 'certifications-list');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download calendar (.ics)' }).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe('cadence-renewals.ics');
  const events = parseIcs(fs.readFileSync((await file.path())!, 'utf8'));
  expect(events).toHaveLength(1);
  const expires = (await app.call<{ certifications: { expiresOn: string }[] }>('certs.list')).certifications[0]!.expiresOn;
  expect(events[0]).toMatchObject({ SUMMARY: 'Renew CSPO (Scrum Alliance)', 'DTSTART;VALUE=DATE': expires.replace(/-/g, '') });
  expect(events[0]!.UID).toMatch(/@cadence\.app$/);
});

test('the reminder settings are saved', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Reminders' });
  const startAtLogin = section.getByLabel(/Start Cadence when you log in/);
  await expect(startAtLogin).not.toBeChecked();
  await startAtLogin.click();
  await expect(startAtLogin).toBeChecked();
  await expect.poll(async () => (await app.call<{ startAtLogin: boolean }>('settings.get')).startAtLogin).toBe(true);
  await screenshot(page, 'certifications-settings');
});

test('a PMP shows each Talent Triangle minimum, says why it is not renewable, and marks the fee not confirmed', async ({ page, app }) => {
  const pmp = await app.call<{ id: number }>('certs.add', { catalogId: 'pmp', earnedOn: monthsAgo(26) });
  const log = (days: number, units: number, category: string) => app.call('credits.add', { certificationId: pmp.id, date: daysAgo(days), units, category });
  await log(40, 20, 'ways_of_working');
  await log(30, 20, 'power_skills');
  await log(20, 5, 'business_acumen');
  await log(10, 15, 'giving_back');
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/certifications?id=${pmp.id}`);
  await expect(page.getByRole('heading', { name: 'PMP', exact: true })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'PDUs: 60 of 60 PDUs' })).toHaveAttribute('aria-valuenow', '60');
  await expect(page.getByRole('progressbar', { name: 'Business Acumen: 5 of at least 8' })).toHaveAttribute('aria-valuenow', '5');
  await expect(page.getByRole('list', { name: 'Not renewable yet because' })).toContainText('Business Acumen: 5 of the at least 8 PDUs needed (3 more)');
  await expect(page.getByRole('main').getByText(/^3 more in Business Acumen by .+; fee not confirmed$/)).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: 'not confirmed' })).toBeVisible();
  await screenshot(page, 'certifications-pmp');
});
