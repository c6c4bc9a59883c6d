// Reading zip files that came from outside (Anki packages, backups) without trusting them.
// The central directory is parsed here rather than handed to a library in one go, so every entry is
// checked before a byte is inflated: entry count, declared sizes against the limits, names that could
// point outside a folder, and data that runs past the end of the file (a truncated download).
// Inflating (zlib) stops as soon as an entry yields more than it declared, so a zip bomb costs at most
// the limits below; CRC-32 catches damaged data.
import zlib from 'node:zlib';
import { AppError } from '../../../shared/errors';

export interface ZipLimits {
  maxEntries: number;
  /** Largest uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Largest uncompressed size of all entries together. */
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 200_000,
  maxEntryBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
};

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the local file header. */
  headerOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

/** CRC-32 as zip uses it (zlib's, in native code). */
export function crc32(data: Uint8Array): number {
  return zlib.crc32(data) >>> 0;
}

/**
 * A name is safe when it stays inside the folder it is extracted to: relative, no ".." level,
 * no backslashes, drive letters or control characters.
 */
export function isSafeEntryName(name: string): boolean {
  if (name === '' || name.length > 1024) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\]/.test(name)) return false;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return false;
  return name.split('/').every((part) => part !== '..');
}

export class ZipArchive {
  private readonly entries = new Map<string, ZipEntry>();

  private constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
    list: ZipEntry[],
  ) {
    for (const e of list) if (!this.entries.has(e.name)) this.entries.set(e.name, e);
  }

  /**
   * Parses the central directory of `bytes` and checks it against `limits`. `what` names the file in
   * messages ("The Anki package"). Throws an AppError a person can act on; reads no entry data yet.
   */
  static open(bytes: Uint8Array, what: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipArchive {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const looksLikeZip = bytes.length >= 4 && view.getUint32(0, true) === LOCAL_SIG;
    const eocd = findEndRecord(view);
    if (eocd < 0) {
      throw new AppError(
        'unsupported',
        looksLikeZip
          ? `${what} is incomplete: the file ends before its table of contents, so it was probably cut off while downloading or copying. Get the file again.`
          : `${what} is not a zip file, so it cannot be read. Choose the file again, or export it again from its app.`,
      );
    }
    const diskEntries = view.getUint16(eocd + 8, true);
    const count = view.getUint16(eocd + 10, true);
    const dirSize = view.getUint32(eocd + 12, true);
    const dirOffset = view.getUint32(eocd + 16, true);
    if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0 || diskEntries !== count) {
      throw new AppError('unsupported', `${what} is split across several files (a multi-part zip). Join it into one file first.`);
    }
    if (count === 0xffff || dirOffset === 0xffffffff || dirSize === 0xffffffff) {
      throw new AppError('unsupported', `${what} uses the ZIP64 format for very large archives, which Cadence does not read.`);
    }
    if (count > limits.maxEntries) {
      throw new AppError('unsupported', `${what} holds ${count} files; Cadence reads at most ${limits.maxEntries}. Split it into smaller exports.`);
    }
    if (dirOffset + dirSize > eocd) {
      throw new AppError('unsupported', `${what} is incomplete or damaged: its table of contents points past the end of the file. Get the file again.`);
    }

    const list: ZipEntry[] = [];
    let total = 0;
    let p = dirOffset;
    for (let i = 0; i < count; i++) {
      if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL_SIG) {
        throw new AppError('unsupported', `${what} is damaged: its table of contents is broken. Get the file again.`);
      }
      const flags = view.getUint16(p + 8, true);
      const method = view.getUint16(p + 10, true);
      const crc = view.getUint32(p + 16, true);
      const compressedSize = view.getUint32(p + 20, true);
      const size = view.getUint32(p + 24, true);
      const nameLength = view.getUint16(p + 28, true);
      const extraLength = view.getUint16(p + 30, true);
      const commentLength = view.getUint16(p + 32, true);
      const headerOffset = view.getUint32(p + 42, true);
      const name = new TextDecoder('utf-8').decode(bytes.subarray(p + 46, p + 46 + nameLength));
      p += 46 + nameLength + extraLength + commentLength;

      if (!isSafeEntryName(name)) {
        throw new AppError(
          'unsupported',
          `${what} contains a file named "${printable(name)}" that points outside its folder. Cadence refused the whole file; nothing was changed.`,
        );
      }
      if (flags & 1) throw new AppError('unsupported', `${what} is password-protected. Export it again without a password.`);
      if (name.endsWith('/')) continue; // a folder entry carries no data
      if (size > limits.maxEntryBytes) {
        throw new AppError(
          'unsupported',
          `${what} contains "${printable(name)}" of ${formatBytes(size)} when unpacked; Cadence takes at most ${formatBytes(limits.maxEntryBytes)} per file.`,
        );
      }
      total += size;
      if (total > limits.maxTotalBytes) {
        throw new AppError('unsupported', `${what} unpacks to more than ${formatBytes(limits.maxTotalBytes)}; Cadence refused it. Split it into smaller exports.`);
      }
      list.push({ name, method, crc, compressedSize, size, headerOffset });
    }
    return new ZipArchive(bytes, what, list);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  entry(name: string): ZipEntry | undefined {
    return this.entries.get(name);
  }

  /** The uncompressed bytes of an entry, checked against its declared size and CRC. */
  read(name: string): Uint8Array {
    const e = this.entries.get(name);
    if (!e) throw new AppError('unsupported', `${this.what} has no "${printable(name)}" inside.`);
    const data = this.rawData(e);
    let out: Uint8Array;
    if (e.method === 0) {
      if (data.length !== e.size) throw this.damaged(e);
      out = data;
    } else if (e.method === 8) {
      out = inflateCapped(data, e.size, () => this.damaged(e));
    } else {
      throw new AppError('unsupported', `${this.what} stores "${printable(name)}" with a compression method (${e.method}) Cadence does not read.`);
    }
    if (crc32(out) !== e.crc) throw this.damaged(e);
    return out;
  }

  private rawData(e: ZipEntry): Uint8Array {
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const h = e.headerOffset;
    if (h + 30 > this.bytes.length || view.getUint32(h, true) !== LOCAL_SIG) throw this.damaged(e);
    const start = h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true);
    const end = start + e.compressedSize;
    if (end > this.bytes.length) throw this.damaged(e);
    return this.bytes.subarray(start, end);
  }

  private damaged(e: ZipEntry): AppError {
    return new AppError(
      'unsupported',
      `${this.what} is damaged: "${printable(e.name)}" inside it does not unpack to what the file says. Get the file again; nothing was changed.`,
    );
  }
}

/**
 * Inflates raw DEFLATE data that must come to exactly `size` bytes. zlib stops as soon as the output
 * would pass the cap, so an entry that lies about its size costs no more than its claim.
 */
function inflateCapped(data: Uint8Array, size: number, fail: () => Error): Uint8Array {
  let out: Buffer;
  try {
    out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, size) });
  } catch {
    throw fail();
  }
  if (out.length !== size) throw fail();
  return out;
}

function findEndRecord(view: DataView): number {
  const min = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let i = view.byteLength - 22; i >= min; i--) {
    if (view.getUint32(i, true) === EOCD_SIG) return i;
  }
  return -1;
}

function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
