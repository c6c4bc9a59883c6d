// One writer per data folder. Two copies of Cadence on one collection (two browser-mode servers, or the
// desktop app and browser mode) would interleave answers, undo each other's work and fight over the
// write lock, so the second one is refused with a sentence naming the first.
//
// The lock is SQLite's own file lock, held for the life of the process by an exclusive transaction on
// a small file beside the collection. The operating system drops it when the process ends however it
// ends (a crash, kill -9, a power cut), so a lock left by a crash is never in the way: the next start
// takes it at once. A JSON file beside it says who holds it, for the refusal's sentence; finding that
// file when taking the lock means the last run did not close cleanly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'date-fns';
import { AppError } from '../../../shared/errors';
import type { Db } from '../context';
import { openSqlite } from './sqlite';

export interface LockOwner {
  pid: number;
  mode: 'desktop' | 'browser';
  appVersion: string;
  startedAt: number;
  /** Browser mode's address (without its token), once the server listens. */
  address?: string;
}

export interface FolderLock {
  /** True when the previous holder ended without closing (a crash or a kill): worth a quick check. */
  previousRunEndedUncleanly: boolean;
  /** Adds to what the refusal of a second copy will say (browser mode's address). */
  describe(extra: Partial<LockOwner>): void;
  release(): void;
}

export const LOCK_FILE = 'cadence.lock';
export const OWNER_FILE = 'cadence.lock.json';

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && (owner.mode === 'desktop' || owner.mode === 'browser') ? (owner as LockOwner) : null;
  } catch {
    return null;
  }
}

/** "the desktop app (process 4242, started 4 December, 14:02)" */
export function describeOwner(owner: LockOwner | null): string {
  if (!owner) return 'another copy of Cadence';
  const what = owner.mode === 'desktop' ? 'the Cadence desktop app' : `Cadence in browser mode${owner.address ? ` at ${owner.address}` : ''}`;
  const started = Number.isFinite(owner.startedAt) ? `, started ${format(owner.startedAt, 'd MMMM, HH:mm')}` : '';
  return `${what} (process ${owner.pid}${started})`;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/** Takes the data folder for this process, or throws a sentence naming the copy that holds it. */
export function lockDataFolder(dataDir: string, owner: LockOwner): FolderLock {
  const lockFile = path.join(dataDir, LOCK_FILE);
  const ownerFile = path.join(dataDir, OWNER_FILE);
  let db: Db | undefined;
  try {
    db = openSqlite(lockFile, { timeout: 0 });
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db?.close();
    if (isBusy(err)) {
      throw new AppError(
        'conflict',
        `This data folder (${dataDir}) is already in use by ${describeOwner(readOwner(ownerFile))}. ` +
          'Switch to that copy, or close it before starting another; two copies on one collection would undo each other’s work.',
      );
    }
    throw err;
  }
  const held = db;
  const previousRunEndedUncleanly = fs.existsSync(ownerFile);
  let current: LockOwner = { ...owner };
  const write = () => {
    try {
      fs.writeFileSync(ownerFile, `${JSON.stringify({ ...current, host: os.hostname() })}\n`);
    } catch {
      // Only the sentence for a second copy needs it; the lock itself is held either way.
    }
  };
  write();
  return {
    previousRunEndedUncleanly,
    describe(extra) {
      current = { ...current, ...extra };
      write();
    },
    release() {
      if (!held.open) return;
      fs.rmSync(ownerFile, { force: true });
      try {
        held.exec('ROLLBACK');
      } finally {
        held.close();
      }
    },
  };
}
