import { Worker } from 'node:worker_threads';
import { sqliteModuleForWorkers } from './sqlite';

// Plain CommonJS run in a worker thread: its own read-only connection, so checking a large
// collection (seconds at 100k cards) never blocks the requests the main thread is answering.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding || undefined });
  const rows = db.pragma('integrity_check').map((r) => r.integrity_check);
  parentPort.postMessage({ ok: rows.length === 1 && rows[0] === 'ok', detail: rows.slice(0, 5).join('; ') });
} catch (err) {
  parentPort.postMessage({ ok: false, detail: String(err && err.message || err), code: err && err.code });
} finally {
  if (db) db.close();
}
`;

export interface IntegrityResult {
  ok: boolean;
  detail: string;
  /** SQLite's error code when the check could not even run (SQLITE_CORRUPT, SQLITE_NOTADB, ...). */
  code?: string;
}

/** Runs PRAGMA integrity_check on `file` in a worker thread. */
export function checkIntegrityInBackground(file: string): Promise<IntegrityResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, ...sqliteModuleForWorkers() } });
    worker.once('message', (result: IntegrityResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The integrity check stopped unexpectedly (exit ${code}).`));
    });
  });
}
