import { Worker } from 'node:worker_threads';
import { sqliteModuleForWorkers } from './sqlite';
import { READER_STOPPED } from '../faults';

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

/** How to stop each worker reading a collection file now, so a busy learner can make them yield. */
const readers = new Map<string, Set<() => void>>();


function runWorker(workerData: { file: string; check: CheckKind; copyTo?: string }): Promise<IntegrityResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...workerData, ...sqliteModuleForWorkers() } });
    const mine = readers.get(workerData.file) ?? new Set<() => void>();
    readers.set(workerData.file, mine);
    let stopped = false;
    const stop = () => {
      stopped = true;
      void worker.terminate();
    };
    mine.add(stop);
    worker.once('message', (result: IntegrityResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      mine.delete(stop);
      if (stopped) reject(Object.assign(new Error('The background check was stopped to keep the log small; it runs again later.'), { code: READER_STOPPED }));
      else if (code !== 0) reject(new Error(`The background database task stopped unexpectedly (exit ${code}).`));
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
