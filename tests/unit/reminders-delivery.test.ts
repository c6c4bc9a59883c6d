process.env.TZ = 'Europe/London';
import { afterEach, describe, expect, it } from 'vitest';
import { claimDueReminders, claimRemindersToNotify, nextReminderAt, registerReminderSource, takeStartupSummary } from '../../electron/core/reminders';
import { fakeClock, makeTestCore, tempDir, type FakeClock, type TestCore } from './testCore';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
let cores: TestCore[] = [];
afterEach(() => {
  for (const c of cores) c.close();
  cores = [];
  process.env.TZ = 'Europe/London';
});

async function open(dataDir: string, clock: FakeClock): Promise<TestCore> {
  const core = await makeTestCore({ dataDir, clock });
  cores.push(core);
  return core;
}

function close(core: TestCore): void {
  core.close();
  cores = cores.filter((c) => c !== core);
}

const keyOf = (core: TestCore, id: number) =>
  (core.ctx.db.prepare('SELECT key FROM reminders WHERE id = ?').get(id) as { key: string }).key;

async function logSeus(core: TestCore, certificationId: number, dates: string[]) {
  for (const date of dates) await core.call('credits.add', { certificationId, date, units: 8, category: 'learning' });
}

const MET = ['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05'];

/** A certification whose credits are all logged, so only the expiry reminders speak. */
async function addWithCredits(core: TestCore, catalogId: string, earnedOn: string) {
  const cert = await core.call('certs.add', { catalogId, earnedOn });
  await logSeus(core, cert.id, MET);
  return cert;
}

