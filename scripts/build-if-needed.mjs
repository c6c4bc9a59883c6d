import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SOURCES = ['electron', 'shared', 'renderer', 'assets', 'tests/bench'];
const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/node/web.mjs'];

function newest(dir) {
  let latest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return latest;
}

/** Runs `npm run build` unless every output exists and is newer than every source. */
export function ensureBuilt() {
  const built = OUTPUTS.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0));
  const oldestOutput = Math.min(...built);
  const newestSource = Math.max(...SOURCES.map(newest));
  if (oldestOutput > 0 && oldestOutput >= newestSource) return;
  console.log('Building Cadence...');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
