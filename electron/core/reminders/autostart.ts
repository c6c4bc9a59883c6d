// Start at login on Linux: an XDG autostart entry (~/.config/autostart/cadence.desktop). macOS and
// Windows use Electron's login items instead (electron/main/autostart.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const AUTOSTART_FILE_NAME = 'cadence.desktop';
/** Passed at login so Cadence starts in the tray without opening its window. */
export const HIDDEN_FLAG = '--hidden';

export function autostartDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(config, 'autostart');
}

/**
 * Quotes one Exec argument as the Desktop Entry spec asks: % doubled; an argument with reserved characters
 * in double quotes with ", `, $ and \ backslash-escaped; then every backslash doubled, because the file's
 * string escapes are undone before the Exec quoting is read.
 */
export function quoteExecArg(arg: string): string {
  const percent = arg.replace(/%/g, '%%');
  if (!/[\s"'\\><~|&;$*?#()`]/.test(percent)) return percent;
  return `"${percent.replace(/(["`$\\])/g, '\\$1')}"`.replace(/\\/g, '\\\\');
}

export function desktopEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Cadence',
    'Comment=Study companion: flashcards, certification renewals, curriculum',
    `Exec=${command.map(quoteExecArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * The command that starts this copy of Cadence hidden: the AppImage when run from one (its mount path
 * changes every run), the installed binary, or Electron plus the app folder in development.
 */
export function launchCommand(opts: { appImage?: string; execPath: string; isPackaged: boolean; appPath: string }): string[] {
  if (opts.appImage) return [opts.appImage, HIDDEN_FLAG];
  if (opts.isPackaged) return [opts.execPath, HIDDEN_FLAG];
  return [opts.execPath, opts.appPath, HIDDEN_FLAG];
}

/** Writes or removes the autostart entry; idempotent, so it can run on every start and setting change. */
export function applyXdgAutostart(enabled: boolean, command: string[], dir = autostartDir()): { file: string; changed: boolean } {
  const file = path.join(dir, AUTOSTART_FILE_NAME);
  if (!enabled) {
    if (!fs.existsSync(file)) return { file, changed: false };
    fs.rmSync(file, { force: true });
    return { file, changed: true };
  }
  const content = desktopEntry(command);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return { file, changed: false };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, content);
  return { file, changed: true };
}
