import { Worker } from 'node:worker_threads';
import { sqliteModuleForWorkers } from './sqlite';

// Plain CommonJS run in a worker thread on its own read-only connection, so checking or copying a
// large collection (seconds at 100k cards) never blocks the requests the main thread is answering.
// VACUUM INTO copies one consistent snapshot however much the app writes meanwhile.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding || undefined });
  const result = { ok: true, detail: 'ok' };
  if (workerData.check) {
    const rows = db.pragma('integrity_check').map((r) => r.integrity_check);
    result.ok = rows.length === 1 && rows[0] === 'ok';
    result.detail = rows.slice(0, 5).join('; ');
  }
  if (result.ok && workerData.copyTo) db.prepare('VACUUM INTO ?').run(workerData.copyTo);
  parentPort.postMessage(result);
} catch (err) {
  parentPort.postMessage({ ok: false, detail: String((err && err.message) || err), code: err && err.code });
} finally {
  if (db) db.close();
}
`;

export interface IntegrityResult {
  ok: boolean;
  detail: string;
  /** SQLite's error code when the work could not run (SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_FULL, ...). */
  code?: string;
}

function runWorker(workerData: { file: string; check: boolean; copyTo?: string }): Promise<IntegrityResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...workerData, ...sqliteModuleForWorkers() } });
    worker.once('message', (result: IntegrityResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The background database task stopped unexpectedly (exit ${code}).`));
    });
  });
}

/** Runs PRAGMA integrity_check on `file` in a worker thread. */
export function checkIntegrityInBackground(file: string): Promise<IntegrityResult> {
  return runWorker({ file, check: true });
}

/** Checks `file` and, only when it is healthy, writes a compact copy of it to `copyTo`, in a worker thread. */
export function checkAndCopyInBackground(file: string, copyTo: string, check = true): Promise<IntegrityResult> {
  return runWorker({ file, check, copyTo });
}
