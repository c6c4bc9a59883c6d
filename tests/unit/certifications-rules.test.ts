process.env.TZ = 'America/New_York';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

async function add(catalogId: string, earnedOn: string, extra: Record<string, unknown> = {}) {
  return core.call('certs.add', { catalogId, earnedOn, ...extra });
}

describe('certification rules', () => {
  it('CSM + CSPO renew together for 30 SEUs and one $100 fee', async () => {
    core = await makeTestCore();
    await add('sa-csm', '2025-06-01');
    await add('sa-cspo', '2025-09-01');
    const { combined } = await core.call('certs.list');
    expect(combined).toHaveLength(1);
    expect(combined[0]).toMatchObject({ creditsRequired: 30, feeUsd: 100, dueOn: '2027-06-01' });
    expect(combined[0]!.text).toContain('30 SEUs and one $100 fee');
  });

  it('A-CSM + CSPO renew together for 40 SEUs and $175, and the CSM renews with the A-CSM', async () => {
    core = await makeTestCore();
    await add('sa-csm', '2024-09-01');
    await add('sa-a-csm', '2025-06-01');
    await add('sa-cspo', '2025-09-01');
    const { combined } = await core.call('certs.list');
    expect(combined[0]).toMatchObject({ creditsRequired: 40, feeUsd: 175 });
    const roles = Object.fromEntries(combined[0]!.certifications.map((c) => [c.abbreviation, c.role]));
    expect(roles['CSM']).toBe('renews with A-CSM');
    expect(roles['CSPO']).toBe('adds 10 SEUs');
  });

  it('a PMP with 60 PDUs but only 5 in Business Acumen is not renewable and says why', async () => {
    core = await makeTestCore();
    const pmp = await add('pmp', '2024-01-15');
    const log = (date: string, units: number, category: string) =>
      core.call('credits.add', { certificationId: pmp.id, date, units, category });
    for (let i = 0; i < 3; i++) await log(`2025-0${i + 1}-10`, 10, 'ways_of_working');
    for (let i = 0; i < 2; i++) await log(`2025-0${i + 4}-10`, 10, 'power_skills');
    await log('2025-08-10', 5, 'business_acumen');
    const detail = await log('2025-09-10', 5, 'giving_back');
    expect(detail.progress?.counted).toBe(60);
    expect(detail.progress?.renewable).toBe(false);
    expect(detail.progress?.reasons.join(' ')).toContain('Business Acumen: 5 of the at least 8 PDUs needed (3 more)');
    expect(detail.shortfallText).toBe('3 more in Business Acumen by 15 January 2027; fee not confirmed');
  });

  it('a PSM never expires and needs nothing', async () => {
    core = await makeTestCore();
    const psm = await add('psm-1', '2019-05-01');
    expect(psm).toMatchObject({ status: 'lifetime', expiresOn: null, progress: null, shortfallText: null });
    expect(psm.statusText).toBe('Does not expire');
  });

  it('says the shortfall in words', async () => {
    core = await makeTestCore();
    const cspo = await add('sa-cspo', '2025-03-03');
    const after = await core.call('credits.add', { certificationId: cspo.id, date: '2026-01-10', units: 8, category: 'learning' });
    expect(after.shortfallText).toBe('12 more SEUs by 3 March 2027; $100 fee');
  });
});

