// Renewal records an auditor accepts: caps applied entry by entry, courses over several days, credits and
// reminders never dated before the certification existed, the window explained, reminder days that cannot
// be left empty, evidence files, the CSV credit export and the audit pack (both read back here).
process.env.TZ = 'America/New_York';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../electron/core/transfer/csv/parse';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

async function add(catalogId: string, earnedOn: string, extra: Record<string, unknown> = {}) {
  return core.call('certs.add', { catalogId, earnedOn, ...extra });
}

async function attach(creditId: number, name: string, bytes: Uint8Array) {
  const { stagedId } = await core.call('files.stage', { name, bytes: new Uint8Array(bytes) });
  return core.call('credits.attach', { creditId, stagedId, fileName: name });
}

function exported(downloadName: string): Buffer {
  return fs.readFileSync(path.join(core.ctx.paths.exportsDir, downloadName));
}

describe('what counts, entry by entry', () => {
  it("shows PMI's category caps in each entry's Counted, saying which cap cut it", async () => {
    core = await makeTestCore();
    const pmp = await add('pmp', '2024-01-15');
    const log = (date: string, units: number, category: string) => core.call('credits.add', { certificationId: pmp.id, date, units, category });
    await log('2025-01-10', 12, 'working_as_practitioner');
    const detail = await log('2025-01-11', 20, 'giving_back');
    const byDate = Object.fromEntries(detail.credits.map((c) => [c.date, c]));
    expect(byDate['2025-01-10']).toMatchObject({ units: 12, counted: 8, flags: ['over_cap'] });
    const cap = (category: string) => detail.progress!.lines.find((l) => l.kind === 'cap' && l.value > 0 && (category === 'working_as_practitioner' ? l.target === 8 : l.target === 25))!.label;
    expect(byDate['2025-01-10']!.flagText).toBe(`At most 8 PDUs of ${cap('working_as_practitioner')} count per renewal; 4 of these do not count.`);
    expect(byDate['2025-01-11']).toMatchObject({ units: 20, counted: 17, flags: ['over_cap'] });
    expect(byDate['2025-01-11']!.flagText).toBe(`At most 25 PDUs of ${cap('giving_back')} count per renewal; 3 of these do not count.`);
    // The entries' Counted add up to the renewal's total.
    expect(detail.credits.reduce((s, c) => s + c.counted, 0)).toBe(detail.progress!.counted);
    expect(detail.progress!.counted).toBe(25);
  });

  it('takes a 30-hour course as one entry over its days, each day within the daily cap', async () => {
    core = await makeTestCore();
    const pmp = await add('pmp', '2024-01-15');
    const course = await core.call('credits.add', {
      certificationId: pmp.id,
      startedOn: '2025-05-05',
      date: '2025-05-08',
      units: 30,
      category: 'ways_of_working',
      provider: 'PMI Chapter',
      activity: 'Agile delivery course',
    });
    expect(course.credits[0]).toMatchObject({ units: 30, counted: 30, startedOn: '2025-05-05', activity: 'Agile delivery course', flags: [] });
    // Scrum Alliance: at most 8 SEUs a day, so 30 over three days counts 24.
    const csm = await add('sa-csm', '2025-03-03');
    const gathering = await core.call('credits.add', { certificationId: csm.id, startedOn: '2026-01-05', date: '2026-01-07', units: 30, category: 'events' });
    expect(gathering.credits[0]).toMatchObject({ counted: 24, flags: ['over_daily_cap'] });
    // One day cannot hold 30 hours, and a start after the end is refused.
    expect((await core.fail('credits.add', { certificationId: pmp.id, date: '2025-05-08', units: 30, category: 'ways_of_working' })).message).toBe(
      '30 PDUs cannot fit in one day; enter the day it started as well, for an activity over several days.',
    );
    expect((await core.fail('credits.add', { certificationId: pmp.id, startedOn: '2025-05-09', date: '2025-05-08', units: 3, category: 'ways_of_working' })).message).toContain(
      'must be before the day it was completed',
    );
  });

  it('does not count credits completed before the certification was earned, and says why', async () => {
    core = await makeTestCore();
    const cspo = await add('sa-cspo', '2025-03-03');
    // Inside Scrum Alliance's window (30 months before the expiry) but before the CSPO existed.
    const detail = await core.call('credits.add', { certificationId: cspo.id, date: '2025-02-01', units: 4, category: 'learning' });
    expect(detail.credits[0]).toMatchObject({ counted: 0, flags: ['before_earned'] });
    expect(detail.credits[0]!.flagText).toBe('Completed before you earned CSPO (3 March 2025); it does not count for its renewal.');
    expect(detail.progress!.counted).toBe(0);
    expect(detail.progress!.windowText).toContain('nothing before you earned CSPO on 3 March 2025 counts for it');
  });

  it("explains why PMI's credit window runs past the expiry", async () => {
    core = await makeTestCore();
    const pmp = await add('pmp', '2024-01-15');
    expect(pmp.expiresOn).toBe('2027-01-15');
    expect(pmp.progress!.windowTo).toBe('2028-01-15');
    expect(pmp.progress!.windowText).toBe(
      'PDUs count when completed from 15 January 2024 to 15 January 2028. That runs past the expiry on 15 January 2027 to the end of the suspension that follows it, because PMI (Project Management Institute) counts PDUs earned during it.',
    );
  });
});

