// Note ids for the guid column (what Anki matches notes by on re-import). Time first, then a count
// within the millisecond, then random letters: ids made one after another sort one after another, so a
// bulk import appends to the guid index instead of inserting all over it, and the random part keeps ids
// from different machines apart.
import { randomBytes } from 'node:crypto';

const RANDOM_BYTES = 6;
/** Random bytes drawn a few thousand ids at a time (one draw per id is slow in bulk). */
let pool = Buffer.alloc(0);
let at = 0;
let lastMs = -1;
let seq = 0;

/** A new note id: 9 base-36 digits of time, 3 of sequence, 8 random base64url characters. */
export function newGuid(now = Date.now()): string {
  if (at + RANDOM_BYTES > pool.length) {
    pool = randomBytes(RANDOM_BYTES * 4096);
    at = 0;
  }
  at += RANDOM_BYTES;
  // Never backwards within this process, even if the system clock is.
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
  } else if (++seq >= 36 ** 3) {
    lastMs++;
    seq = 0;
  }
  return lastMs.toString(36).padStart(9, '0') + seq.toString(36).padStart(3, '0') + pool.toString('base64url', at - RANDOM_BYTES, at);
}
