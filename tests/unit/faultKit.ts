// Real faults for the fault-injection tests: a small disk (a tmpfs mounted for the test, which can fill
// up and be remounted read-only) where the machine allows mounting, and the ways files really get
// damaged. Where mounting is refused (not root), `smallDisk` says why and the tests that need it skip
// with that reason printed; the disk-full tests also run on SQLite's own page limit, which needs nothing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { tempDir } from './testCore';

export interface SmallDisk {
  dir: string;
  /** Fills what is left of the disk with one file; returns how many bytes it took. */
  fill(): number;
  /** Removes what fill() wrote. */
  free(): void;
  readOnly(): void;
  writable(): void;
}

const mounted: string[] = [];
afterAll(() => {
  for (const dir of mounted.splice(0)) {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    } catch {
      // Gone already.
    }
  }
});

function tryMount(dir: string, sizeMb: number): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0777`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim() || 'mount failed';
  }
}

/** Why a small disk cannot be made here, or null when it can (checked once). */
export const smallDiskUnavailable: string | null = (() => {
  if (process.platform !== 'linux') return `mounting a tmpfs needs Linux (this is ${process.platform})`;
  const probe = tempDir('cadence-mount-probe-');
  const why = tryMount(probe, 1);
  if (why === null) execFileSync('umount', [probe]);
  return why === null ? null : `cannot mount a small disk here (${why})`;
})();

/** A fresh disk of `sizeMb` megabytes. Call only when smallDiskUnavailable is null. */
export function smallDisk(sizeMb: number): SmallDisk {
  const dir = tempDir('cadence-small-disk-');
  const why = tryMount(dir, sizeMb);
  if (why !== null) throw new Error(why);
  mounted.push(dir);
  const filler = path.join(dir, 'filler.bin');
  const remount = (mode: 'ro' | 'rw') => execFileSync('mount', ['-o', `remount,${mode}`, dir]);
  return {
    dir,
    fill() {
      const fd = fs.openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 7);
      let written = 0;
      try {
        for (;;) written += fs.writeSync(fd, chunk);
      } catch (err) {
        if ((err as { code?: string }).code !== 'ENOSPC') throw err;
      } finally {
        fs.closeSync(fd);
      }
      // Whatever is smaller than a chunk is left too.
      const fd2 = fs.openSync(filler, 'a');
      try {
        for (;;) written += fs.writeSync(fd2, Buffer.alloc(512, 7));
      } catch {
        // Full.
      } finally {
        fs.closeSync(fd2);
      }
      return written;
    },
    free: () => fs.rmSync(filler, { force: true }),
    readOnly: () => remount('ro'),
    writable: () => remount('rw'),
  };
}

/** The files of a folder with their sizes, for "nothing was left behind" checks. */
export function listing(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of fs.readdirSync(dir)) {
    const stat = fs.statSync(path.join(dir, name));
    if (stat.isFile()) out[name] = stat.size;
  }
  return out;
}
