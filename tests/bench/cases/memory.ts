// memory.main_rss_mb: resident memory of a process that holds what Cadence's main process holds (core,
// handlers, the open big collection) after studying 1,000 cards, measured in a child process of its
// own so the generator and the other cases do not count. Floor: a bare Node process that opened the
// same file with better-sqlite3 and read one row. (Electron's own browser process adds to both.)
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Grade } from 'ts-fsrs';
import { NOW } from '../generate';
import { DAY_MS } from '../history';
import { benchClock, call, missing, type Bench, type Case } from '../harness';
import { makeRng } from '../rng';
import { measured, skipped } from '../report';

const NAME = 'memory.main_rss_mb';
const run = promisify(execFile);

export interface MemoryReport {
  rssMb: number;
  heapMb: number;
  studied: number;
  missing: string | null;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** Runs in the child: open, list decks, study `cards` cards, report memory. */
export async function memoryChild(open: Bench['open'], dataDir: string, deckId: number, cards: number): Promise<MemoryReport> {
  const clock = benchClock(NOW + 3_600_000);
  const core = await open(dataDir, clock);
  await call(core, 'decks.list');
  const why = missing(core, ['study.next', 'study.answer']);
  let studied = 0;
  if (!why) {
    const rng = makeRng(5);
    let idle = 0;
    while (studied < cards && idle < 60) {
      const next = await call(core, 'study.next', { deckId });
      if (!next.card) {
        idle++;
        clock.set(next.nextLearningDue !== null && next.nextLearningDue - clock.now() < 3_600_000 ? next.nextLearningDue : clock.now() + DAY_MS);
        continue;
      }
      const x = rng.next();
      const rating = (x < 0.1 ? 1 : x < 0.15 ? 2 : x < 0.92 ? 3 : 4) as Grade;
      await call(core, 'study.answer', { cardId: next.card.id, rating, durationMs: 6000 });
      clock.advance(7500);
      studied++;
    }
  }
  const usage = process.memoryUsage();
  core.close();
  return { rssMb: mb(usage.rss), heapMb: mb(usage.heapUsed), studied, missing: why };
}

/** The floor process: bare Node with better-sqlite3, the file open, one row read; nothing else loaded. */
function floorScript(dbFile: string): string {
  return `const Database = require('better-sqlite3');
const db = new Database(${JSON.stringify(dbFile)});
db.prepare('SELECT * FROM cards LIMIT 1').get();
const u = process.memoryUsage();
console.log(JSON.stringify({ rssMb: Math.round(u.rss / 104857.6) / 10, heapMb: Math.round(u.heapUsed / 104857.6) / 10, studied: 0, missing: null }));`;
}

async function child(args: string[], cwd: string): Promise<MemoryReport> {
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20, cwd });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as MemoryReport;
}

export const memoryCase: Case = {
  name: 'memory',
  produces: [{ name: NAME, unit: 'MB', budget: 200 }],
  async run(bench) {
    const dataDir = bench.copy('memory');
    const deck = String(bench.collection.info.studyDeckId);
    const real = await child([process.argv[1]!, '--child', 'memory', '--data-dir', dataDir, '--deck', deck], bench.root);
    const floor = await child(['-e', floorScript(path.join(dataDir, 'cadence.sqlite'))], bench.root);
    if (real.missing) {
      return [skipped(NAME, 'MB', 200, `${real.missing}, so no cards could be studied (after opening and listing decks: ${real.rssMb} MB RSS)`)];
    }
    return [
      measured({
        name: NAME,
        unit: 'MB',
        value: real.rssMb,
        floor: floor.rssMb,
        budget: 200,
        note: `RSS after opening the big collection, listing decks and studying ${real.studied} cards; JS heap ${real.heapMb} MB`,
      }),
    ];
  },
};
