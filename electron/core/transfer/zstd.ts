// Zstandard decompression of untrusted data (current-format Anki packages compress the collection,
// the media list and every media file). The decoder allocates what a frame header declares, so the
// headers are walked first (frame by frame, block by block, without decoding) and anything declaring
// more than the cap, or ending early, is refused; the output is then counted while it streams.
import { Decompress } from 'fzstd';
import { AppError } from '../../../shared/errors';

const MAGIC = 0xfd2fb528;
const MAX_WINDOW = 128 * 1024 * 1024;

function problem(what: string, detail: string): AppError {
  return new AppError('unsupported', `${what} is damaged or not what it claims (${detail}). Get the file again; nothing was changed.`);
}

/** Checks the frame structure of `data`; throws when it is truncated or declares more than `cap` bytes. */
function checkFrames(data: Uint8Array, cap: number, what: string, tooBig: () => AppError): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let p = 0;
  let declared = 0;
  if (data.length < 4) throw problem(what, 'too short to be compressed data');
  while (p < data.length) {
    if (p + 4 > data.length) throw problem(what, 'it ends in the middle of a frame');
    const magic = view.getUint32(p, true);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // Skippable frame: 4-byte size, then that many bytes of metadata.
      if (p + 8 > data.length) throw problem(what, 'it ends in the middle of a frame');
      p += 8 + view.getUint32(p + 4, true);
      continue;
    }
    if (magic !== MAGIC) throw problem(what, 'it is not Zstandard data');
    p += 4;
    if (p >= data.length) throw problem(what, 'it ends in the middle of a frame');
    const fhd = data[p++]!;
    const fcsFlag = fhd >> 6;
    const single = (fhd >> 5) & 1;
    const dictBytes = [0, 1, 2, 4][fhd & 3]!;
    const hasChecksum = (fhd >> 2) & 1;
    let window = 0;
    if (!single) {
      const wd = data[p++];
      if (wd === undefined) throw problem(what, 'it ends in the middle of a frame');
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
      if (window > MAX_WINDOW) throw problem(what, 'it asks for too much memory to unpack');
    }
    p += dictBytes;
    const fcsBytes = fcsFlag === 0 ? (single ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!;
    if (p + fcsBytes > data.length) throw problem(what, 'it ends in the middle of a frame');
    let size = -1;
    if (fcsBytes === 1) size = data[p]!;
    else if (fcsBytes === 2) size = view.getUint16(p, true) + 256;
    else if (fcsBytes === 4) size = view.getUint32(p, true);
    else if (fcsBytes === 8) size = view.getUint32(p, true) + view.getUint32(p + 4, true) * 2 ** 32;
    p += fcsBytes;
    if (size >= 0) {
      declared += size;
      if (declared > cap) throw tooBig();
    }
    // Blocks: 3-byte header (last flag, type, size) then the block's bytes (1 for an RLE block).
    for (;;) {
      if (p + 3 > data.length) throw problem(what, 'it ends in the middle of a block');
      const header = data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16);
      p += 3;
      const last = header & 1;
      const type = (header >> 1) & 3;
      const blockSize = header >>> 3;
      if (type === 3) throw problem(what, 'it has an invalid block');
      p += type === 1 ? 1 : blockSize;
      if (p > data.length) throw problem(what, 'it ends in the middle of a block');
      if (last) break;
    }
    p += hasChecksum ? 4 : 0;
    if (p > data.length) throw problem(what, 'it ends before its checksum');
  }
}

/**
 * Decompresses Zstandard `data` to at most `cap` bytes; `what` names it in messages. `tooBig` makes the
 * error for output past the cap (by default: this file is larger than Cadence takes).
 */
export function zstdDecompress(data: Uint8Array, cap: number, what: string, tooBig?: () => AppError): Uint8Array {
  const overCap =
    tooBig ?? (() => new AppError('unsupported', `${what} unpacks to more than Cadence takes (${Math.round(cap / 1048576)} MB); it refused the file.`));
  checkFrames(data, cap, what, overCap);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Decompress((chunk) => {
    total += chunk.length;
    if (total > cap) throw overCap();
    chunks.push(chunk.slice());
  });
  try {
    stream.push(data, true);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw problem(what, 'it could not be unpacked');
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
