// npm run bench [-- --quick] [-- --out FILE]: builds what is missing or older than its sources (the
// renderer for the bundle and browser-mode cases, the Node bundle the benchmark runs from), then runs
// out/node/bench.mjs with the given arguments.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './build-if-needed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status === 0;
}

const env = { ...process.env };

if (isStale(['out/renderer/index.html'], ['renderer', 'shared'])) {
  console.log('Building the renderer (electron-vite build)...');
  if (!run('npx', ['electron-vite', 'build', '--logLevel', 'warn'])) {
    // The store cases can still run; the renderer cases report the failed build instead of old numbers.
    console.error('The renderer build failed; the renderer cases will be skipped.');
    env.CADENCE_BENCH_RENDERER_BUILD_FAILED = '1';
  }
}

const nodeConfig = ['vite.node.config.mts', 'vite.node.config.ts'].find((f) => fs.existsSync(f));
if (!nodeConfig) {
  console.error('vite.node.config.mts is missing: the benchmark is bundled by it.');
  process.exit(1);
}
if (isStale(['out/node/bench.mjs'], ['electron', 'shared', 'tests/bench', nodeConfig])) {
  console.log('Building the benchmark and browser mode (vite build -c ' + nodeConfig + ')...');
  if (!run('npx', ['vite', 'build', '-c', nodeConfig, '--logLevel', 'warn'])) process.exit(1);
}

const result = spawnSync(process.execPath, ['out/node/bench.mjs', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
