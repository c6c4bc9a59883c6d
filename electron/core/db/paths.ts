import os from 'node:os';
import path from 'node:path';
import type { Paths } from '../context';

/**
 * The per-platform data directory, the same one Electron's app.getPath('userData') gives for an app
 * named "Cadence", so browser mode and the desktop app share one collection by default.
 */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env = process.env): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Cadence');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Cadence');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Cadence');
}

export function pathsFor(dataDir: string, assetsDir: string): Paths {
  return {
    dataDir,
    dbFile: path.join(dataDir, 'cadence.sqlite'),
    backupsDir: path.join(dataDir, 'backups'),
    mediaDir: path.join(dataDir, 'media'),
    stagingDir: path.join(dataDir, 'staging'),
    exportsDir: path.join(dataDir, 'exports'),
    assetsDir,
  };
}
