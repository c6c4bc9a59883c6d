// Media files as an imported collection has them: mostly images, some sounds, sizes from a few KB to a
// couple of MB. Cadence stores them under content names (sha256 of the bytes plus the extension, see
// 005_transfer.sql); Anki packages carry names like "paste-<hash>.jpg".
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Rng } from './rng';

const SIGNATURES: Record<string, number[]> = {
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  jpg: [0xff, 0xd8, 0xff, 0xe0],
  mp3: [0x49, 0x44, 0x33, 0x03],
};

export type MediaNaming = 'cadence' | 'anki';

/** Writes `count` files into `dir` and returns their names. */
export function writeMedia(rng: Rng, count: number, dir: string, naming: MediaNaming = 'cadence'): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const ext = rng.chance(0.15) ? 'mp3' : rng.chance(0.6) ? 'jpg' : 'png';
    const size = Math.round(Math.max(1_500, Math.min(2_500_000, rng.logNormal(45_000, 1))));
    const bytes = new Uint8Array(size);
    const sig = SIGNATURES[ext]!;
    bytes.set(sig);
    for (let b = sig.length; b < size; b += 4) {
      const v = (rng.next() * 4294967296) >>> 0;
      bytes[b] = v & 0xff;
      bytes[b + 1] = (v >>> 8) & 0xff;
      bytes[b + 2] = (v >>> 16) & 0xff;
      bytes[b + 3] = v >>> 24;
    }
    const hash = crypto.createHash('sha256').update(bytes).digest('hex');
    const name = naming === 'cadence' ? `${hash}.${ext}` : `paste-${hash.slice(0, 16)}.${ext}`;
    fs.writeFileSync(path.join(dir, name), bytes);
    names.push(name);
  }
  return names;
}
