import { afterEach, describe, expect, it } from 'vitest';
import { addCard, addReview, DAY, inTimeZone, withoutStarterDecks } from './curriculum-fixtures';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

async function deck(name: string, parentId: number | null = null) {
  return (await core.call('decks.create', { name, parentId })).id;
}

describe('today.get', () => {
  it('gathers due cards per deck, curricula, the next check-in, the streak and the goal in one answer', async () => {
    core = await makeTestCore();
    await withoutStarterDecks(core);
    core.clock.set('2026-03-04T10:00:00'); // Wednesday
    const now = core.clock.now();
    const parent = await deck('Scrum');
    const child = await deck('Events', parent);
    addCard(core, { deckId: parent, state: 2, due: now - DAY, stability: 3, lastReview: now - 4 * DAY });
    addCard(core, { deckId: child, state: 2, due: now - 60_000, stability: 3, lastReview: now - 3 * DAY });
    addCard(core, { deckId: child, state: 1, due: now - 60_000, stability: 1, lastReview: now - 600_000 });
    addCard(core, { deckId: child, state: 2, due: now + 5 * DAY, stability: 9, lastReview: now - DAY });
    addCard(core, { deckId: child });
    const answered = addCard(core, { deckId: child, state: 2, due: now + 2 * DAY, stability: 4, lastReview: now - 3_600_000 });
    addReview(core, { cardId: answered, at: now - 3_600_000, rating: 3 });
    addReview(core, { cardId: answered, at: now - 3_000_000, rating: 3 }); // same card again: one card toward the goal

    const c = await core.call('curricula.startTemplate', { templateKey: 'technical-project-management-12-weeks', startDate: '2026-03-02' });
    await core.call('modules.setStatus', { id: c.modules[0]!.id, status: 'in_progress' });
    await core.call('checkins.setSchedule', { cadence: 'weekly', weekday: 5, time: '17:30', mentor: 'Sam' });
    await core.call('settings.update', { dailyGoalCards: 20 });

    const today = await core.call('today.get');
    expect(today.today).toBe('2026-03-04');
    expect(today.decks.map((d) => [d.path, d.counts.reviewDue, d.counts.learningDue, d.counts.newDue])).toEqual([
      ['Scrum', 2, 1, 1],
      ['Scrum::Events', 1, 1, 1],
    ]);
    expect(today.due).toEqual({ newCards: 1, learning: 1, review: 2 });
    expect(today.curricula).toHaveLength(1);
    expect(today.curricula[0]).toMatchObject({
      name: 'Technical Project Management — 12 weeks',
      pace: { label: 'on track' },
      current: { id: c.modules[0]!.id, status: 'in_progress' },
      next: { id: c.modules[1]!.id },
    });
    expect(today.checkin).toEqual({ at: new Date('2026-03-06T17:30:00').getTime(), date: '2026-03-06', time: '17:30', mentor: 'Sam' });
    expect(today.streak).toEqual({ days: 1, studiedToday: true });
    expect(today.goal).toEqual({ target: 20, done: 1 });
    expect(today.renewals).toEqual([]);
  });
});

describe('renewals on Today', () => {
  it('lists certifications expiring within 90 days, soonest first, and leaves later ones out', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-04T10:00:00');
    await core.call('certs.add', { catalogId: 'sa-csm', earnedOn: '2024-05-01', expiresOn: '2026-05-01' });
    await core.call('certs.add', { catalogId: 'sa-cspo', earnedOn: '2024-04-01', expiresOn: '2026-04-01', label: 'team A' });
    await core.call('certs.add', { catalogId: 'pmp', earnedOn: '2025-01-10', expiresOn: '2028-01-10' });
    const { renewals } = await core.call('today.get');
    expect(renewals.map((r) => [r.title, r.dueOn, r.daysLeft])).toEqual([
      ['CSPO (team A)', '2026-04-01', 28],
      ['CSM', '2026-05-01', 58],
    ]);
    expect(renewals[0]!.detail.length).toBeGreaterThan(0);
  });
});

