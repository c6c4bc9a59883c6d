// Automatic sync: when it runs (start, a little after changes, periodically), that it never runs two at
// once and backs off while the server fails; then for real, two computers converging without "Sync
// now", and the progress a long sync reports.
import { describe, expect, it } from 'vitest';
import { makeAutoSync, timingFromEnv, type AutoSyncTiming } from '../../electron/core/sync/auto';
import type { SyncProgress } from '../../electron/core/sync/engine';
import { deckWithNotes } from './testCore';
import { syncFor, syncSuite } from './syncEngine';

const TIMING: AutoSyncTiming = { startDelayMs: 3_000, debounceMs: 8_000, intervalMs: 300_000, maxBackoffMs: 1_800_000 };

/** Timers on a clock the test moves. */
function fakeTime() {
  let now = 0;
  const timers: { at: number; fire: () => void; live: boolean }[] = [];
  return {
    now: () => now,
    setTimer(fire: () => void, ms: number) {
      const t = { at: now + ms, fire, live: true };
      timers.push(t);
      return () => {
        t.live = false;
      };
    },
    /** Moves time forward, firing what falls due in order (and letting each sync settle). */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        now = next.at;
        next.live = false;
        next.fire();
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
      now = end;
    },
    live: () => timers.filter((t) => t.live).length,
  };
}

function scheduler(options: { fail?: () => boolean; hold?: boolean } = {}) {
  const time = fakeTime();
  const runs: number[] = [];
  let release: (() => void) | null = null;
  let enabled = true;
  const auto = makeAutoSync({
    enabled: () => enabled,
    sync: () => {
      runs.push(time.now());
      if (options.hold) return new Promise<void>((resolve) => (release = resolve));
      return options.fail?.() ? Promise.reject(new Error('offline')) : Promise.resolve();
    },
    now: time.now,
    setTimer: time.setTimer,
    timing: TIMING,
  });
  return { auto, time, runs, release: () => release?.(), disable: () => (enabled = false) };
}

describe('automatic sync timing', () => {
  it('syncs soon after start, then every interval', async () => {
    const { auto, time, runs } = scheduler();
    auto.start();
    expect(auto.nextAt()).toBe(3_000);
    await time.advance(3_000 + 3 * 300_000);
    expect(runs).toEqual([3_000, 303_000, 603_000, 903_000]);
  });

  it('sends changes a little after the last one, yet at least once an interval while they keep coming', async () => {
    const { auto, time, runs } = scheduler();
    auto.start();
    await time.advance(10_000); // the first sync, at 3 s
    auto.changed();
    await time.advance(5_000);
    auto.changed(); // a second answer 5 s later pushes the sync back
    await time.advance(7_000);
    expect(runs).toEqual([3_000]);
    await time.advance(1_000);
    expect(runs).toEqual([3_000, 23_000]);
    // An answer every 5 s for a long session: synced at least every interval, not held back to its end.
    for (let i = 0; i < 200; i++) {
      auto.changed();
      await time.advance(5_000);
    }
    const during = runs.filter((t) => t > 23_000 && t <= 1_023_000);
    expect(during.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < during.length; i++) expect(during[i]! - during[i - 1]!).toBeLessThanOrEqual(300_000);
  });

  it('never runs two at once: a sync due while one runs waits for it', async () => {
    const s = scheduler({ hold: true });
    s.auto.start();
    await s.time.advance(3_000);
    expect(s.runs).toEqual([3_000]);
    s.auto.changed();
    await s.time.advance(600_000);
    expect(s.runs).toEqual([3_000]);
    s.release();
    for (let i = 0; i < 5; i++) await Promise.resolve();
    // It ended at 603 000: the change made meanwhile goes right away.
    await s.time.advance(1);
    expect(s.runs).toEqual([3_000, 603_000]);
  });

  it('backs off while the server fails, ignores changes meanwhile, and starts afresh when it works again', async () => {
    let failing = true;
    const { auto, time, runs } = scheduler({ fail: () => failing });
    auto.start();
    await time.advance(3_000);
    for (let i = 0; i < 10; i++) {
      auto.changed();
      await time.advance(8_000);
    }
    expect(runs).toEqual([3_000]); // changes do not hurry a failing server
    await time.advance(3 * 3_600_000);
    const gaps = runs.slice(1).map((t, i) => t - runs[i]!);
    expect(gaps.slice(0, 4)).toEqual([300_000, 600_000, 1_200_000, 1_800_000]);
    expect(gaps.every((g) => g <= 1_800_000)).toBe(true);
    expect(runs.length).toBeLessThan(10); // three hours offline: a handful of tries, not hundreds
    failing = false;
    auto.start(); // the user saved new settings
    await time.advance(3_000);
    auto.changed();
    await time.advance(8_000);
    expect(runs.slice(-2).map((t) => t - runs.at(-2)!)).toEqual([0, 8_000]);
  });

  it('stops: no timer left, and nothing runs after', async () => {
    const { auto, time, runs } = scheduler();
    auto.start();
    await auto.stop();
    expect(time.live()).toBe(0);
    auto.changed();
    await time.advance(3_600_000);
    expect(runs).toEqual([]);
    expect(auto.nextAt()).toBeNull();
  });

  it('takes its interval from CADENCE_SYNC_INTERVAL_S, the other waits never longer', () => {
    expect(timingFromEnv({})).toMatchObject({ intervalMs: 300_000, debounceMs: 8_000 });
    expect(timingFromEnv({ CADENCE_SYNC_INTERVAL_S: '2' })).toMatchObject({ startDelayMs: 2_000, debounceMs: 2_000, intervalMs: 2_000 });
    expect(timingFromEnv({ CADENCE_SYNC_INTERVAL_S: 'soon' })).toMatchObject({ intervalMs: 300_000 });
  });
});

