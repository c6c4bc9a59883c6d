// Two figures that bound what heavy use costs in memory and disk:
// - memory.upload_400mb_peak_mb: a 400 MB file uploaded in browser mode, in a child process of its own:
//   the peak resident memory above the same process's baseline while it arrives. Floor: the same bytes
//   piped by that process straight into a file (what any streaming costs).
// - wal.max_mb_sustained: the largest the write-ahead log's file gets while a learner answers as fast
//   as the app allows for a long session on the big collection, opened as the app opens (the real
//   2-second housekeeping, and the daily integrity check and backup due: long reads that would hold the
//   log open, so they wait for a pause).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { Rating, type Grade } from 'ts-fsrs';
import { startWebServer } from '../../../electron/web/server';
import type { Core } from '../../../electron/core/app';
import { NOW } from '../generate';
import { DAY_MS } from '../history';
import { benchClock, call, missing, type Case } from '../harness';
import { makeRng } from '../rng';
import { measured, skipped } from '../report';

const UPLOAD = 'memory.upload_400mb_peak_mb';
const WAL = 'wal.max_mb_sustained';
const UPLOAD_BYTES = 400 * 1024 * 1024;
const run = promisify(execFile);
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export interface UploadReport {
  peakOverBaselineMb: number;
  floorOverBaselineMb: number;
  baselineMb: number;
  stagedBytes: number;
}

/** Samples RSS every 20 ms while `work` runs; returns the peak above what it was before. */
async function peakAbove<T>(work: () => Promise<T>): Promise<{ peak: number; value: T }> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { peak: peak - baseline, value };
  } finally {
    clearInterval(timer);
  }
}

/** Streams `total` bytes from one reused 64 KB chunk into `target`, honouring back-pressure. */
function pump(target: NodeJS.WritableStream, total: number): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 7);
  let sent = 0;
  return new Promise((resolve, reject) => {
    target.on('error', reject);
    const write = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!target.write(chunk)) return void target.once('drain', write);
      }
      target.end();
      resolve();
    };
    write();
  });
}

/** Runs in the child: browser mode on `dataDir`, one 400 MB upload through HTTP, memory measured. */
export async function uploadChild(core: Core, staticDir: string): Promise<UploadReport> {
  const server = await startWebServer({ core, staticDir });
  try {
    const floorFile = path.join(core.ctx.paths.dataDir, 'floor.bin');
    const floor = await peakAbove(async () => {
      const out = fs.createWriteStream(floorFile);
      const done = new Promise<void>((resolve) => out.on('finish', () => resolve()));
      await pump(out, UPLOAD_BYTES);
      await done;
    });
    fs.rmSync(floorFile);
    const baseline = process.memoryUsage().rss;
    const upload = await peakAbove(
      () =>
        new Promise<{ size: number }>((resolve, reject) => {
          const req = http.request(`${server.origin}/api/files.stage`, {
            method: 'POST',
            headers: { 'content-type': 'application/octet-stream', 'x-cadence-token': server.token, 'x-file-name': 'big.apkg', 'content-length': String(UPLOAD_BYTES) },
          });
          req.on('response', (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => {
              const body = JSON.parse(text) as { ok: boolean; value?: { size: number }; error?: { message: string } };
              if (body.ok) resolve(body.value!);
              else reject(new Error(body.error!.message));
            });
          });
          req.on('error', reject);
          void pump(req, UPLOAD_BYTES);
        }),
    );
    fs.rmSync(core.ctx.paths.stagingDir, { recursive: true, force: true });
    return { peakOverBaselineMb: mb(upload.peak), floorOverBaselineMb: mb(floor.peak), baselineMb: mb(baseline), stagedBytes: upload.value.size };
  } finally {
    await server.close();
    core.close();
  }
}

export const uploadCase: Case = {
  name: 'upload',
  produces: [{ name: UPLOAD, unit: 'MB', budget: 64 }],
  async run(bench) {
    const dataDir = path.join(bench.workDir, 'upload');
    const { stdout } = await run(process.execPath, ['--expose-gc', process.argv[1]!, '--child', 'upload', '--data-dir', dataDir], { maxBuffer: 1 << 20, cwd: bench.root });
    const report = JSON.parse(stdout.trim().split('\n').pop() ?? '') as UploadReport;
    return [
      measured({
        name: UPLOAD,
        unit: 'MB',
        value: report.peakOverBaselineMb,
        floor: report.floorOverBaselineMb,
        budget: 64,
        note: `peak RSS above ${report.baselineMb} MB while ${mb(report.stagedBytes)} MB arrived over HTTP and were staged; floor: the same bytes piped into a file`,
      }),
    ];
  },
};

export const walCase: Case = {
  name: 'wal',
  produces: [{ name: WAL, unit: 'MB', budget: 64 }],
  async run(bench) {
    const clock = benchClock(NOW + 3_600_000);
    const dataDir = bench.copy('wal');
    // Opened as the app opens: the daily integrity check and backup are due and start when they may.
    const core = await bench.open(dataDir, clock, { dailyMaintenance: true });
    const walFile = path.join(dataDir, 'cadence.sqlite-wal');
    let checkedAt: number | null = null;
    void core.maintenance.then(() => (checkedAt = performance.now()));
    try {
      const why = missing(core, ['study.next', 'study.answer']);
      if (why) return [skipped(WAL, 'MB', 64, why)];
      const deckId = bench.collection.info.studyDeckId;
      const answers = bench.quick ? 3000 : 20000;
      const rng = makeRng(23);
      let max = 0;
      let answered = 0;
      let idle = 0;
      const started = performance.now();
      while (answered < answers) {
        // Each request its own task, as IPC and HTTP deliver them, so the 2-second timer gets its turns.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const next = await call(core, 'study.next', { deckId });
        if (!next.card) {
          if (++idle > 200) break;
          clock.set(next.nextLearningDue !== null && next.nextLearningDue - clock.now() < 3_600_000 ? next.nextLearningDue : clock.now() + DAY_MS);
          continue;
        }
        const x = rng.next();
        const rating: Grade = x < 0.1 ? Rating.Again : x < 0.15 ? Rating.Hard : x < 0.92 ? Rating.Good : Rating.Easy;
        await call(core, 'study.answer', { cardId: next.card.id, rating, durationMs: 6000 });
        clock.advance(7500);
        answered++;
        if (answered % 25 === 0) max = Math.max(max, fs.existsSync(walFile) ? fs.statSync(walFile).size : 0);
      }
      const seconds = (performance.now() - started) / 1000;
      const during = checkedAt !== null;
      await core.maintenance;
      return [
        measured({
          name: WAL,
          unit: 'MB',
          value: mb(max),
          budget: 64,
          note: `largest log file while ${answered} answers were given in ${seconds.toFixed(0)} s (${(answered / seconds).toFixed(0)} a second, far faster than a person), opened with the daily integrity check and backup due (${during ? 'they ran during the session' : 'they waited for the pause after it'})`,
        }),
      ];
    } finally {
      core.close();
    }
  },
};
