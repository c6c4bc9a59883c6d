import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../shared/contract/certifications';
import { applyXdgAutostart, autostartDir, desktopEntry, launchCommand, quoteExecArg } from '../../electron/core/reminders/autostart';
import { HOUR_MS, nextCheckDelay, planNotifications } from '../../electron/core/reminders/delivery';
import { tempDir } from './testCore';

const item = (id: number, title: string): InboxItem => ({
  id,
  source: 'certifications',
  title,
  body: `body ${id}`,
  target: { kind: 'certification', id },
  dueAt: 0,
  firedAt: 0,
  missed: false,
  snoozedUntil: null,
});

describe('desktop notifications plan', () => {
  it('shows up to three reminders one by one, and more as one summary', () => {
    expect(planNotifications([item(1, 'A'), item(2, 'B')], null)).toEqual([
      { title: 'A', body: 'body 1', target: { kind: 'certification', id: 1 } },
      { title: 'B', body: 'body 2', target: { kind: 'certification', id: 2 } },
    ]);
    const many = planNotifications([1, 2, 3, 4, 5].map((i) => item(i, `R${i}`)), null);
    expect(many).toEqual([{ title: '5 reminders', body: 'R1\nR2\nR3\nand 2 more in your inbox', target: null }]);
  });

  it('turns what came due while closed into one notification', () => {
    const startup = { count: 2, text: '', items: [item(1, 'CSPO renewal due in 30 days'), item(2, 'PMP: credits behind pace')] };
    expect(planNotifications([], startup)).toEqual([
      { title: '2 reminders came due while Cadence was closed', body: 'CSPO renewal due in 30 days\nPMP: credits behind pace', target: null },
    ]);
  });

  it('re-arms at most an hour ahead', () => {
    expect(nextCheckDelay(null, 0)).toBe(HOUR_MS);
    expect(nextCheckDelay(40 * 24 * HOUR_MS, 0)).toBe(HOUR_MS);
    expect(nextCheckDelay(90_000, 0)).toBe(90_000);
    expect(nextCheckDelay(-5_000, 0)).toBe(1000);
  });
});

describe('start at login on Linux (XDG autostart)', () => {
  it('honours XDG_CONFIG_HOME and falls back to ~/.config', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/me')).toBe('/x/cfg/autostart');
    expect(autostartDir({}, '/home/me')).toBe('/home/me/.config/autostart');
  });

  it('quotes Exec arguments as the Desktop Entry spec asks', () => {
    expect(quoteExecArg('/opt/Cadence/cadence')).toBe('/opt/Cadence/cadence');
    expect(quoteExecArg('/home/me/My Apps/Cadence.AppImage')).toBe('"/home/me/My Apps/Cadence.AppImage"');
    expect(quoteExecArg('/a/100%/b')).toBe('/a/100%%/b');
    expect(quoteExecArg('/a b/$x')).toBe('"/a b/\\\\$x"');
  });

  it('starts the AppImage, the installed binary, or Electron with the app folder, hidden', () => {
    expect(launchCommand({ appImage: '/a/C.AppImage', execPath: '/tmp/.mount/cadence', isPackaged: true, appPath: '' })).toEqual(['/a/C.AppImage', '--hidden']);
    expect(launchCommand({ execPath: '/opt/Cadence/cadence', isPackaged: true, appPath: '' })).toEqual(['/opt/Cadence/cadence', '--hidden']);
    expect(launchCommand({ execPath: '/n/electron', isPackaged: false, appPath: '/src/cadence' })).toEqual(['/n/electron', '/src/cadence', '--hidden']);
  });

  it('writes the entry when enabled, leaves it alone when unchanged, and removes it when disabled', () => {
    const dir = path.join(tempDir(), 'autostart');
    const command = ['/home/me/My Apps/Cadence.AppImage', '--hidden'];
    expect(applyXdgAutostart(true, command, dir).changed).toBe(true);
    const text = fs.readFileSync(path.join(dir, 'cadence.desktop'), 'utf8');
    expect(text).toBe(desktopEntry(command));
    expect(text).toContain('Exec="/home/me/My Apps/Cadence.AppImage" --hidden\n');
    expect(text).toContain('X-GNOME-Autostart-enabled=true');
    expect(applyXdgAutostart(true, command, dir).changed).toBe(false);
    expect(applyXdgAutostart(false, command, dir).changed).toBe(true);
    expect(fs.existsSync(path.join(dir, 'cadence.desktop'))).toBe(false);
    expect(applyXdgAutostart(false, command, dir).changed).toBe(false);
  });
});