describe('reminders', () => {
  it('never schedules a reminder for a day before the certification existed, and lists the ones to come', async () => {
    core = await makeTestCore();
    // Earned on 20 February 2026 with an expiry 100 days later: a 180-day reminder would fall before it existed.
    const cert = await add('sa-cspo', '2026-02-20', { expiresOn: '2026-05-31' });
    const detail = await core.call('certs.setReminderRules', {
      id: cert.id,
      rules: { enabled: true, daysBefore: [180, 30], onExpiryDay: true, weeklyDuringGrace: false, creditPace: false },
    });
    expect(detail.upcomingReminders.map((r) => r.date)).toEqual(['2026-05-01', '2026-05-31']);
    const inbox = await core.call('reminders.inbox');
    expect(inbox.items.filter((i) => i.target.id === cert.id)).toEqual([]);
  });

  it('refuses reminders turned on with no day to remind on', async () => {
    core = await makeTestCore();
    const cert = await add('sa-cspo', '2025-03-03');
    const err = await core.fail('certs.setReminderRules', {
      id: cert.id,
      rules: { enabled: true, daysBefore: [], onExpiryDay: false, weeklyDuringGrace: true, creditPace: true },
    });
    expect(err.message).toBe('Days before expiry must list at least one day, e.g. 90, 30, 7 (or tick "On the expiry day", or turn reminders off).');
    expect((await core.call('certs.get', { id: cert.id })).reminderRulesAreDefault).toBe(true);
  });
});

