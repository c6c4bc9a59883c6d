// "Start at login (hidden)" (settings.startAtLogin): Electron login items on macOS and Windows, an XDG
// autostart entry on Linux. Applied at every start and whenever the setting changes; idempotent.
import { app } from 'electron';
import type { Core } from '../core/app';
import { applyXdgAutostart, HIDDEN_FLAG, launchCommand } from '../core/reminders/autostart';
import { liveSettings } from '../core/settings';
import { changedTopic } from './notify';

export function applyAutostart(core: Core): () => void {
  const settings = liveSettings(core);
  const apply = () => {
    const enabled = settings.get().startAtLogin;
    try {
      if (process.platform === 'linux') {
        applyXdgAutostart(
          enabled,
          launchCommand({ appImage: process.env.APPIMAGE, execPath: process.execPath, isPackaged: app.isPackaged, appPath: app.getAppPath() }),
        );
      } else {
        app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
      }
    } catch (err) {
      core.ctx.log.warn('Could not change whether Cadence starts at login', err);
    }
  };
  apply();
  return core.onEvent((name, payload) => {
    if (changedTopic(name, payload, 'settings')) apply();
  });
}

/** macOS passes no arguments to login items: it says whether this launch came from one instead. */
export function openedAtLogin(): boolean {
  return process.argv.includes(HIDDEN_FLAG) || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true);
}