describe('reminder delivery', () => {
  it('fires every default reminder exactly once over a simulated year with restarts', async () => {
    const dataDir = tempDir();
    const clock = fakeClock('2026-01-05T08:00:00');
    let core = await open(dataDir, clock);
    const csp = await core.call('certs.add', { catalogId: 'sa-csp', earnedOn: '2024-06-15' });
    const cspo = await core.call('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-02-10' });
    // Requirements met, so the credit-pace reminder stays quiet and the set below is exact.
    await logSeus(core, csp.id, ['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05']);

    const notified: string[] = [];
    const summarised: string[] = [];
    let step = 0;
    while (clock.now() < new Date('2027-01-20T00:00:00').getTime()) {
      for (const item of claimRemindersToNotify(core.ctx)) notified.push(keyOf(core, item.id));
      clock.advance(8 * HOUR);
      if (++step % 30 === 0) {
        // Every ten days Cadence is quit, stays closed for a day, and starts again.
        close(core);
        clock.advance(DAY);
        core = await open(dataDir, clock);
        const summary = takeStartupSummary(core.ctx);
        if (summary) summarised.push(...summary.items.map((i) => keyOf(core, i.id)));
      }
    }

    const cspKeys = ['before-90', 'before-60', 'before-30', 'before-7', 'before-1', 'day-of'].concat(
      Array.from({ length: 12 }, (_, i) => `grace-week-${i + 1}`),
    );
    const expected = [
      ...cspKeys.map((k) => `cert:${csp.id}:expiry:2026-06-15:${k}`),
      ...['before-90', 'before-60', 'before-30'].map((k) => `cert:${cspo.id}:expiry:2027-02-10:${k}`),
    ];
    const delivered = [...notified, ...summarised];
    expect([...delivered].sort()).toEqual([...expected].sort());
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(summarised.length).toBeGreaterThan(0);
    expect(core.ctx.db.prepare('SELECT count(*) AS n FROM reminders').get()).toEqual({ n: expected.length });
  });

  it('reminds once a month while credits are behind pace, until they catch up', async () => {
    const dataDir = tempDir();
    const clock = fakeClock('2026-01-05T08:00:00');
    let core = await open(dataDir, clock);
    const pmp = await core.call('certs.add', { catalogId: 'pmp', earnedOn: '2024-01-15' });
    const titles: string[] = [];
    for (let day = 1; day <= 100; day++) {
      titles.push(...claimRemindersToNotify(core.ctx).map((i) => `${new Date(clock.now()).toISOString().slice(0, 7)} ${i.title}`));
      clock.advance(DAY);
      if (day % 20 === 0) {
        close(core);
        core = await open(dataDir, clock);
        titles.push(...(takeStartupSummary(core.ctx)?.items ?? []).map((i) => `restart ${i.title}`));
      }
      if (day === 70) {
        for (const [i, category] of ['ways_of_working', 'power_skills', 'business_acumen'].entries()) {
          for (let k = 0; k < 3; k++) {
            await core.call('credits.add', { certificationId: pmp.id, date: `2025-0${i + 1}-1${k}`, units: 15, category });
          }
        }
      }
    }
    expect(titles).toEqual(['2026-01 PMP: credits behind pace', '2026-02 PMP: credits behind pace', '2026-03 PMP: credits behind pace']);
  });

  it('summarises reminders that came due while closed once, showing only the latest stage', async () => {
    const dataDir = tempDir();
    const clock = fakeClock('2026-03-01T10:00:00');
    let core = await open(dataDir, clock);
    await addWithCredits(core, 'sa-csp', '2024-06-15');
    await core.call('reminders.inbox');
    close(core);

    clock.set('2026-05-20T10:00:00');
    core = await open(dataDir, clock);
    const summary = takeStartupSummary(core.ctx)!;
    expect(summary.text).toBe('While Cadence was closed: CSP renewal due in 26 days.');
    expect(takeStartupSummary(core.ctx)).toBeNull();
    const info = await core.call('app.info');
    expect(info.notices.map((n) => n.message)).toContain(summary.text);
    const inbox = await core.call('reminders.inbox');
    expect(inbox.items.map((i) => [i.title, i.missed])).toEqual([['CSP renewal due in 26 days', true]]);
    expect(claimRemindersToNotify(core.ctx)).toEqual([]);
    close(core);

    core = await open(dataDir, clock);
    expect(takeStartupSummary(core.ctx)).toBeNull();
  });

  it('never duplicates a reminder between the inbox of several windows and the notifier', async () => {
    const clock = fakeClock('2026-03-01T10:00:00');
    const core = await open(tempDir(), clock);
    await addWithCredits(core, 'sa-csp', '2024-06-15');
    clock.set('2026-03-17T09:30:00');
    const fromInbox = (await core.call('reminders.inbox')).items;
    expect(fromInbox.map((i) => i.title)).toEqual(['CSP renewal due in 90 days']);
    expect(claimDueReminders(core.ctx)).toEqual([]);
    // The inbox claimed it; the desktop notifier still shows it, once.
    expect(claimRemindersToNotify(core.ctx).map((i) => i.title)).toEqual(['CSP renewal due in 90 days']);
    expect(claimRemindersToNotify(core.ctx)).toEqual([]);
    expect((await core.call('reminders.inbox')).count).toBe(1);
  });

  it('keeps a reminder claimed just before a crash: the notifier shows it after the restart, never as missed', async () => {
    const dataDir = tempDir();
    const clock = fakeClock('2026-03-17T09:30:00');
    let core = await open(dataDir, clock);
    await addWithCredits(core, 'sa-csp', '2024-06-15');
    expect(claimDueReminders(core.ctx)).toHaveLength(1);
    close(core); // the OS notification never got shown
    core = await open(dataDir, clock);
    // It came due while Cadence ran (the inbox listed it), so it is not announced as missed...
    expect(takeStartupSummary(core.ctx)).toBeNull();
    // ...but it is not lost: the desktop notifier shows it once, and it stays in the inbox.
    expect(claimRemindersToNotify(core.ctx).map((i) => [i.title, i.missed])).toEqual([['CSP renewal due in 90 days', false]]);
    expect(claimRemindersToNotify(core.ctx)).toEqual([]);
    expect((await core.call('reminders.inbox')).count).toBe(1);
  });

  it('a reminder shown in the inbox is delivered: a restart never announces it again as missed', async () => {
    const dataDir = tempDir();
    const clock = fakeClock('2026-03-17T09:30:00');
    let core = await open(dataDir, clock);
    await addWithCredits(core, 'sa-csp', '2024-06-15');
    expect((await core.call('reminders.inbox')).items.map((i) => [i.title, i.missed])).toEqual([['CSP renewal due in 90 days', false]]);
    close(core);
    clock.advance(HOUR);
    core = await open(dataDir, clock);
    expect(takeStartupSummary(core.ctx)).toBeNull();
    expect((await core.call('app.info')).notices).toEqual([]);
    expect((await core.call('reminders.inbox')).items.map((i) => [i.title, i.missed])).toEqual([['CSP renewal due in 90 days', false]]);
  });

  it('keeps one inbox entry per certification: a newer stage replaces the older one still open', async () => {
    const clock = fakeClock('2026-05-16T09:30:00');
    const core = await open(tempDir(), clock);
    const csp = await addWithCredits(core, 'sa-csp', '2024-06-15');
    const titles = async () => (await core.call('reminders.inbox')).items.map((i) => i.title);
    expect(await titles()).toEqual(['CSP renewal due in 30 days']);
    clock.set('2026-06-08T09:30:00');
    expect(await titles()).toEqual(['CSP renewal due in 7 days']);
    // A snoozed older stage is replaced too.
    const [seven] = (await core.call('reminders.inbox')).items;
    await core.call('reminders.snooze', { id: seven!.id, for: '1w' });
    clock.set('2026-06-14T09:30:00');
    const inbox = await core.call('reminders.inbox');
    expect([inbox.items.map((i) => i.title), inbox.snoozed]).toEqual([['CSP renewal due tomorrow'], []]);
    expect(inbox.items[0]!.target).toEqual({ kind: 'certification', id: csp.id });
  });

  it('fires nothing again when the clock moves backwards', async () => {
    const clock = fakeClock('2026-03-17T09:30:00');
    const core = await open(tempDir(), clock);
    await addWithCredits(core, 'sa-csp', '2024-06-15');
    expect(claimRemindersToNotify(core.ctx)).toHaveLength(1);
    clock.set('2026-02-01T09:30:00');
    expect(claimRemindersToNotify(core.ctx)).toEqual([]);
    expect((await core.call('reminders.inbox')).count).toBe(1);
    clock.set('2026-03-18T09:30:00');
    expect(claimRemindersToNotify(core.ctx)).toEqual([]);
  });

  it('uses the new time zone after a change while closed, without firing anything twice', async () => {
    process.env.TZ = 'America/Los_Angeles';
    const dataDir = tempDir();
    const clock = fakeClock('2026-12-03T16:30:00Z'); // 08:30 in Los Angeles, 01:30 on 4 December in Tokyo
    let core = await open(dataDir, clock);
    const cspo = await addWithCredits(core, 'sa-cspo', '2025-03-03');
    expect((await core.call('certs.get', { id: cspo.id })).daysLeft).toBe(90);
    expect(claimRemindersToNotify(core.ctx)).toEqual([]);
    close(core);

    process.env.TZ = 'Asia/Tokyo';
    core = await open(dataDir, clock);
    expect(takeStartupSummary(core.ctx)?.text).toBe('While Cadence was closed: CSPO renewal due in 89 days.');
    expect((await core.call('certs.get', { id: cspo.id })).daysLeft).toBe(89);
    close(core);

    process.env.TZ = 'America/Los_Angeles';
    clock.set('2026-12-03T17:30:00Z'); // 09:30 in Los Angeles: the same reminder, already fired
    core = await open(dataDir, clock);
    expect(takeStartupSummary(core.ctx)).toBeNull();
    expect(claimRemindersToNotify(core.ctx)).toEqual([]);
    expect((await core.call('reminders.inbox')).count).toBe(1);
  });

  it('snoozes for a day by the wall clock (across DST), and dismisses for good', async () => {
    const clock = fakeClock('2026-03-28T10:00:00');
    const core = await open(tempDir(), clock);
    await addWithCredits(core, 'sa-cspo', '2024-06-10');
    const [item] = (await core.call('reminders.inbox')).items;
    const snoozed = await core.call('reminders.snooze', { id: item!.id, for: '1d' });
    // British Summer Time starts on 29 March: one day later is 23 hours later.
    expect(snoozed.snoozedUntil! - clock.now()).toBe(23 * HOUR);
    const during = await core.call('reminders.inbox');
    expect([during.count, during.snoozed.length]).toEqual([0, 1]);
    claimRemindersToNotify(core.ctx);
    clock.set('2026-03-29T10:00:00');
    expect(claimRemindersToNotify(core.ctx).map((i) => i.id)).toEqual([item!.id]);
    await core.call('reminders.dismiss', { id: item!.id });
    clock.advance(30 * DAY);
    expect((await core.call('reminders.inbox')).items.map((i) => i.id)).not.toContain(item!.id);
    expect((await core.fail('reminders.snooze', { id: item!.id, for: '1w' })).code).toBe('not_found');
  });

  it('shows an open reminder with today\'s days left and shortfall, not the ones it fired with', async () => {
    const clock = fakeClock('2026-03-17T09:30:00');
    const core = await open(tempDir(), clock);
    const csp = await core.call('certs.add', { catalogId: 'sa-csp', earnedOn: '2024-06-15' });
    const before = (await core.call('reminders.inbox')).items.find((i) => i.title.startsWith('CSP renewal'))!;
    expect([before.title, before.body]).toEqual(['CSP renewal due in 90 days', '40 more SEUs by 15 June 2026; $250 fee']);
    clock.advance(5 * DAY);
    await core.call('credits.add', { certificationId: csp.id, date: '2026-03-20', units: 8, category: 'events' });
    const after = (await core.call('reminders.inbox')).items.find((i) => i.id === before.id)!;
    expect([after.title, after.body]).toEqual(['CSP renewal due in 85 days', '32 more SEUs by 15 June 2026; $250 fee']);
  });

  it('takes reminders from any registered source, and one failing source does not silence the others', async () => {
    const clock = fakeClock('2026-03-02T10:00:00');
    const core = await open(tempDir(), clock);
    const at = new Date('2026-03-02T18:00:00').getTime();
    registerReminderSource('test-mentor', () => [
      { key: 'checkin:2026-03-02', dueAt: at, title: 'Mentor check-in at 18:30', body: 'Bring questions', target: { kind: 'checkin', id: 1 } },
    ]);
    registerReminderSource('test-broken', () => {
      throw new Error('broken source');
    });
    try {
      expect(nextReminderAt(core.ctx)).toBe(at);
      expect(claimRemindersToNotify(core.ctx)).toEqual([]);
      clock.set('2026-03-02T18:00:00');
      expect(claimRemindersToNotify(core.ctx).map((i) => [i.source, i.title, i.target])).toEqual([
        ['test-mentor', 'Mentor check-in at 18:30', { kind: 'checkin', id: 1 }],
      ]);
      expect(claimRemindersToNotify(core.ctx)).toEqual([]);
    } finally {
      registerReminderSource('test-mentor', () => []);
      registerReminderSource('test-broken', () => []);
    }
  });

  it('clears a certification\'s reminders when it is renewed or deleted', async () => {
    const clock = fakeClock('2026-03-20T10:00:00');
    const core = await open(tempDir(), clock);
    const csp = await core.call('certs.add', { catalogId: 'sa-csp', earnedOn: '2024-06-15' });
    expect((await core.call('reminders.inbox')).count).toBe(2); // 90 days before, and credits behind pace
    await core.call('certs.renew', { id: csp.id });
    expect((await core.call('reminders.inbox')).count).toBe(0);
    await core.call('certs.remove', { id: csp.id });
    expect(core.ctx.db.prepare('SELECT count(*) AS n FROM reminders').get()).toEqual({ n: 0 });
  });
});