describe('evidence, CSV export and audit pack', () => {
  it('attaches a certificate PDF and a receipt picture, refuses other files, and keeps them in backups', async () => {
    core = await makeTestCore();
    const pmp = await add('pmp', '2024-01-15');
    const logged = await core.call('credits.add', { certificationId: pmp.id, date: '2025-02-01', units: 6, category: 'power_skills', provider: 'Coursera', activity: 'Negotiation' });
    const creditId = logged.credits[0]!.id;
    await attach(creditId, 'certificate.pdf', PDF);
    const detail = await attach(creditId, 'receipt.png', PNG);
    expect(detail.credits[0]!.evidence.map((e) => [e.fileName, e.kind])).toEqual([
      ['certificate.pdf', 'pdf'],
      ['receipt.png', 'image'],
    ]);
    const { stagedId } = await core.call('files.stage', { name: 'notes.exe', bytes: new TextEncoder().encode('MZ not a certificate') });
    expect((await core.fail('credits.attach', { creditId, stagedId, fileName: 'notes.exe' })).code).toBe('unsupported');

    // A copy to download, under the name it was attached with.
    const file = await core.call('credits.evidenceFile', { evidenceId: detail.credits[0]!.evidence[0]!.id });
    expect(file.fileName).toBe('certificate.pdf');
    expect(new Uint8Array(exported(file.downloadName))).toEqual(PDF);

    // The whole-collection backup carries the files.
    const backup = await core.call('collection.export', {});
    const names = Object.keys(unzipSync(exported(backup.downloadName)));
    expect(names.filter((n) => n.startsWith('media/') && n.endsWith('.pdf'))).toHaveLength(1);
    expect(names.filter((n) => n.startsWith('media/') && n.endsWith('.png'))).toHaveLength(1);

    // Detaching removes it from the entry; deleting the entry removes its evidence rows.
    const after = await core.call('credits.detach', { evidenceId: detail.credits[0]!.evidence[1]!.id });
    expect(after.credits[0]!.evidence.map((e) => e.fileName)).toEqual(['certificate.pdf']);
    await core.call('credits.remove', { id: creditId });
    expect(core.ctx.db.prepare('SELECT count(*) AS n FROM credit_evidence').get()).toEqual({ n: 0 });
  });

  it('exports the credit log as CSV in the columns renewal forms ask for', async () => {
    core = await makeTestCore();
    const pmp = await add('pmp', '2024-01-15');
    await core.call('credits.add', { certificationId: pmp.id, startedOn: '2025-05-05', date: '2025-05-08', units: 30, category: 'ways_of_working', provider: 'PMI Chapter', activity: 'Agile delivery, "hands-on"', note: 'Four days, in person' });
    const logged = await core.call('credits.add', { certificationId: pmp.id, date: '2025-06-01', units: 2, category: 'giving_back', provider: '=HYPERLINK("x")', activity: 'Mentoring' });
    await attach(logged.credits[0]!.id, 'thanks letter.pdf', PDF);
    const out = await core.call('credits.exportCsv', { certificationId: pmp.id });
    expect(out.fileName).toMatch(/^PMP-credits-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(out.rows).toBe(2);
    const text = exported(out.downloadName).toString('utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const csv = parseCsv(text.slice(1));
    const label = (id: string) => pmp.catalog.categories.find((c) => c.id === id)!.label;
    expect(csv.rows.map((r) => r.cells)).toEqual([
      ['Date started', 'Date completed', 'Provider', 'Activity', 'Category', 'PDUs claimed', 'PDUs counted', 'Description', 'Logged under', 'Evidence'],
      ['2025-05-05', '2025-05-08', 'PMI Chapter', 'Agile delivery, "hands-on"', label('ways_of_working'), '30', '30', 'Four days, in person', 'PMP', ''],
      // A cell a spreadsheet would run as a formula is kept as text.
      ['2025-06-01', '2025-06-01', `'=HYPERLINK("x")`, 'Mentoring', label('giving_back'), '2', '2', '', 'PMP', 'thanks letter.pdf'],
    ]);
  });

  it("makes an audit pack of the current cycle: summary, its credits and their evidence", async () => {
    core = await makeTestCore();
    const pmp = await add('pmp', '2024-01-15', { credentialId: '1234567' });
    await core.call('credits.add', { certificationId: pmp.id, date: '2023-12-01', units: 5, category: 'power_skills', provider: 'Before it existed' });
    const a = await core.call('credits.add', { certificationId: pmp.id, date: '2025-02-01', units: 6, category: 'power_skills', provider: 'Coursera', activity: 'Negotiation' });
    const negotiation = a.credits.find((c) => c.provider === 'Coursera')!;
    await attach(negotiation.id, 'certificate.pdf', PDF);
    await core.call('credits.add', { certificationId: pmp.id, date: '2025-03-10', units: 3, category: 'business_acumen', provider: 'Book', activity: 'Reading' });
    const out = await core.call('credits.auditPack', { certificationId: pmp.id });
    expect(out).toMatchObject({ fileName: 'PMP-audit-pack-2024-01-15-to-2028-01-15.zip', credits: 2, evidenceFiles: 1 });
    const files = unzipSync(exported(out.downloadName));
    expect(Object.keys(files).sort()).toEqual(['credits.csv', `evidence/2025-02-01-entry${negotiation.id}-certificate.pdf`, 'summary.txt']);
    expect(files[`evidence/2025-02-01-entry${negotiation.id}-certificate.pdf`]).toEqual(PDF);
    const rows = parseCsv(new TextDecoder().decode(files['credits.csv']!).slice(1)).rows.map((r) => r.cells);
    expect(rows.map((r) => r[2])).toEqual(['Provider', 'Coursera', 'Book']);
    const summary = new TextDecoder().decode(files['summary.txt']);
    expect(summary).toContain('Project Management Professional (PMP), PMI');
    expect(summary).toContain('Credential ID: 1234567');
    expect(summary).toContain('Entries: 2; 9 PDUs logged, 9 counted.');
    expect(summary).toContain(`- 2025-02-01-entry${negotiation.id}-certificate.pdf`);

    // Nothing in the cycle: said so, no empty zip.
    const csm = await add('sa-csm', '2025-03-03');
    expect((await core.fail('credits.auditPack', { certificationId: csm.id })).message).toBe(
      'No SEUs are logged for this renewal cycle of CSM yet, so there is nothing to put in an audit pack.',
    );
  });
});
