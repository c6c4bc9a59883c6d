// The tray icon, and "keep running in the tray when the window closes" (settings.keepRunningInTray):
// reminders can only fire while Cadence runs, so closing the window hides it instead of quitting.
import fs from 'node:fs';
import { app, BrowserWindow, Menu, Tray, nativeImage, type NativeImage } from 'electron';
import type { Core } from '../core/app';
import { liveSettings } from '../core/settings';
import { changedTopic } from './notify';

export interface TrayOptions {
  showWindow: () => void;
  /** A PNG for the icon; without one a plain round icon is drawn. */
  iconPath?: string;
}

/** A 32x32 filled circle (BGRA), so the tray works before any icon file ships. */
function drawnIcon(): NativeImage {
  const size = 32;
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - centre, y - centre);
      const alpha = Math.max(0, Math.min(1, 14.5 - d));
      const ring = d > 7 && d < 10.5;
      const i = (y * size + x) * 4;
      pixels[i] = ring ? 255 : 224; // blue
      pixels[i + 1] = ring ? 255 : 108; // green
      pixels[i + 2] = ring ? 255 : 79; // red
      pixels[i + 3] = Math.round(alpha * 255);
    }
  }
  return nativeImage.createFromBitmap(pixels, { width: size, height: size });
}

function icon(iconPath?: string): NativeImage {
  if (iconPath && fs.existsSync(iconPath)) {
    const image = nativeImage.createFromPath(iconPath);
    if (!image.isEmpty()) return image.resize({ width: 32, height: 32 });
  }
  return drawnIcon();
}

export function setupTray(core: Core, options: TrayOptions): { dispose(): void } {
  const settings = liveSettings(core);
  let tray: Tray | null = null;
  let quitting = false;

  const quit = () => {
    quitting = true;
    app.quit();
  };

  function sync(): void {
    const wanted = settings.get().keepRunningInTray;
    if (wanted && !tray) {
      tray = new Tray(icon(options.iconPath));
      tray.setToolTip('Cadence');
      tray.setContextMenu(
        Menu.buildFromTemplate([
          { label: 'Open Cadence', click: () => options.showWindow() },
          { type: 'separator' },
          { label: 'Quit Cadence', click: quit },
        ]),
      );
      tray.on('click', () => options.showWindow());
    } else if (!wanted && tray) {
      tray.destroy();
      tray = null;
    }
  }

  const guard = (win: BrowserWindow) =>
    win.on('close', (event) => {
      if (quitting || !tray || !settings.get().keepRunningInTray) return;
      event.preventDefault();
      win.hide();
    });
  const onBeforeQuit = () => {
    quitting = true;
  };
  const onWindow = (_event: Electron.Event, win: BrowserWindow) => guard(win);

  app.on('before-quit', onBeforeQuit);
  app.on('browser-window-created', onWindow);
  for (const win of BrowserWindow.getAllWindows()) guard(win);
  const stopListening = core.onEvent((name, payload) => {
    if (changedTopic(name, payload, 'settings')) sync();
  });
  sync();

  return {
    dispose() {
      stopListening();
      app.off('before-quit', onBeforeQuit);
      app.off('browser-window-created', onWindow);
      tray?.destroy();
      tray = null;
    },
  };
}
