// The certification pages as an auditor would need them: what counts entry by entry, a course over several
// days as one entry, nothing counted from before the certification existed, the window explained, reminder
// days that confirm and list what is to come, evidence files, and the CSV and audit-pack downloads read back.
import fs from 'node:fs';
import { unzipSync } from 'fflate';
import { expect, screenshot, test } from './fixtures';

function daysAgo(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('a PMP credit log: caps in Counted, a 30-hour course as one entry, evidence, CSV and audit pack', async ({ page, app }) => {
  const pmp = await app.call<{ id: number; expiresOn: string }>('certs.add', { catalogId: 'pmp', earnedOn: daysAgo(400) });
  await app.call('credits.add', { certificationId: pmp.id, date: daysAgo(300), units: 12, category: 'working_as_practitioner', provider: 'Acme Corp' });
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/certifications?id=${pmp.id}`);
  await expect(page.getByRole('heading', { name: 'PMP', exact: true })).toBeVisible();

  // The practitioner cap (8) shows in the entry's own Counted cell, with the reason.
  const acme = page.getByRole('row', { name: /Acme Corp/ });
  await expect(acme.getByRole('cell').nth(2)).toHaveText('8');
  await expect(acme).toContainText(/At most 8 PDUs of .+ count per renewal; 4 of these do not count\./);

  // The window runs past the expiry, and the page says why.
  await expect(page.getByText(/That runs past the expiry on .+ to the end of the suspension that follows it/)).toBeVisible();

  // A 30-hour course over four days is one entry.
  const log = page.getByRole('form', { name: 'Log PDUs' });
  await log.getByLabel('Started on (if it took several days)').fill(daysAgo(23));
  await log.getByLabel('Date', { exact: true }).fill(daysAgo(20));
  await log.getByLabel('PDUs (1 hour = 1)').fill('30');
  await log.getByLabel('Category').selectOption('ways_of_working');
  await log.getByLabel('Provider').fill('PMI Chapter');
  await log.getByLabel('Activity').fill('Agile delivery course');
  await log.getByRole('button', { name: 'Log PDUs' }).click();
  await expect(log.getByRole('status')).toHaveText(/^Logged 30 PDUs on /);
  const course = page.getByRole('row', { name: /Agile delivery course/ });
  await expect(course.getByRole('cell').nth(2)).toHaveText('30');
  await expect(course.getByRole('cell').first()).toHaveText(/ to /);

  // A bad amount is refused beside the field, and the old confirmation goes.
  await log.getByLabel('PDUs (1 hour = 1)').fill('0');
  await log.getByRole('button', { name: 'Log PDUs' }).click();
  await expect(log.getByLabel('PDUs (1 hour = 1)')).toHaveAccessibleDescription(/^Amount must be more than 0/);
  await expect(log.getByRole('status')).toHaveCount(0);

  // Evidence: a certificate PDF on the course entry.
  await course.getByLabel(/^Attach evidence to the entry of/).setInputFiles({ name: 'agile-certificate.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(course.getByRole('button', { name: 'agile-certificate.pdf', exact: true })).toBeVisible();
  await expect(course.getByRole('button', { name: /^Remove agile-certificate\.pdf from the entry of / })).toBeVisible();
  await page.getByRole('heading', { name: 'Credit log' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'certification-records-credit-log');

  // The CSV, read back.
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csvFile = await csvDownload;
  expect(csvFile.suggestedFilename()).toMatch(/^PMP-credits-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = fs.readFileSync((await csvFile.path())!, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
  expect(lines[0]).toBe('Date started,Date completed,Provider,Activity,Category,PDUs claimed,PDUs counted,Description,Logged under,Evidence');
  expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${daysAgo(23)},${daysAgo(20)},PMI Chapter,Agile delivery course,[^,]+,30,30,,PMP,agile-certificate\\.pdf$`)));
  expect(lines).toContainEqual(expect.stringMatching(/,Acme Corp,,[^,]+,12,8,/));

  // The audit pack, read back.
  const zipDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Audit pack (.zip)' }).click();
  const zip = await zipDownload;
  expect(zip.suggestedFilename()).toMatch(/^PMP-audit-pack-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.zip$/);
  const files = unzipSync(fs.readFileSync((await zip.path())!));
  const names = Object.keys(files).sort();
  expect(names).toEqual(['credits.csv', expect.stringMatching(/^evidence\/\d{4}-\d{2}-\d{2}-entry\d+-agile-certificate\.pdf$/), 'summary.txt']);
  expect(Buffer.from(files[names[1]!]!)).toEqual(PDF);
  expect(new TextDecoder().decode(files['summary.txt'])).toContain('Entries: 2; 42 PDUs logged, 38 counted.');
  await expect(page.getByText(/Made PMP-audit-pack-.+\.zip: 2 entries and 1 evidence file\./)).toBeVisible();
});

test('a CSPO: credits from before it was earned, reminder days that confirm and list what is coming, the study-time message', async ({ page, app }) => {
  const cspo = await app.call<{ id: number; earnedOn: string }>('certs.add', { catalogId: 'sa-cspo', earnedOn: daysAgo(100) });
  await app.call('credits.add', { certificationId: cspo.id, date: daysAgo(120), units: 5, category: 'learning', provider: 'Before the course' });
  const deck = await app.call<{ id: number }>('decks.create', { name: 'Product' });
  await app.call('certs.linkDecks', { id: cspo.id, deckIds: [deck.id] });
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/certifications?id=${cspo.id}`);

  const early = page.getByRole('row', { name: /Before the course/ });
  await expect(early.getByRole('cell').nth(2)).toHaveText('0');
  await expect(early).toContainText(/Completed before you earned CSPO \(.+\); it does not count for its renewal\./);

  // Linked decks but nothing studied yet: no talk of an earlier suggestion.
  await expect(page.getByText('No study time in the linked decks yet this cycle.', { exact: false })).toBeVisible();
  await expect(page.getByText(/since the last suggestion/)).toHaveCount(0);

  const rules = page.getByRole('form', { name: 'Reminder rules' });
  const next = page.getByRole('list', { name: 'Next reminders' });
  await expect(next.getByRole('listitem')).toHaveCount(6);
  await rules.getByRole('textbox', { name: 'Days before expiry' }).fill('');
  await rules.getByLabel('On the expiry day').uncheck();
  await rules.getByRole('button', { name: 'Save reminders' }).click();
  await expect(rules.getByRole('textbox', { name: 'Days before expiry' })).toHaveAccessibleDescription(/^Days before expiry must list at least one day, e\.g\. 90, 30, 7/);
  await expect(rules.getByRole('status')).toHaveCount(0);

  await rules.getByRole('textbox', { name: 'Days before expiry' }).fill('60, 14');
  await rules.getByRole('button', { name: 'Save reminders' }).click();
  await expect(page.getByRole('form', { name: 'Reminder rules' }).getByRole('status')).toHaveText('Saved.');
  await expect(next.getByRole('listitem')).toHaveCount(2);
  await expect(next.getByRole('listitem').first()).toContainText('renewal due in 60 days');
  await page.getByRole('heading', { name: 'Reminders', exact: true }).scrollIntoViewIfNeeded();
  await screenshot(page, 'certification-records-reminders');
});
