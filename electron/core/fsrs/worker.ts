// Runs an FSRS task (tasks.ts) in a worker thread, so reading a million reviews and fitting parameters
// (tens of seconds) never holds up study on the main thread.
//
// How the worker gets its code: like db/integrity.ts, the worker is plain CommonJS evaluated from a
// string, which works the same in the three builds (the Electron main bundle, the browser-mode bundle
// and vitest) without a separate worker file for each bundler to find. The tasks and the pure functions
// they use are written as self-contained TypeScript functions (typed and unit-tested like any other) and
// their compiled source is placed into that string; everything else they need comes through `deps`.
// Native modules (better-sqlite3, the optimiser binding) are required inside the worker by the paths
// resolved here, the same way integrity.ts loads SQLite.
//
// Cancelling terminates the worker. The optimiser's own progress callback is therefore never registered
// (see tasks.ts): napi-rs aborts the process if a worker holding one is terminated.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { FsrsPhase } from '../../../shared/contract/fsrs';
import { AppError } from '../../../shared/errors';
import { sqliteModuleForWorkers } from '../db/sqlite';
import { evaluateFit } from './evaluate';
import { MemoryModel, simulateStudy } from './simulate';
import { buildTrainingSet, cardHistory } from './trainingSet';
import { measureTask, memoryTask, optimiseTask, readRevlog, simulateTask } from './tasks';

const TASKS = { optimise: optimiseTask, measure: measureTask, simulate: simulateTask, memory: memoryTask };
export type TaskName = keyof typeof TASKS;
type TaskInput<T extends TaskName> = Parameters<(typeof TASKS)[T]>[0];
type TaskOutput<T extends TaskName> = Awaited<ReturnType<(typeof TASKS)[T]>>;

/** Only fitting needs the optimiser's native module (measuring is evaluate.ts). */
const NEEDS_BINDING: ReadonlySet<TaskName> = new Set(['optimise']);

let source: string | undefined;
function workerSource(): string {
  // `__name` is the helper esbuild adds to keep function names; defined in case a build added it.
  source ??= `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const __name = (f) => f;
const Database = require(workerData.sqlite);
const deps = {
  openDb: () => new Database(workerData.dbFile, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding || undefined }),
  binding: workerData.binding ? require(workerData.binding) : null,
  // Only the memory replay needs ts-fsrs: loaded when first used.
  get tsfsrs() { return require(workerData.tsfsrs); },
  cardHistory: (${cardHistory.toString()}),
  buildTrainingSet: (${buildTrainingSet.toString()}),
  simulateStudy: (${simulateStudy.toString()}),
  MemoryModel: (${MemoryModel.toString()}),
  evaluateFit: (${evaluateFit.toString()}),
  readRevlog: (${readRevlog.toString()}),
  progress: (phase, done, total) => parentPort.postMessage({ type: 'progress', phase, done, total }),
};
const tasks = { ${Object.entries(TASKS)
    .map(([name, fn]) => `${name}: (${fn.toString()})`)
    .join(',\n  ')} };
Promise.resolve()
  .then(() => tasks[workerData.task](workerData.input, deps))
  .then(
    (value) => parentPort.postMessage({ type: 'result', value }),
    (err) => parentPort.postMessage({ type: 'error', message: String((err && err.message) || err), code: err && err.code }),
  );
`;
  return source;
}

const resolve = createRequire(import.meta.url).resolve;

let bindingProblem: string | null | undefined;
let newerBuild = false;
/**
 * Null when the optimiser's native module can be loaded on this computer; otherwise why not, in words.
 * Where it is not (see below), the optimiser is unavailable and the rest of Cadence is unaffected.
 */
export function optimiserUnavailable(): string | null {
  if (bindingProblem === undefined) {
    try {
      // Native builds exist for macOS, Windows and Linux (x64 and arm64); only computeParameters is used
      // (measuring is Cadence's own, evaluate.ts), which every build has.
      const binding = createRequire(import.meta.url)('@open-spaced-repetition/binding') as typeof import('@open-spaced-repetition/binding');
      if (typeof binding.computeParameters !== 'function') throw new Error('incomplete native build');
      // The newer build (Linux x64, package.json "overrides") also has evaluate(); only its speed matters here.
      newerBuild = typeof (binding.FSRSBinding.prototype as { evaluate?: unknown }).evaluate === 'function';
      bindingProblem = null;
    } catch {
      bindingProblem = `The FSRS optimiser is not available for this computer (${process.platform}, ${process.arch}), so Cadence keeps scheduling with FSRS's default parameters.`;
    }
  }
  return bindingProblem;
}

/**
 * Fitting time per training item on the 2-core machine the bench runs on, for the progress bar's estimate:
 * the 0.1.2 build every platform has is about five times slower than the newer Linux x64 build.
 */
export function fittingMicrosPerItem(): number {
  optimiserUnavailable();
  return newerBuild ? 25 : 125;
}

export interface RunningTask<T> {
  result: Promise<T>;
  /** Stops the worker; `result` then rejects with 'cancelled'. */
  cancel(): void;
}

/** Starts `task` in a new worker on its own read-only connection to `dbFile`. */
export function runTask<T extends TaskName>(
  task: T,
  dbFile: string,
  input: TaskInput<T>,
  onProgress: (phase: FsrsPhase, done: number, total: number) => void,
): RunningTask<TaskOutput<T>> {
  if (NEEDS_BINDING.has(task)) {
    const problem = optimiserUnavailable();
    if (problem) throw new AppError('unsupported', problem);
  }
  const { module: sqlite, nativeBinding } = sqliteModuleForWorkers();
  const worker = new Worker(workerSource(), {
    eval: true,
    workerData: {
      task,
      input,
      dbFile,
      sqlite,
      nativeBinding,
      binding: NEEDS_BINDING.has(task) ? resolve('@open-spaced-repetition/binding') : null,
      tsfsrs: resolve('ts-fsrs'),
    },
  });
  let cancelled = false;
  const result = new Promise<TaskOutput<T>>((done, fail) => {
    worker.on('message', (m: { type: string; phase: FsrsPhase; done: number; total: number; value: TaskOutput<T>; message: string; code?: string }) => {
      if (m.type === 'progress') onProgress(m.phase, m.done, m.total);
      // A result that arrives after Cancel was pressed is dropped: the person was told nothing would change.
      else if (m.type === 'result' && !cancelled) done(m.value);
      // A SQLite or file-system code travels with the error so faults.ts can name it.
      else if (m.type === 'error') fail(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}));
      if (m.type !== 'progress') void worker.terminate();
    });
    worker.once('error', fail);
    worker.once('exit', (code) => {
      if (cancelled) fail(new AppError('cancelled', 'Cancelled. Nothing was changed.'));
      else fail(new Error(`The FSRS background task stopped unexpectedly (exit ${code}).`));
    });
  });
  return {
    result,
    cancel() {
      cancelled = true;
      void worker.terminate();
    },
  };
}

/** Several tasks as one: resolves with all their results, and cancelling stops them all. */
export function together<T>(tasks: RunningTask<T>[]): RunningTask<T[]> {
  const result = Promise.all(tasks.map((t) => t.result));
  // One failing stops the others (their work is of no use alone).
  result.catch(() => tasks.forEach((t) => t.cancel()));
  return { result, cancel: () => tasks.forEach((t) => t.cancel()) };
}