describe('study streak', () => {
  /** One answer at each local time given. */
  function studyAt(times: string[]) {
    const card = addCard(core, { deckId: deckId, state: 2 });
    for (const t of times) addReview(core, { cardId: card, at: t, rating: 3 });
  }
  let deckId = 0;

  it('counts consecutive study days, rollover-aware, and an unstudied today does not break it', async () => {
    core = await makeTestCore();
    deckId = await deck('D');
    // Study days 6, 7, 8 and 9 March; the 9 March session ran past midnight (01:30 on the 10th is still the 9th).
    studyAt(['2026-03-05T09:00:00', '2026-03-06T23:00:00', '2026-03-07T12:00:00', '2026-03-08T04:10:00', '2026-03-10T01:30:00']);
    core.clock.set('2026-03-10T02:00:00'); // still study day 9 March, already studied
    expect((await core.call('today.get')).streak).toEqual({ days: 5, studiedToday: true });

    core.clock.set('2026-03-10T12:00:00'); // study day 10 March, nothing yet: the streak stands
    expect((await core.call('today.get')).streak).toEqual({ days: 5, studiedToday: false });
    expect((await core.call('today.get')).goal.done).toBe(0);

    core.clock.set('2026-03-11T12:00:00'); // a whole day missed: broken
    expect((await core.call('today.get')).streak).toEqual({ days: 0, studiedToday: false });
  });

  it('moves with the rollover hour setting', async () => {
    core = await makeTestCore();
    deckId = await deck('D');
    studyAt(['2026-03-08T20:00:00', '2026-03-10T01:30:00']);
    core.clock.set('2026-03-10T12:00:00');
    // Rollover 04:00: the 01:30 answer belongs to 9 March, so 8 and 9 March make a streak of 2.
    expect((await core.call('today.get')).streak).toEqual({ days: 2, studiedToday: false });
    // Rollover at midnight: the answer is on 10 March and 9 March has none.
    await core.call('settings.update', { dayRolloverHour: 0 });
    expect((await core.call('today.get')).streak).toEqual({ days: 1, studiedToday: true });
  });

  it('holds across DST changes and in zones far from UTC', async () => {
    const cases: [string, string[], string][] = [
      // US spring forward on 8 March 2026 (02:00 -> 03:00): 8 March lasts 23 hours.
      ['America/New_York', ['2026-03-07T22:00:00', '2026-03-08T04:30:00', '2026-03-09T03:30:00', '2026-03-09T21:00:00'], '2026-03-10T09:00:00'],
      // Europe falls back on 25 October 2026: that study day lasts 25 hours.
      ['Europe/Paris', ['2026-10-24T05:00:00', '2026-10-25T03:30:00', '2026-10-25T04:30:00', '2026-10-26T10:00:00'], '2026-10-27T08:00:00'],
      // UTC+13: the local date differs from the UTC date for much of the day.
      ['Pacific/Auckland', ['2026-06-01T08:00:00', '2026-06-02T23:59:00', '2026-06-03T04:30:00', '2026-06-04T05:00:00'], '2026-06-05T10:00:00'],
    ];
    const expected: Record<string, number> = { 'America/New_York': 3, 'Europe/Paris': 3, 'Pacific/Auckland': 4 };
    for (const [tz, times, now] of cases) {
      await inTimeZone(tz, async () => {
        core = await makeTestCore();
        deckId = await deck('D');
        studyAt(times);
        core.clock.set(now);
        expect((await core.call('today.get')).streak, tz).toEqual({ days: expected[tz], studiedToday: false });
        core.close();
      });
    }
  });
});

describe('mentor check-ins', () => {
  it('schedules weekly or every two weeks, skips a check-in already logged, and keeps a log with notes', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-04T10:00:00'); // Wednesday
    let s = await core.call('checkins.setSchedule', { cadence: 'biweekly', weekday: 3, time: '09:00', firstDate: '2026-02-25' });
    // 25 Feb, 11 Mar, 25 Mar ...: today's 4 March is the off week.
    expect(s.next).toMatchObject({ date: '2026-03-11', time: '09:00' });
    s = await core.call('checkins.setSchedule', { cadence: 'weekly', weekday: 3, time: '11:00', firstDate: '2026-02-25', mentor: 'Ana' });
    expect(s.next).toMatchObject({ date: '2026-03-04', mentor: 'Ana' });

    const entry = await core.call('checkins.log', { notes: 'Talked about the risk register' });
    expect(entry).toMatchObject({ date: '2026-03-04', notes: 'Talked about the risk register' });
    s = await core.call('checkins.get');
    expect(s.next?.date).toBe('2026-03-11'); // today's was held early
    expect(s.log.map((e) => e.notes)).toEqual(['Talked about the risk register']);

    const edited = await core.call('checkins.updateLog', { id: entry.id, notes: 'Risk register and RACI' });
    expect(edited.notes).toBe('Risk register and RACI');
    await core.call('checkins.deleteLog', { id: entry.id });
    expect((await core.call('checkins.get')).log).toEqual([]);
    expect((await core.call('checkins.clearSchedule')).schedule).toBeNull();
    expect((await core.call('today.get')).checkin).toBeNull();
  });

  it('reminds before each check-in through the shared reminders inbox, once', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-04T10:00:00'); // Wednesday
    await core.call('checkins.setSchedule', { cadence: 'weekly', weekday: 5, time: '17:30', mentor: 'Sam', remindMinutesBefore: 120 });
    expect((await core.call('reminders.inbox')).items.filter((i) => i.source === 'checkins')).toEqual([]);
    core.clock.set('2026-03-06T15:45:00'); // 1 h 45 min before Friday's check-in
    const first = (await core.call('reminders.inbox')).items.filter((i) => i.source === 'checkins');
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ title: 'Mentor check-in Friday at 17:30', body: expect.stringContaining('Sam') });
    expect(first[0]!.dueAt).toBe(new Date('2026-03-06T15:30:00').getTime());
    core.clock.set('2026-03-06T16:00:00');
    expect((await core.call('reminders.inbox')).items.filter((i) => i.source === 'checkins')).toHaveLength(1);
  });

  it('refuses a bad schedule and changes nothing', async () => {
    core = await makeTestCore();
    const wrongDay = await core.fail('checkins.setSchedule', { cadence: 'weekly', weekday: 1, time: '09:00', firstDate: '2026-03-04' });
    expect(wrongDay.message).toBe('The first date, 2026-03-04, is a Wednesday, but the check-ins are on Mondays; choose a Monday.');
    expect((await core.fail('checkins.setSchedule', { cadence: 'weekly', weekday: 8, time: '09:00' })).message).toBe('Day of the week must be 1 (Monday) to 7 (Sunday).');
    expect((await core.fail('checkins.setSchedule', { cadence: 'weekly', weekday: 1, time: '25:00' })).message).toContain('Time must be a time');
    expect((await core.fail('checkins.setSchedule', { cadence: 'monthly', weekday: 1, time: '09:00' })).message).toBe('How often must be "weekly" or "biweekly".');
    expect((await core.fail('checkins.setSchedule', { cadence: 'weekly', weekday: 1, time: '09:00', curriculumId: 5 })).code).toBe('not_found');
    expect((await core.fail('checkins.updateLog', { id: 7, notes: 'x' })).code).toBe('not_found');
    expect((await core.call('checkins.get')).schedule).toBeNull();
  });
});
