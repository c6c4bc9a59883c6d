import { Worker } from 'node:worker_threads';
import { sqliteModuleForWorkers } from './sqlite';

// Plain CommonJS run in a worker thread on its own read-only connection, so checking or copying a
// large collection (seconds at 100k cards) never blocks the requests the main thread is answering.
// VACUUM INTO copies one consistent snapshot however much the app writes meanwhile. The copy is
// counted (notes, cards, reviews) so whoever asked for it can say what it holds.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const open = (file) => new Database(file, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding || undefined });
let db;
try {
  db = open(workerData.file);
  const result = { ok: true, detail: 'ok' };
  if (workerData.check) {
    const rows = db.pragma(workerData.check === 'quick' ? 'quick_check' : 'integrity_check').map((r) => r.quick_check ?? r.integrity_check);
    result.ok = rows.length === 1 && rows[0] === 'ok';
    result.detail = rows.slice(0, 5).join('; ');
  }
  if (result.ok && workerData.copyTo) {
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

function runWorker(workerData: { file: string; check: CheckKind; copyTo?: string }): Promise<IntegrityResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...workerData, ...sqliteModuleForWorkers() } });
    worker.once('message', (result: IntegrityResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The background database task stopped unexpectedly (exit ${code}).`));
    });
  });
}

/** Runs PRAGMA integrity_check (or quick_check) on `file` in a worker thread. */
export function checkIntegrityInBackground(file: string, check: Exclude<CheckKind, null> = 'full'): Promise<IntegrityResult> {
  return runWorker({ file, check });
}

/** Checks `file` and, only when it is healthy, writes a compact copy of it to `copyTo`, in a worker thread. */
export function checkAndCopyInBackground(file: string, copyTo: string, check: CheckKind = 'full'): Promise<IntegrityResult> {
  return runWorker({ file, check, copyTo });
}
