// Note ids for the guid column (what Anki matches notes by on re-import). Time first, then a count
// within the millisecond, then random letters: ids made one after another sort one after another, so a
// bulk import appends to the guid index instead of inserting all over it, and the random part keeps ids
// from different machines apart.
import { randomBytes } from 'node:crypto';

/** Random letters per id: 6 random bytes in base64url, which encodes every 3 bytes as 4 letters. */
const RANDOM_LETTERS = 8;
const IDS_PER_DRAW = 4096;
/** Random letters drawn a few thousand ids at a time (one draw per id is slow in bulk). */
let pool = '';
let at = 0;
let lastMs = -1;
let seq = 0;
let timePart = '';

/** A new note id: 9 base-36 digits of time, 3 of sequence, 8 random base64url characters. */
export function newGuid(now = Date.now()): string {
  if (at + RANDOM_LETTERS > pool.length) {
    pool = randomBytes((IDS_PER_DRAW * RANDOM_LETTERS * 3) / 4).toString('base64url');
    at = 0;
  }
  const random = pool.slice(at, (at += RANDOM_LETTERS));
  // Never backwards within this process, even if the system clock is.
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
  } else if (++seq >= 36 ** 3) {
    lastMs++;
    seq = 0;
  }
  // The time part changes only with a new millisecond, which is when the count starts again.
  if (seq === 0) timePart = lastMs.toString(36).padStart(9, '0');
  return timePart + seq.toString(36).padStart(3, '0') + random;
}
