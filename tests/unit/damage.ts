// Damage as disks and copies do it, for the fault tests (unit and end-to-end; no test runner imported here).
import fs from 'node:fs';

/**
 * Overwrites `length` bytes of a file with garbage at `at` (a fraction of its length, rounded down to
 * a page), as a failing disk or a bad copy does.
 */
export function garble(file: string, length: number, at = 0.5): void {
  const bytes = fs.readFileSync(file);
  const pageSize = bytes.readUInt16BE(16) || 4096;
  const start = Math.floor((bytes.length * at) / pageSize) * pageSize;
  for (let i = 0; i < length && start + i < bytes.length; i++) bytes[start + i] = (i * 131 + 17) & 0xff;
  fs.writeFileSync(file, bytes);
}

/** Garbles the start of every page holding `text` (rows of one table, say); returns how many. */
export function garblePagesHolding(file: string, text: string): number {
  const bytes = fs.readFileSync(file);
  const pageSize = bytes.readUInt16BE(16);
  let pages = 0;
  for (let at = pageSize; at < bytes.length; at += pageSize) {
    if (!bytes.subarray(at, at + pageSize).includes(Buffer.from(text))) continue;
    for (let i = 0; i < 64; i++) bytes[at + i] = (i * 131 + 17) & 0xff;
    pages++;
  }
  fs.writeFileSync(file, bytes);
  return pages;
}
