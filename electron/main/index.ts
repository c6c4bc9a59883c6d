// The Electron shell: lifecycle, single-instance lock, the window. Everything the app knows lives in
// electron/core; this file only wires it to Electron.
import path from 'node:path';
import { app, BrowserWindow, dialog, safeStorage } from 'electron';
import { startCore, type Core } from '../core/app';
import { consoleLogger } from '../core/context';
import { useSqliteBinding } from '../core/db/sqlite';
import { AppError } from '../../shared/errors';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { registerIpc, sendEvent } from './ipc';
import { applySessionSecurity, createMainWindow } from './window';
import { setupReminders } from './notify';
import { setupTray } from './tray';
import { applyAutostart, openedAtLogin } from './autostart';
import { makeSettingsStore } from '../core/settings';

let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;

registerAppScheme();
app.setAppUserModelId('app.cadence.desktop');

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow(path.join(__dirname, '../preload/index.cjs'), false);
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

async function start(): Promise<void> {
  // Run from a checkout, Electron loads its own build of the SQLite module (see scripts/start.mjs).
  useSqliteBinding(process.env.CADENCE_SQLITE_BINDING || undefined);
  const dataDir = process.env.CADENCE_DATA_DIR || app.getPath('userData');
  try {
    core = await startCore({
      dataDir,
      assetsDir: path.join(app.getAppPath(), 'assets'),
      appVersion: app.getVersion(),
      mode: 'desktop',
      log: consoleLogger,
      // The sync password is sealed by the system keychain where there is one (see core/sync/credentials.ts).
      ...(safeStorage.isEncryptionAvailable()
        ? { secrets: { seal: (plain: string) => safeStorage.encryptString(plain), open: (sealed: Buffer) => safeStorage.decryptString(sealed) } }
        : {}),
      emit: (name, payload) => sendEvent(BrowserWindow.getAllWindows().map((w) => w.webContents), name, payload),
    });
  } catch (err) {
    const message = err instanceof AppError ? err.message : `Cadence could not open its data in ${dataDir}: ${String(err)}`;
    dialog.showErrorBox('Cadence could not start', message);
    app.exit(1);
    return;
  }
  applySessionSecurity();
  handleAppProtocol(core, path.join(__dirname, '../renderer'));
  registerIpc(core);
  // Started at login: stay in the tray, unless there is no tray to come back from.
  const startHidden = openedAtLogin() && makeSettingsStore(core.ctx.db).get().keepRunningInTray;
  mainWindow = createMainWindow(path.join(__dirname, '../preload/index.cjs'), startHidden);
  setupTray(core, { showWindow });
  setupReminders(core, { showWindow });
  applyAutostart(core);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => core?.close());
  void app.whenReady().then(start);
}
