// `npm run bench [-- --quick] [-- --out FILE] [-- --only study,search] [-- --keep]`: generates (or takes
// from the cache) a heavy user's collection, runs every case against it beside its floor, prints a
// table and writes the JSON results. Bundled by Vite (vite.node.config.mts) to out/node/bench.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCore } from '../../electron/core/app';
import { silentLogger } from '../../electron/core/context';
import { FULL_SPEC, QUICK_SPEC, ensureCollection } from './generate';
import { CallError, makeBench, type Case } from './harness';
import { commitId, failed, machine, printTable, skipped, writeJson, type BenchResult } from './report';
import { openCase } from './cases/open';
import { decksCase } from './cases/decks';
import { searchCase } from './cases/search';
import { statsCase, todayCase } from './cases/stats';
import { studyCase } from './cases/study';
import { memoryCase, memoryChild } from './cases/memory';
import { rendererCase } from './cases/renderer';
import { importApkgCase, importCsvCase } from './cases/imports';
import { uploadCase, uploadChild, walCase } from './cases/faults';
import { fsrsCase } from './cases/fsrs';
import { examsCase } from './cases/exams';
import { syncCase } from './cases/sync';

// Built to out/node/bench.mjs: the repo root is two levels up.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const assetsDir = path.join(root, 'assets');

// Read-only cases first, then the ones that write, imports (the heaviest) last.
const CASES: Case[] = [openCase, decksCase, searchCase, statsCase, todayCase, studyCase, examsCase, memoryCase, uploadCase, walCase, rendererCase, fsrsCase, syncCase, importCsvCase, importApkgCase];

function usage(): never {
  console.error(
    'Usage: npm run bench [-- --quick] [-- --out FILE] [-- --only CASES] [-- --keep]\n' +
      `  --quick   10k cards and 50k reviews instead of 100k and 1M (a smoke run)\n` +
      `  --out     where to write the JSON results (default bench-results.json)\n` +
      `  --only    comma-separated cases or result names: ${CASES.map((c) => c.name).join(', ')}\n` +
      `  --keep    keep the scratch copies of the collection (their folder is printed)`,
  );
  process.exit(2);
}

async function runChild(kind: string, dataDir: string | undefined, deck: string | undefined): Promise<void> {
  if (!dataDir) usage();
  const open = (dir: string, clock: { now(): number }) =>
    startCore({ dataDir: dir, assetsDir, appVersion: 'bench', mode: 'browser', clock, log: silentLogger, dailyMaintenance: false });
  if (kind === 'memory') console.log(JSON.stringify(await memoryChild(open, dataDir, Number(deck), 1000)));
  else if (kind === 'upload') console.log(JSON.stringify(await uploadChild(await open(dataDir, { now: () => Date.now() }), path.join(root, 'out', 'renderer'))));
  else usage();
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        out: { type: 'string', default: 'bench-results.json' },
        only: { type: 'string' },
        keep: { type: 'boolean', default: false },
        child: { type: 'string' },
        'data-dir': { type: 'string' },
        deck: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    console.error((err as Error).message);
    usage();
  }
  if (values.help) usage();
  if (values.child) {
    await runChild(values.child, values['data-dir'], values.deck);
    return 0;
  }

  const started = performance.now();
  const say = (m: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${m}`);
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const selected = only ? CASES.filter((c) => only.some((o) => o === c.name || c.produces.some((p) => p.name === o))) : CASES;
  if (only && !selected.length) usage();

  const spec = values.quick ? QUICK_SPEC : FULL_SPEC;
  const collection = await ensureCollection(spec, assetsDir, say);
  const { info } = collection;
  say(
    `Collection: ${info.cards.toLocaleString('en')} cards, ${info.notes.toLocaleString('en')} notes, ${info.reviews.toLocaleString('en')} reviews, ` +
      `${info.decks} decks, ${info.media.length} media, ${(info.fileBytes / 1e6).toFixed(0)} MB, ${info.dueNow} due` +
      (collection.cached ? ` (cached: ${collection.dir})` : ''),
  );
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-bench-run-'));
  const bench = makeBench({ root, assetsDir, quick: values.quick, collection, workDir, say });

  const results: BenchResult[] = [];
  try {
    for (const c of selected) {
      say(`${c.name}...`);
      try {
        const rs = await c.run(bench);
        for (const r of rs) {
          say(`  ${r.name}: ${r.skipped ? `skipped (${r.skipped})` : `${r.value} ${r.unit}${r.floor !== null ? ` (floor ${r.floor})` : ''}`}`);
        }
        results.push(...rs);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof CallError && err.code === 'unsupported') {
          // The channel exists but its handler says the feature is not there yet.
          say(`  skipped: ${message}`);
          results.push(...c.produces.map((p) => skipped(p.name, p.unit, p.budget, `the feature has not landed (${message})`)));
        } else {
          console.error(err);
          results.push(...c.produces.map((p) => failed(p.name, p.unit, p.budget, message)));
        }
      } finally {
        // Each case leaves its copies behind; free the disk for the next one.
        if (!values.keep) for (const e of fs.readdirSync(workDir)) fs.rmSync(path.join(workDir, e), { recursive: true, force: true });
      }
    }
  } finally {
    if (values.keep) say(`Scratch copies kept in ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }

  const { cpu, node, cores, memoryGb, platform } = machine();
  const out = path.resolve(values.out);
  writeJson(out, {
    commit: commitId(root),
    node,
    cpu,
    cores,
    memoryGb,
    platform,
    mode: values.quick ? 'quick' : 'full',
    collection: { ...info, media: info.media.length },
    durationS: Math.round((performance.now() - started) / 100) / 10,
    results,
  });
  console.log('');
  printTable(results);
  console.log(`\n${cpu}, ${cores} cores, Node ${node}. Results written to ${out} in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  return results.some((r) => r.error) ? 1 : 0;
}

// Cadence's own background timers do not hold a process open (the app must be able to quit), so a case
// awaiting background work (the daily check waits for a quiet moment) would see the process end under
// it. The run holds the process open itself and exits when every case is done.
const alive = setInterval(() => {}, 60_000);
main().then(
  (code) => {
    clearInterval(alive);
    process.exit(code);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
