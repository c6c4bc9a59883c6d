import { afterEach, describe, expect, it } from 'vitest';
import { fakeClock, makeTestCore, tempDir, type TestCore } from './testCore';

let core: TestCore | undefined;
afterEach(() => core?.close());

describe('mentor check-in reminders', () => {
  it('a reminder that came due while Cadence was closed still reaches the inbox after the check-in started', async () => {
    const dataDir = tempDir();
    const clock = fakeClock('2026-03-02T09:00:00'); // a Monday
    core = await makeTestCore({ dataDir, clock });
    await core.call('checkins.setSchedule', { cadence: 'weekly', weekday: 3, time: '18:00', firstDate: '2026-03-04', remindMinutesBefore: 0 });
    expect((await core.call('reminders.inbox')).items).toEqual([]);
    core.close();

    // Closed from Monday until Wednesday 18:05, five minutes after the check-in began.
    clock.set('2026-03-04T18:05:00');
    core = await makeTestCore({ dataDir, clock });
    const inbox = await core.call('reminders.inbox');
    expect(inbox.items.map((i) => i.title)).toEqual(['Mentor check-in Wednesday at 18:00']);
    expect(inbox.items[0]!.missed).toBe(true);

    // And only once.
    clock.advance(3_600_000);
    expect((await core.call('reminders.inbox')).items).toHaveLength(1);
  });
});
