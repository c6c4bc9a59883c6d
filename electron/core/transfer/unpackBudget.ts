// One allowance of unpacked bytes for everything read out of one imported file. Declared sizes in a
// zip or a Zstandard frame are the file's own claims, and one zip entry can be named many times, so the
// bytes actually produced are what is counted: the collection, the media list and every media file.
import { AppError } from '../../../shared/errors';
import { formatBytes } from './zip';

/** However small the file, this much may be unpacked from it (before the hard cap). */
const FLOOR_BYTES = 2 * 1024 * 1024 * 1024;
/** A file may unpack to this many times its own size when that is more than the floor. */
const RATIO = 50;

export interface UnpackBudget {
  /** Bytes still allowed. */
  remaining(): number;
  /** Counts `n` unpacked bytes; throws once the total passes the allowance. */
  take(n: number): void;
  /** The error for output that would pass the allowance. */
  exceeded(): AppError;
}

/** The allowance for a file of `fileBytes` bytes: max(2 GB, 50 x its size), never more than `cap`. */
export function unpackAllowance(fileBytes: number, cap: number): number {
  return Math.min(cap, Math.max(FLOOR_BYTES, RATIO * fileBytes));
}

export function makeUnpackBudget(limit: number, what: string): UnpackBudget {
  let used = 0;
  const exceeded = () =>
    new AppError(
      'unsupported',
      `${what} unpacks to more than ${formatBytes(limit)}; it may be damaged or malicious. Nothing was imported.`,
    );
  return {
    remaining: () => Math.max(0, limit - used),
    take(n) {
      used += n;
      if (used > limit) throw exceeded();
    },
    exceeded,
  };
}
