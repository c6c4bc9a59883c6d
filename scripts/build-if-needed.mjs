import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SOURCES = ['electron', 'shared', 'renderer', 'assets', 'tests/bench'];
const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/node/web.mjs'];

/** The newest modification time of a file, or of anything inside a folder (0 when missing). */
export function newest(p) {
  if (!fs.existsSync(p)) return 0;
  if (!fs.statSync(p).isDirectory()) return fs.statSync(p).mtimeMs;
  let latest = 0;
  for (const entry of fs.readdirSync(p)) latest = Math.max(latest, newest(path.join(p, entry)));
  return latest;
}

/** True when any output is missing or older than the newest of the sources. */
export function isStale(outputs, sources) {
  const oldestOutput = Math.min(...outputs.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)));
  return oldestOutput === 0 || oldestOutput < Math.max(...sources.map(newest));
}

/** Runs `npm run build` unless every output exists and is newer than every source. */
export function ensureBuilt() {
  if (!isStale(OUTPUTS, SOURCES)) return;
  console.log('Building Cadence...');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