describe('credits that do not count are flagged, not silently counted', () => {
  it('caps Scrum Alliance event SEUs at 8 a day and flags the rest, and leaves other categories uncapped', async () => {
    core = await makeTestCore();
    const cspo = await add('sa-cspo', '2025-03-03');
    await core.call('credits.add', { certificationId: cspo.id, date: '2026-01-10', units: 6, category: 'events' });
    const detail = await core.call('credits.add', { certificationId: cspo.id, date: '2026-01-10', units: 5, category: 'events' });
    const second = detail.credits.find((c) => c.units === 5)!;
    expect(second).toMatchObject({ counted: 2, flags: ['over_daily_cap'] });
    expect(second.flagText).toBe('At most 8 SEUs count per day for Events; 3 of these do not count.');
    expect(detail.progress?.counted).toBe(8);
    expect(detail.catalog).toMatchObject({ dailyCap: 8, dailyCapCategories: ['events'] });
    // The sources state the limit for events and full-day training only: reading or volunteering is not cut.
    const reading = await core.call('credits.add', { certificationId: cspo.id, date: '2026-01-10', units: 3, category: 'learning' });
    expect(reading.credits.find((c) => c.units === 3)).toMatchObject({ counted: 3, flags: [] });
    expect(reading.progress?.counted).toBe(11);
  });

  it('flags SEUs dated more than two and a half years before the expiry', async () => {
    core = await makeTestCore();
    const csm = await add('sa-csm', '2025-03-03');
    const detail = await core.call('credits.add', { certificationId: csm.id, date: '2024-08-01', units: 4, category: 'learning' });
    expect(detail.progress?.windowFrom).toBe('2024-09-03');
    expect(detail.credits[0]).toMatchObject({ counted: 0, flags: ['outside_window'] });
    expect(detail.credits[0]!.flagText).toContain('3 September 2024 to 3 March 2027');
    expect(detail.progress?.counted).toBe(0);
  });

  it('counts Scrum Alliance SEUs once for every certification held there', async () => {
    core = await makeTestCore();
    const csm = await add('sa-csm', '2025-03-03');
    const cspo = await add('sa-cspo', '2025-04-01');
    await core.call('credits.add', { certificationId: csm.id, date: '2026-01-10', units: 7, category: 'learning' });
    const detail = await core.call('certs.get', { id: cspo.id });
    expect(detail.progress?.counted).toBe(7);
    expect(detail.credits[0]!.loggedUnder).toBe('CSM');
    expect(detail.combined?.counted).toBe(7);
  });

  it('counts at most 25 PDUs of Giving Back (8 of them working as a practitioner) toward a PMP', async () => {
    core = await makeTestCore();
    const pmp = await add('pmp', '2024-01-15');
    const log = (date: string, units: number, category: string) => core.call('credits.add', { certificationId: pmp.id, date, units, category });
    await log('2025-01-10', 12, 'working_as_practitioner');
    await log('2025-01-11', 20, 'giving_back');
    const detail = await log('2025-01-12', 10, 'ways_of_working');
    const lines = Object.fromEntries(detail.progress!.lines.map((l) => [l.label, l]));
    expect(lines['Giving Back']).toMatchObject({ value: 32, target: 25, met: false, text: '32 logged; only 25 count' });
    expect(lines['Working as a practitioner']).toMatchObject({ value: 12, met: false });
    expect(detail.progress?.counted).toBe(35);
    expect(lines['Education']).toMatchObject({ value: 10, target: 35, met: false });
  });
});

