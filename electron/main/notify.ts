// Desktop delivery of reminders: OS notifications from the main process, and the timer that drives
// them. The decisions (what is due, what was shown, how long to wait) live in electron/core/reminders;
// this file only turns them into Electron calls.
import { BrowserWindow, Notification, powerMonitor } from 'electron';
import type { EventName } from '../../shared/contract';
import type { ReminderTarget } from '../../shared/contract/certifications';
import type { Core } from '../core/app';
import { claimRemindersToNotify, nextReminderAt, takeStartupSummary } from '../core/reminders';
import { nextCheckDelay, planNotifications, type PlannedNotification } from '../core/reminders/delivery';
import { liveSettings } from '../core/settings';

/** True when a 'data.changed' event names the topic. */
export function changedTopic(name: EventName, payload: unknown, topic: string): boolean {
  return name === 'data.changed' && ((payload as { topics?: string[] }).topics ?? []).includes(topic);
}

export interface RemindersOptions {
  /** Shows (creating if needed) and focuses the main window. */
  showWindow: () => void;
}

export interface RemindersHandle {
  /** Claims and shows what is due now, then re-arms the timer. */
  check(): void;
  dispose(): void;
}

export function setupReminders(core: Core, options: RemindersOptions): RemindersHandle {
  const settings = liveSettings(core);
  // A Notification that is garbage-collected loses its click handler: keep each until it closes.
  const live = new Set<Notification>();
  let timer: NodeJS.Timeout | null = null;
  let soon: NodeJS.Timeout | null = null;
  let disposed = false;

  /** Brings the window up and asks the page to show what the reminder is about (null: the inbox). */
  function open(target: ReminderTarget | null): void {
    const hadWindow = BrowserWindow.getAllWindows().length > 0;
    options.showWindow();
    const win = BrowserWindow.getAllWindows()[0];
    if (!win) return;
    const send = () => core.ctx.emit('reminders.open', target ?? { kind: 'inbox', id: 0 });
    if (hadWindow && !win.webContents.isLoading()) send();
    // A new window must load its page before it can listen.
    else win.webContents.once('did-finish-load', () => setTimeout(send, 500));
  }

  function show(planned: PlannedNotification): void {
    const notification = new Notification({ title: planned.title, body: planned.body });
    live.add(notification);
    notification.on('click', () => open(planned.target));
    notification.on('close', () => live.delete(notification));
    notification.on('failed', (_event, error) => {
      live.delete(notification);
      core.ctx.log.warn('A reminder notification could not be shown', error);
    });
    notification.show();
  }

  function arm(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (disposed || !core.ctx.db.open) return;
    let next: number | null = null;
    try {
      next = nextReminderAt(core.ctx);
    } catch (err) {
      core.ctx.log.error('Could not work out the next reminder', err);
    }
    timer = setTimeout(check, nextCheckDelay(next, core.ctx.clock.now()));
  }

  function check(): void {
    if (disposed || !core.ctx.db.open) return;
    // An import holds the collection in one transaction: claim nothing that a cancel could roll back.
    if (core.ctx.gate.busy()) {
      void core.ctx.gate.wait().then(check);
      return;
    }
    try {
      // Claimed and marked shown in one transaction; with notifications off they still reach the inbox.
      const items = claimRemindersToNotify(core.ctx);
      const startup = takeStartupSummary(core.ctx);
      if (settings.get().notificationsEnabled && Notification.isSupported()) {
        for (const planned of planNotifications(items, startup)) show(planned);
      }
    } catch (err) {
      core.ctx.log.error('Checking reminders failed', err);
    }
    arm();
  }

  // A write can make something due at once (a certification added close to its expiry) or move the
  // next reminder: check shortly after, once per burst of writes.
  const stopListening = core.onEvent((name) => {
    if (name !== 'data.changed' || soon || disposed) return;
    soon = setTimeout(() => {
      soon = null;
      check();
    }, 500);
  });

  // Timers do not run during sleep, and the clock may have jumped: re-check on wake.
  const onWake = () => check();
  powerMonitor.on('resume', onWake);
  powerMonitor.on('unlock-screen', onWake);

  check();

  return {
    check,
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      if (soon) clearTimeout(soon);
      stopListening();
      powerMonitor.off('resume', onWake);
      powerMonitor.off('unlock-screen', onWake);
    },
  };
}
