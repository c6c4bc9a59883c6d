// The one place that turns a failure of SQLite or the file system into something a person can act on:
// a code the program branches on (shared/errors.ts) and a sentence in the user's words. Requests,
// background timers, worker results and jobs all come through here, so the same disk-full reads the
// same wherever it is met.
import fs from 'node:fs';
import { AppError, type ErrorCode } from '../../shared/errors';

/** The faults Cadence knows how to name. */
export type FaultCode = Extract<ErrorCode, 'disk_full' | 'read_only' | 'busy' | 'damaged' | 'io_error'>;

/** Below this much free space an I/O error on write is taken to mean the disk is full. */
const NEARLY_FULL_BYTES = 2 * 1024 * 1024;

const SQLITE_FAULTS: [prefix: string, fault: FaultCode][] = [
  ['SQLITE_FULL', 'disk_full'],
  ['SQLITE_CORRUPT', 'damaged'],
  ['SQLITE_NOTADB', 'damaged'],
  ['SQLITE_READONLY', 'read_only'],
  ['SQLITE_PERM', 'read_only'],
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
  ['SQLITE_IOERR', 'io_error'],
  ['SQLITE_CANTOPEN', 'io_error'],
];

/** The error a background check or copy ends with when it gave way to a busy learner (integrity.ts). */
export const READER_STOPPED = 'CADENCE_READER_STOPPED';

const FS_FAULTS: Record<string, FaultCode> = {
  [READER_STOPPED]: 'busy',
  ENOSPC: 'disk_full',
  EDQUOT: 'disk_full',
  EFBIG: 'disk_full',
  EROFS: 'read_only',
  EACCES: 'read_only',
  EPERM: 'read_only',
  EBUSY: 'busy',
  EIO: 'io_error',
};

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Free bytes on the disk holding `dir`, or null when the system cannot say. */
export function freeBytes(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/**
 * Which fault an error is, or null for anything else (a bug, a refusal of Cadence's own). `dataDir`
 * lets an I/O error on a disk with no room left count as disk full, which is what it is.
 */
/**
 * Damage that SQLite reports without a corruption code: a damaged full-text index fails as a plain
 * error when its tables are first read.
 */
const DAMAGE_WORDS = /database disk image is malformed|malformed database schema|vtable constructor failed/;

export function faultOf(err: unknown, dataDir?: string): FaultCode | null {
  if (err instanceof AppError) return null;
  const code = errorCode(err);
  if (!code) return null;
  if (code.startsWith('SQLITE_') && DAMAGE_WORDS.test(String((err as Error).message))) return 'damaged';
  let fault: FaultCode | null = FS_FAULTS[code] ?? null;
  if (!fault) for (const [prefix, f] of SQLITE_FAULTS) if (code === prefix || code.startsWith(`${prefix}_`)) fault = f;
  if (fault === 'io_error' && dataDir !== undefined) {
    const free = freeBytes(dataDir);
    if (free !== null && free < NEARLY_FULL_BYTES) fault = 'disk_full';
  }
  return fault;
}

/** What a request that met the fault tells the person who made it. */
export const FAULT_MESSAGES: Record<FaultCode, string> = {
  disk_full:
    'Your disk is full, so this change was not saved. Free some space on the disk that holds Cadence’s data, then try again; ' +
    'everything saved before is safe.',
  read_only:
    'Cadence cannot save changes because its data folder or collection file is read-only. Make it writable again, then restart Cadence; ' +
    'nothing saved before was changed.',
  busy: 'Cadence is busy with another task for a moment. Try again in a few seconds.',
  damaged:
    'Cadence found damage in your collection file and has stopped saving changes to it, so nothing more can be lost. ' +
    'Choose “Recover” in the message at the top of the window to restore your newest good backup.',
  io_error:
    'Cadence could not read or write its collection file: the disk reported an error. Check that the disk is connected and healthy, ' +
    'then try again.',
};

/** True when `err` says the file is damaged (not the disk, not a refusal). */
export function isDamage(err: unknown): boolean {
  return faultOf(err) === 'damaged';
}

/**
 * For a worker's report (an error code without the error): true when a check that did not pass
 * failed because of the file itself. A check that ran and listed problems reports no code.
 */
export function isDamageCode(code: string | undefined): boolean {
  return code === undefined || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_');
}

/** True for SQLite's "the database was busy or its snapshot went stale" errors, after which a retry is safe. */
export function isBusy(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
