import { Worker } from 'node:worker_threads';
import { sqliteModuleForWorkers } from './sqlite';
import { READER_STOPPED } from '../faults';

// Plain CommonJS run in a worker thread on its own read-only connection, so checking or copying a
// large collection (seconds at 100k cards) never blocks the requests the main thread is answering.
// The check goes table by table (each table with its indexes, each its own short read), because a
// read holds the write-ahead log open for as long as it lasts; between tables it looks at the stop
// flag (stopReaders). VACUUM INTO copies one consistent snapshot however much the app writes
// meanwhile. A full-text index's own tables (type 'shadow') are checked like any other: damage there
// is damage too. The copy is counted (notes, cards, reviews) so whoever asked for it can say what it holds.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const open = (file) => new Database(file, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding || undefined });
const stop = new Int32Array(workerData.stopFlag);
const stopped = () => Atomics.load(stop, 0) === 1;
let db;
try {
  db = open(workerData.file);
  const result = { ok: true, detail: 'ok' };
  if (workerData.check) {
    const pragma = workerData.check === 'quick' ? 'quick_check' : 'integrity_check';
    const tables = db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'shadow')").pluck().all();
    const problems = [];
    for (const table of tables) {
      if (stopped()) break;
      const rows = db.pragma(pragma + '("' + table.replace(/"/g, '""') + '")').map((r) => r[pragma]);
      if (!(rows.length === 1 && rows[0] === 'ok')) problems.push(...rows);
      if (problems.length >= 5) break;
    }
    result.ok = problems.length === 0;
    result.detail = result.ok ? 'ok' : problems.slice(0, 5).join('; ');
  }
  if (stopped()) result.stopped = true;
  else if (result.ok && workerData.copyTo) {
    db.prepare('VACUUM INTO ?').run(workerData.copyTo);
    const copy = open(workerData.copyTo);
    try {
      const n = (table) => copy.prepare('SELECT count(*) AS n FROM ' + table).get().n;
      result.counts = { notes: n('notes'), cards: n('cards'), reviews: n('revlog') };
    } finally {
      copy.close();
    }
  }
  parentPort.postMessage(result);
} catch (err) {
  parentPort.postMessage({ ok: false, detail: String((err && err.message) || err), code: err && err.code });
} finally {
  if (db) db.close();
}
`;

export interface CollectionCounts {
  notes: number;
  cards: number;
  reviews: number;
}

export interface IntegrityResult {
  ok: boolean;
  detail: string;
  /** SQLite's error code when the work could not run (SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_FULL, ...). */
  code?: string;
  /** What the copy holds, when one was made. */
  counts?: CollectionCounts;
}

/** 'full': PRAGMA integrity_check (every page and index); 'quick': quick_check (pages, not index contents). */
export type CheckKind = 'full' | 'quick' | null;

/** How to stop each worker reading a collection file now, so a busy learner can make them yield. */
const readers = new Map<string, Set<() => void>>();


function runWorker(workerData: { file: string; check: CheckKind; copyTo?: string }): Promise<IntegrityResult> {
  return new Promise((resolve, reject) => {
    const stopFlag = new SharedArrayBuffer(4);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...workerData, stopFlag, ...sqliteModuleForWorkers() } });
    const mine = readers.get(workerData.file) ?? new Set<() => void>();
    readers.set(workerData.file, mine);
    const stop = () => Atomics.store(new Int32Array(stopFlag), 0, 1);
    mine.add(stop);
    const done = () => mine.delete(stop);
    worker.once('message', (result: IntegrityResult & { stopped?: boolean }) => {
      done();
      if (result.stopped) reject(Object.assign(new Error('The background check was stopped to keep the log small; it runs again later.'), { code: READER_STOPPED }));
      else resolve(result);
    });
    worker.once('error', (err) => {
      done();
      reject(err);
    });
    worker.once('exit', (code) => {
      done();
      if (code !== 0) reject(new Error(`The background database task stopped unexpectedly (exit ${code}).`));
    });
  });
}

/**
 * Stops every background check or copy reading `file`. A long read holds the write-ahead log open (it
 * can neither be folded in nor start over), so when a learner writes fast enough to grow the log past
 * its cap, the check gives way and runs again later. Returns how many were stopped.
 */
export function stopReaders(file: string): number {
  const mine = readers.get(file);
  if (!mine?.size) return 0;
  const count = mine.size;
  for (const stop of [...mine]) stop();
  return count;
}

/** Runs PRAGMA integrity_check (or quick_check) on `file` in a worker thread. */
export function checkIntegrityInBackground(file: string, check: Exclude<CheckKind, null> = 'full'): Promise<IntegrityResult> {
  return runWorker({ file, check });
}

/** Checks `file` and, only when it is healthy, writes a compact copy of it to `copyTo`, in a worker thread. */
export function checkAndCopyInBackground(file: string, copyTo: string, check: CheckKind = 'full'): Promise<IntegrityResult> {
  return runWorker({ file, check, copyTo });
}