describe('status and dates', () => {
  it('moves from active to due soon to the CSP grace period to expired', async () => {
    core = await makeTestCore();
    const csp = await add('sa-csp', '2024-06-15');
    expect(csp.status).toBe('active');
    core.clock.set('2026-04-01T10:00:00');
    expect((await core.call('certs.get', { id: csp.id })).statusText).toBe('Renewal due in 75 days (15 June 2026)');
    core.clock.set('2026-06-15T23:00:00');
    expect((await core.call('certs.get', { id: csp.id })).statusText).toBe('Expires today');
    core.clock.set('2026-06-16T00:30:00');
    const grace = await core.call('certs.get', { id: csp.id });
    expect(grace).toMatchObject({ status: 'grace', graceEndsOn: '2026-09-13' });
    expect(grace.shortfallText).toBe('40 more SEUs by 13 September 2026; $250 fee');
    core.clock.set('2026-09-14T08:00:00');
    expect((await core.call('certs.get', { id: csp.id })).status).toBe('expired');
  });

  it('says a CSM grace period is not confirmed instead of inventing one', async () => {
    core = await makeTestCore();
    const csm = await add('sa-csm', '2023-06-15');
    expect(csm).toMatchObject({ status: 'expired', graceEndsOn: null });
    expect(csm.statusText).toBe('Expired on 15 June 2025; a grace period is not confirmed');
    expect(csm.catalog.graceText).toContain('Grace period after expiry: not confirmed.');
  });

  it('puts a PMI certification in its one-year suspension after the cycle ends', async () => {
    core = await makeTestCore();
    const capm = await add('capm', '2022-11-01');
    expect(capm).toMatchObject({ status: 'grace', expiresOn: '2025-11-01', graceEndsOn: '2026-11-01' });
    expect(capm.statusText).toBe('Suspended until 1 November 2026 (expired 1 November 2025)');
    expect(capm.progress?.required).toBe(15);
  });

  it('gives a certification earned on 29 February an expiry on 28 February', async () => {
    core = await makeTestCore();
    const cspo = await add('sa-cspo', '2024-02-29');
    expect(cspo.expiresOn).toBe('2026-02-28');
    const pmp = await add('pmp', '2024-02-29');
    expect(pmp.expiresOn).toBe('2027-02-28');
  });

  it('keeps the computed expiry beside a date the user edited', async () => {
    core = await makeTestCore();
    const cspo = await add('sa-cspo', '2025-03-03', { expiresOn: '2027-04-01' });
    expect(cspo).toMatchObject({ expiresOn: '2027-04-01', computedExpiresOn: '2027-03-03', expiryEdited: true });
    const back = await core.call('certs.update', { id: cspo.id, expiresOn: null });
    expect(back).toMatchObject({ expiresOn: '2027-03-03', expiryEdited: false });
  });

  it('shows unknown values as not confirmed: SAFe fee, Pragmatic expiry', async () => {
    core = await makeTestCore();
    const popm = await add('safe-popm', '2025-09-01');
    expect(popm).toMatchObject({ expiresOn: '2026-09-01', feeUsd: null });
    expect(popm.shortfallText).toBe('Renewal requirements disputed: sources disagree; expires 1 September 2026');
    const pmc = await add('pragmatic-pmc', '2024-05-01', { label: 'PMC-III' });
    expect(pmc).toMatchObject({ status: 'unknown', expiresOn: null, progress: { required: null, renewable: null } });
    expect(pmc.statusText).toContain('Expiry not confirmed');
    const dated = await core.call('certs.update', { id: pmc.id, expiresOn: '2027-05-01' });
    expect(dated).toMatchObject({ status: 'active', expiresOn: '2027-05-01' });
  });

  it('tracks a custom certification with the rules the user gives', async () => {
    core = await makeTestCore();
    const custom = await add('custom', '2025-10-01', {
      custom: { name: 'Certified Kanban Practitioner', abbreviation: 'KMP', validityYears: 1, creditsRequired: 6, feeUsd: 50, unitName: 'hours' },
    });
    expect(custom).toMatchObject({ abbreviation: 'KMP', expiresOn: '2026-10-01', feeUsd: 50 });
    expect(custom.shortfallText).toBe('6 more hours by 1 October 2026; $50 fee');
    expect(custom.catalog).toMatchObject({ custom: true, lastVerified: null, sources: [] });
  });

  it('lists each catalog source with where it was read, and no live check it never had', async () => {
    core = await makeTestCore();
    const cspo = await add('sa-cspo', '2025-03-03');
    expect(cspo.catalog.sources).toContainEqual({
      url: 'https://certification.scrumalliance.org/renewal-requirements',
      label: 'official page, read from a stored copy of unknown date',
    });
    // "Last verified" is the date a person checked the live page; the catalog was built from copies.
    expect(cspo.catalog.lastVerified).toBeNull();
    const capm = await add('capm', '2025-03-03');
    expect(capm.catalog.sources.find((s) => s.url.includes('unichrone'))?.label).toBe('secondary source, read from a stored copy of unknown date');
  });

  it('shows both sides where official sources disagree (SAFe Scrum Master), and computes no expiry from either', async () => {
    core = await makeTestCore();
    const ssm = await add('safe-ssm', '2025-09-01');
    expect(ssm).toMatchObject({ status: 'unknown', expiresOn: null, feeUsd: null, progress: { required: null } });
    expect(ssm.catalog.disputes.map((d) => [d.rule, d.claims.map((c) => c.says)])).toEqual([
      ['creditsRequired', ['10 continuing-education hours every year', '24 CEUs within a two-year certification cycle']],
      ['validityYears', ['Renew every year', 'The renewal fee extends the certification for the next two-year cycle']],
    ]);
    for (const d of ssm.catalog.disputes) for (const c of d.claims) expect(c.dated).not.toBe('');

    // Without a date there are no reminders: every start says so, until the user enters one.
    const dataDir = core.dataDir;
    core.close();
    core = await makeTestCore({ dataDir });
    expect(core.ctx.notices).toContainEqual({
      level: 'warning',
      message:
        "No renewal reminders for SSM: the body's own pages disagree on how long it lasts, so Cadence does not guess its expiry. Enter the expiry date from your certificate on its page under Certifications.",
    });
    const dated = await core.call('certs.update', { id: ssm.id, expiresOn: '2027-09-01' });
    expect(dated).toMatchObject({ status: 'active', expiresOn: '2027-09-01' });
    expect(dated.shortfallText).toBe('Renewal requirements disputed: sources disagree; expires 1 September 2027');
    core.close();
    core = await makeTestCore({ dataDir });
    expect(core.ctx.notices.filter((n) => n.message.includes('SSM'))).toEqual([]);
  });

  it('shows CAPM area minimums from one secondary source as not confirmed, without holding the renewal back', async () => {
    core = await makeTestCore();
    core.clock.set('2026-06-01T10:00:00');
    const capm = await add('capm', '2025-03-03');
    const detail = await core.call('credits.add', { certificationId: capm.id, date: '2026-01-10', units: 15, category: 'ways_of_working' });
    const lines = detail.progress!.lines.map((l) => [l.label, l.met]);
    expect(lines).toEqual([
      ['Total', true],
      ['Education', true],
      ['Ways of Working (not confirmed)', true],
      ['Power Skills (not confirmed)', false],
      ['Business Acumen (not confirmed)', false],
      ['Giving Back', true],
      ['Working as a practitioner (not confirmed)', true],
    ]);
    expect(detail.progress).toMatchObject({ renewable: true, reasons: [] });
  });
});

describe('renewing', () => {
  it('renews every Scrum Alliance certification at once and uses up the counted SEUs', async () => {
    core = await makeTestCore();
    const csm = await add('sa-csm', '2024-06-01');
    const cspo = await add('sa-cspo', '2024-09-01');
    for (const date of ['2025-01-10', '2025-01-11', '2025-01-12', '2025-01-13']) {
      await core.call('credits.add', { certificationId: csm.id, date, units: 8, category: 'learning' });
    }
    core.clock.set('2026-05-20T10:00:00');
    const { renewed } = await core.call('certs.renew', { id: cspo.id });
    expect(renewed.map((r) => [r.abbreviation, r.expiresOn])).toEqual([
      ['CSM', '2028-06-01'],
      ['CSPO', '2028-09-01'],
    ]);
    const after = await core.call('certs.get', { id: csm.id });
    expect(after.progress?.counted).toBe(0);
    expect(after.credits.every((c) => c.flags.includes('used'))).toBe(true);
    expect(after.renewals).toBe(1);
  });
});
