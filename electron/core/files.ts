import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { AppError } from '../../shared/errors';
import type { Paths } from './context';

/**
 * Files crossing the boundary. The renderer never names a path on disk: it hands over bytes
 * (`files.stage`) and gets an opaque id back, and it downloads what Cadence made by an opaque name.
 */
const ID = /^[a-f0-9]{32}$/;
// Plain names only: no separators, and never '.' or '..'.
const SAFE_NAME = /^[\w-][\w.-]{0,127}$/;
/** What card media may be: pictures, sound and video. Anything else in the media folder is never served. */
const MEDIA_NAME = /^[\w-][\w.-]{0,127}\.(png|jpe?g|gif|webp|avif|bmp|svg|ico|mp3|ogg|oga|opus|wav|m4a|aac|flac|mp4|webm|ogv)$/i;

/**
 * Headers for every media response: even if a media file is opened on its own (not through <img> or
 * <audio>), it is a sandboxed document that can run nothing and reach nothing.
 */
export const MEDIA_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
  'X-Content-Type-Options': 'nosniff',
};

/** A regular file itself, not a link to one: links in Cadence's folders are never followed. */
function isFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Writes a file whole or not at all: under a temporary name, renamed when complete. On any failure (a
 * full disk) the partial file is removed at once, so a failed write never keeps the disk full; the
 * error goes on to be named where it is reported (faults.ts).
 */
export function writeFileWhole(file: string, data: Uint8Array | string): void {
  const partial = `${file}.partial`;
  try {
    fs.writeFileSync(partial, data);
    fs.renameSync(partial, file);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

export const MAX_STAGED_BYTES = 1024 * 1024 * 1024;
const TOO_LARGE = 'That file is larger than 1 GB; Cadence cannot take it in.';

function newStagedFile(paths: Paths): { stagedId: string; file: string } {
  fs.mkdirSync(paths.stagingDir, { recursive: true });
  const stagedId = crypto.randomBytes(16).toString('hex');
  return { stagedId, file: path.join(paths.stagingDir, stagedId) };
}

export function stageFile(paths: Paths, name: string, bytes: Uint8Array): { stagedId: string; name: string; size: number } {
  if (bytes.byteLength > MAX_STAGED_BYTES) throw new AppError('invalid_input', TOO_LARGE);
  const { stagedId, file } = newStagedFile(paths);
  writeFileWhole(file, bytes);
  return { stagedId, name, size: bytes.byteLength };
}

/**
 * Stages a file as it arrives (browser mode's upload): written to disk chunk by chunk, so memory stays
 * flat whatever its size. Too large, cut short or a full disk: the partial file is removed.
 */
export async function stageStream(paths: Paths, name: string, body: Readable, limit = MAX_STAGED_BYTES): Promise<{ stagedId: string; name: string; size: number }> {
  const { stagedId, file } = newStagedFile(paths);
  const partial = `${file}.partial`;
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > limit ? new AppError('invalid_input', TOO_LARGE) : null, chunk);
    },
  });
  try {
    await pipeline(body, count, fs.createWriteStream(partial));
    fs.renameSync(partial, file);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    if ((err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') {
      throw new AppError('invalid_input', 'The file did not arrive whole (the upload was interrupted). Choose it again.');
    }
    throw err;
  }
  return { stagedId, name, size };
}

/** The on-disk path of a staged file; throws not_found for unknown or malformed ids. */
export function stagedPath(paths: Paths, stagedId: string): string {
  const file = path.join(paths.stagingDir, stagedId);
  if (!ID.test(stagedId) || !fs.existsSync(file)) {
    throw new AppError('not_found', 'The file to import is no longer available. Choose it again.');
  }
  return file;
}

export function discardStaged(paths: Paths, stagedId: string): void {
  if (ID.test(stagedId)) fs.rmSync(path.join(paths.stagingDir, stagedId), { force: true });
}

/**
 * Writes a file for the user to save and returns the name to download it by
 * (`/download/<name>` in both the app protocol and browser mode).
 */
export function writeExport(paths: Paths, fileName: string, data: Uint8Array | string): { downloadName: string } {
  const base = fileName.replace(/[^\w.-]+/g, '-').slice(0, 100) || 'export';
  const downloadName = `${crypto.randomBytes(6).toString('hex')}-${base}`;
  fs.mkdirSync(paths.exportsDir, { recursive: true });
  writeFileWhole(path.join(paths.exportsDir, downloadName), data);
  return { downloadName };
}

/** Resolves a download name to its file, refusing anything that is not a plain name inside exportsDir. */
export function exportPath(exportsDir: string, downloadName: string): string | null {
  if (!SAFE_NAME.test(downloadName)) return null;
  const file = path.join(exportsDir, downloadName);
  return isFile(file) ? file : null;
}

/**
 * Resolves a media file name (content-hash names) inside mediaDir: pictures, sound and video only, and
 * only a regular file that really is in that folder (a link planted there, or a folder that is itself
 * a link elsewhere, is never followed).
 */
export function mediaPath(mediaDir: string, name: string): string | null {
  if (!MEDIA_NAME.test(name)) return null;
  const file = path.join(mediaDir, name);
  if (!isFile(file)) return null;
  try {
    const realDir = fs.realpathSync(mediaDir);
    return path.dirname(fs.realpathSync(file)) === realDir && fs.lstatSync(mediaDir).isDirectory() ? file : null;
  } catch {
    return null;
  }
}

/** decodeURIComponent that answers null for malformed escapes instead of throwing. */
export function decodeName(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

const STALE_MS = 24 * 3_600_000;

/**
 * Removes staged files and made exports older than a day: staged files of imports that failed or were
 * abandoned, and exports (whole-collection backups among them) that were downloaded long ago.
 */
export function sweepTransientFiles(paths: Paths, now: number): void {
  for (const dir of [paths.stagingDir, paths.exportsDir]) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      try {
        if (now - fs.statSync(file).mtimeMs > STALE_MS) fs.rmSync(file, { force: true, recursive: true });
      } catch {
        // Gone already, or in use: the next sweep tries again.
      }
    }
  }
}
