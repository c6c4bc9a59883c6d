// npm test: typecheck, unit + integration (vitest), build, e2e in Chromium (browser mode), Electron smoke.
// Runs every stage even after a failure, then prints one line "N passed, N failed" summing all suites.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

function run(title, cmd, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    ok = false;
    console.log(`--- ${title} failed (exit ${result.status ?? result.signal})`);
  }
  return result.status === 0;
}

function countStage(title, passed, failed, skipped = 0) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  console.log(`--- ${title}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

// 1. Typecheck every tsconfig (a stage counts as one check).
for (const config of ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.e2e.json']) {
  const good = run(`typecheck ${config}`, 'npx', ['tsc', '-p', config]);
  countStage(`typecheck ${config}`, good ? 1 : 0, good ? 0 : 1);
}

// 2. Unit and integration tests.
const vitestJson = path.join(tmp, 'vitest.json');
run('unit and integration tests (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (fs.existsSync(vitestJson)) {
  const r = JSON.parse(fs.readFileSync(vitestJson, 'utf8'));
  countStage('vitest', r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0), r.numPendingTests + r.numTodoTests);
} else {
  countStage('vitest', 0, 1);
}

// 3. Build (main, preload, renderer, browser-mode server).
const built = run('build', 'npm', ['run', 'build', '--silent']);
countStage('build', built ? 1 : 0, built ? 0 : 1);

// 4. End-to-end tests in Chromium against browser mode, then 5. the Electron smoke test.
function playwright(title, config) {
  const json = path.join(tmp, `${title}.json`);
  run(title, 'npx', ['playwright', 'test', '-c', config, '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: json });
  if (!fs.existsSync(json)) return countStage(title, 0, 1);
  const stats = JSON.parse(fs.readFileSync(json, 'utf8')).stats ?? {};
  countStage(title, stats.expected ?? 0, (stats.unexpected ?? 0) + (stats.flaky ?? 0), stats.skipped ?? 0);
}
if (built) {
  playwright('e2e', 'playwright.config.ts');
  playwright('electron', 'playwright.electron.config.ts');
} else {
  countStage('e2e (not run: build failed)', 0, 1);
}

fs.rmSync(tmp, { recursive: true, force: true });
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