const suite = syncSuite('auto');
const QUICK: AutoSyncTiming = { startDelayMs: 100, debounceMs: 200, intervalMs: 400, maxBackoffMs: 3_200 };

async function until(check: () => boolean | Promise<boolean>, ms = 45_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('automatic sync between two computers', () => {
  it('brings an answer made on one to the other with nobody pressing Sync now', async () => {
    const { url, database } = await suite.target();
    const a = (await suite.machine(undefined, QUICK)).core;
    const b = (await suite.machine(undefined, QUICK)).core;
    const { cardIds } = await deckWithNotes(a, 'Kanban', 2);
    for (const c of [a, b]) await c.call('sync.configure', { url, database, username: '' });
    const notesOnB = () => b.ctx.db.prepare('SELECT count(*) FROM notes').pluck().get() as number;
    await until(() => notesOnB() === 2);

    await a.call('study.answer', { cardId: cardIds[0]!, rating: 3, durationMs: 2000 });
    expect((await a.call('sync.status')).pending).toBeGreaterThan(0);
    await until(() => b.ctx.db.prepare('SELECT count(*) FROM revlog').pluck().get() === 1);
    await until(async () => (await a.call('sync.status')).nextSyncAt !== null); // (none while one runs)
    expect(await a.call('sync.status')).toMatchObject({ automatic: true, pending: 0, lastError: null, problem: null });

    // Turned off: no more automatic syncs.
    await b.call('settings.update', { syncAutomatically: false });
    expect(await b.call('sync.status')).toMatchObject({ automatic: false, nextSyncAt: null });
    await a.call('study.answer', { cardId: cardIds[1]!, rating: 3, durationMs: 2000 });
    await until(async () => (await a.call('sync.status')).pending === 0);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(b.ctx.db.prepare('SELECT count(*) FROM revlog').pluck().get()).toBe(1);
  }, 120_000);

  it('says in a few words why it failed, and waits longer each time instead of trying over and over', async () => {
    const a = (await suite.machine(undefined, QUICK)).core;
    await a.call('sync.configure', { url: 'http://127.0.0.1:9', database: 'nowhere', username: '' });
    await until(async () => (await a.call('sync.status')).lastError !== null);
    const status = await a.call('sync.status');
    expect(status.problem).toBe('the server did not answer');
    expect(status.lastError).toMatch(/could not reach the sync server at 127\.0\.0\.1:9/);
    const tries = () => a.events.filter((e) => e.name === 'data.changed' && (e.payload as { topics: string[] }).topics[0] === 'sync').length;
    const before = tries();
    await new Promise((r) => setTimeout(r, 2_500));
    // At the interval every 400 ms it would have tried six times; backing off (400, 800, 1600 ms) three at most.
    expect((tries() - before) / 2).toBeLessThanOrEqual(3);
  }, 30_000);

  it('says when no server answers to the name in the address', async () => {
    const a = (await suite.machine()).core;
    await a.call('sync.configure', { url: 'https://no-such-host.invalid', database: 'cadence', username: '' });
    const failed = await a.fail('sync.now', {});
    expect(failed.message).toMatch(/^Cadence could not find the sync server no-such-host\.invalid: no computer answers to that name\./);
    expect((await a.call('sync.status')).problem).toBe('the server was not found');
  }, 30_000);
});

describe('sync progress', () => {
  it('reports after each batch how many documents went and came, out of the total on a first sync', async () => {
    const target = await suite.target();
    const a = await suite.machine(20);
    await deckWithNotes(a.core, 'Large', 90);
    const sent: SyncProgress[] = [];
    await a.sync.syncNow(target, (p) => sent.push({ ...p }));
    const sending = sent.filter((p) => p.phase === 'sending');
    expect(sending.length).toBeGreaterThanOrEqual(5); // 91 documents in batches of 20
    expect(sending.at(-1)).toEqual({ phase: 'sending', done: 91, total: 91 });
    expect(sent.filter((p) => p.phase === 'uploading').at(-1)).toEqual({ phase: 'uploading', done: 91, total: 91 });

    const b = syncFor((await suite.machine()).core, 20);
    const came: SyncProgress[] = [];
    await b.syncNow(target, (p) => came.push({ ...p }));
    const downloading = came.filter((p) => p.phase === 'downloading');
    expect(downloading.at(-1)).toEqual({ phase: 'downloading', done: 91, total: 91 });
    const applying = came.filter((p) => p.phase === 'applying');
    expect(applying.length).toBeGreaterThanOrEqual(5);
    expect(applying.every((p, i) => p.total === 91 && p.done <= 91 && (i === 0 || p.done > applying[i - 1]!.done))).toBe(true);
    expect(applying.at(-1)!.done).toBe(91);
  }, 60_000);
});
