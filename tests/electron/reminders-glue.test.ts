// The Electron glue (notify, tray, autostart) with 'electron' replaced by a stand-in: there is no Electron
// binary here, so this checks the wiring to the real core: timers, notifications, clicks, settings.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeClock, makeTestCore, tempDir, type TestCore } from '../unit/testCore';

const fake = vi.hoisted(() => ({ notifications: [] as any[], windows: [] as any[], trays: [] as any[], loginItems: [] as unknown[] }));

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  class Notification extends EventEmitter {
    static isSupported = () => true;
    shown = false;
    constructor(readonly options: { title: string; body: string }) {
      super();
      fake.notifications.push(this);
    }
    show() {
      this.shown = true;
    }
  }
  class Tray extends EventEmitter {
    destroyed = false;
    constructor() {
      super();
      fake.trays.push(this);
    }
    setToolTip() {}
    setContextMenu() {}
    destroy() {
      this.destroyed = true;
    }
  }
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    getAppPath: () => '/src/cadence',
    quit: () => {},
    setLoginItemSettings: (s: unknown) => fake.loginItems.push(s),
    getLoginItemSettings: () => ({ wasOpenedAtLogin: false }),
  });
  return {
    app,
    Notification,
    Tray,
    Menu: { buildFromTemplate: (t: unknown) => t },
    nativeImage: { createFromBitmap: () => ({}), createFromPath: () => ({ isEmpty: () => true }) },
    powerMonitor: new EventEmitter(),
    BrowserWindow: { getAllWindows: () => fake.windows },
  };
});

const { powerMonitor } = await import('electron');
const { setupReminders } = await import('../../electron/main/notify');
const { setupTray } = await import('../../electron/main/tray');
const { applyAutostart } = await import('../../electron/main/autostart');

let core: TestCore;
const disposers: (() => void)[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  fake.notifications.length = 0;
  fake.windows.length = 0;
  fake.trays.length = 0;
});
afterEach(() => {
  disposers.splice(0).forEach((d) => d());
  vi.useRealTimers();
  core?.close();
});

async function withCsp(start: string) {
  core = await makeTestCore({ clock: fakeClock(start) });
  const csp = await core.call('certs.add', { catalogId: 'sa-csp', earnedOn: '2024-06-15' });
  for (const date of ['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05']) {
    await core.call('credits.add', { certificationId: csp.id, date, units: 8, category: 'learning' });
  }
  return csp;
}

describe('desktop reminders (electron/main/notify.ts)', () => {
  it('waits for the due time (at most an hour at a time), notifies once, and a click opens the certification', async () => {
    const csp = await withCsp('2026-03-17T07:30:00');
    const showWindow = vi.fn();
    disposers.push(setupReminders(core, { showWindow }).dispose);
    expect(fake.notifications).toEqual([]);

    core.clock.set('2026-03-17T08:30:00');
    vi.advanceTimersByTime(3_600_000); // the one-hour cap: checks, nothing due yet, re-arms for 30 minutes
    expect(fake.notifications).toEqual([]);
    core.clock.set('2026-03-17T09:00:00');
    vi.advanceTimersByTime(30 * 60_000);
    expect(fake.notifications.map((n) => [n.options.title, n.shown])).toEqual([['CSP renewal due in 90 days', true]]);

    vi.advanceTimersByTime(3_600_000);
    powerMonitor.emit('resume');
    expect(fake.notifications).toHaveLength(1);

    fake.windows.push({ webContents: { isLoading: () => false } });
    fake.notifications[0].emit('click');
    expect(showWindow).toHaveBeenCalled();
    expect(core.events).toContainEqual({ name: 'reminders.open', payload: { kind: 'certification', id: csp.id } });
  });

  it('re-checks after a write and on resume from sleep', async () => {
    core = await makeTestCore({ clock: fakeClock('2026-03-17T10:00:00') });
    disposers.push(setupReminders(core, { showWindow: () => {} }).dispose);
    await core.call('certs.add', { catalogId: 'sa-cspo', earnedOn: '2024-06-10' });
    expect(fake.notifications).toEqual([]);
    vi.advanceTimersByTime(600);
    expect(fake.notifications.map((n) => n.options.title)).toContain('CSPO renewal due in 85 days');
    const before = fake.notifications.length;
    core.clock.set('2026-04-15T09:05:00');
    powerMonitor.emit('resume');
    expect(fake.notifications.slice(before).map((n) => n.options.title)).toContain('CSPO renewal due in 56 days');
  });

  it('summarises what came due while closed in one notification, and stays quiet when notifications are off', async () => {
    await withCsp('2026-05-20T10:00:00');
    core.close();
    core = await makeTestCore({ dataDir: core.dataDir, clock: core.clock });
    disposers.push(setupReminders(core, { showWindow: () => {} }).dispose);
    expect(fake.notifications.map((n) => n.options.title)).toEqual(['A reminder came due while Cadence was closed']);

    await core.call('settings.update', { notificationsEnabled: false });
    core.clock.set('2026-06-08T09:30:00');
    vi.advanceTimersByTime(3_600_000);
    expect(fake.notifications).toHaveLength(1);
    expect((await core.call('reminders.inbox')).items.map((i) => i.title)).toContain('CSP renewal due in 7 days');
  });
});

describe('tray and start at login', () => {
  it('hides the window on close while the tray keeps Cadence running, and follows the setting', async () => {
    core = await makeTestCore();
    const { EventEmitter } = await import('node:events');
    const win = Object.assign(new EventEmitter(), { hide: vi.fn() });
    fake.windows.push(win);
    disposers.push(setupTray(core, { showWindow: () => {} }).dispose);
    expect(fake.trays).toHaveLength(1);
    const close = { preventDefault: vi.fn() };
    win.emit('close', close);
    expect(close.preventDefault).toHaveBeenCalled();
    expect(win.hide).toHaveBeenCalled();

    await core.call('settings.update', { keepRunningInTray: false });
    expect(fake.trays[0].destroyed).toBe(true);
    const closeAgain = { preventDefault: vi.fn() };
    win.emit('close', closeAgain);
    expect(closeAgain.preventDefault).not.toHaveBeenCalled();
  });

  it('writes the XDG autostart entry on Linux when start at login is switched on, and removes it when off', async () => {
    if (process.platform !== 'linux') return;
    const config = tempDir();
    const previous = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = config;
    try {
      core = await makeTestCore();
      disposers.push(applyAutostart(core));
      const file = path.join(config, 'autostart', 'cadence.desktop');
      expect(fs.existsSync(file)).toBe(false);
      await core.call('settings.update', { startAtLogin: true });
      expect(fs.readFileSync(file, 'utf8')).toContain(`Exec=${process.execPath} /src/cadence --hidden`);
      await core.call('settings.update', { startAtLogin: false });
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = previous;
    }
  });
});
