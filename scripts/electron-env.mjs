// Finding Electron and its own build of better-sqlite3 without ever triggering a download.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const electronDir = path.resolve('node_modules/electron');

export function electronVersion() {
  return JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
}

/** The Electron executable if it is already on disk, else null (Electron 42+ downloads it lazily). */
export function installedElectron() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return fs.existsSync(p) ? p : null;
  }
  if (!fs.existsSync(pathFile)) return null;
  const exe = path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(exe) ? exe : null;
}

/** Runs the electron package's own installer (what its first launch does). Returns the path or null. */
export function downloadElectron() {
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'] });
  return r.status === 0 ? installedElectron() : null;
}

/**
 * better-sqlite3 built for Electron's ABI, kept apart from node_modules (which holds the Node build
 * the tests use), so `npm start` and `npm test` work in any order on one checkout.
 */
export function electronSqliteBinding() {
  const version = electronVersion();
  const target = path.resolve('.electron-native', `better_sqlite3-electron-${version}.node`);
  if (fs.existsSync(target)) return target;
  const work = path.resolve('.electron-native', 'build');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(path.join(work, 'node_modules'), { recursive: true });
  fs.cpSync(path.resolve('node_modules/better-sqlite3'), path.join(work, 'node_modules/better-sqlite3'), { recursive: true });
  fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'electron-native', version: '1.0.0', dependencies: { 'better-sqlite3': '*' } }));
  const r = spawnSync('npx', ['electron-rebuild', '--version', version, '--module-dir', work, '--only', 'better-sqlite3', '--force'], { stdio: 'inherit' });
  const built = path.join(work, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  if (r.status !== 0 || !fs.existsSync(built)) return null;
  fs.copyFileSync(built, target);
  fs.rmSync(work, { recursive: true, force: true });
  return target;
}
