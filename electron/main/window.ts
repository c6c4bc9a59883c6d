import fs from 'node:fs';
import path from 'node:path';
import { BrowserWindow, screen, session, shell, app } from 'electron';
import { APP_ENTRY, isAppUrl, isSafeExternalUrl } from '../core/urls';

interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false };

function stateFile(): string {
  return path.join(app.getPath('userData'), 'window-state.json');
}

function loadState(): WindowState {
  try {
    const saved = { ...DEFAULT_STATE, ...(JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as Partial<WindowState>) };
    // A window remembered on a monitor that is gone would open off-screen: keep the size, drop the place.
    const visible = screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      return saved.x !== undefined && saved.y !== undefined && saved.x >= a.x - 50 && saved.y >= a.y - 50 && saved.x < a.x + a.width && saved.y < a.y + a.height;
    });
    return visible ? saved : { ...saved, x: undefined, y: undefined };
  } catch {
    return DEFAULT_STATE;
  }
}

function saveState(win: BrowserWindow): void {
  const bounds = win.getNormalBounds();
  const state: WindowState = { ...bounds, maximized: win.isMaximized() };
  try {
    fs.writeFileSync(stateFile(), JSON.stringify(state));
  } catch {
    // Losing the window position is harmless.
  }
}

function openExternal(url: string): void {
  if (isSafeExternalUrl(url)) void shell.openExternal(url);
}

/** Session-wide rules: deny every permission request but notifications; no webviews. */
export function applySessionSecurity(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'notifications'));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permission === 'notifications');
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternal(url);
      return { action: 'deny' };
    });
    const block = (event: Electron.Event, url: string) => {
      if (url === contents.getURL()) return;
      event.preventDefault();
      if (!isAppUrl(url)) openExternal(url);
    };
    contents.on('will-navigate', block);
    contents.on('will-redirect', block);
  });
}

export function createMainWindow(preloadFile: string, startHidden: boolean): BrowserWindow {
  const state = loadState();
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Cadence',
    backgroundColor: '#111318',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadFile,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => {
    if (!startHidden) win.show();
  });
  // Remember the window once the user has finished moving or resizing it, and when it closes.
  let pending: NodeJS.Timeout | undefined;
  const saveSoon = () => {
    clearTimeout(pending);
    pending = setTimeout(() => !win.isDestroyed() && saveState(win), 500);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('close', () => {
    clearTimeout(pending);
    saveState(win);
  });
  void win.loadURL(APP_ENTRY);
  return win;
}
