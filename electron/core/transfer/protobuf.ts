// Just enough protobuf to read the few messages in current-format Anki packages (package metadata,
// media list, note type / field / template configs, deck kinds). A message is read into its fields by
// number; callers pick what they need and ignore the rest, as protobuf intends.
import { AppError } from '../../../shared/errors';

export type ProtoValue = number | Uint8Array;

export class ProtoMessage {
  constructor(private readonly fields: Map<number, ProtoValue[]>) {}

  /** Reads a message; throws a readable error for malformed bytes. */
  static decode(bytes: Uint8Array, what = 'Part of the package'): ProtoMessage {
    const fields = new Map<number, ProtoValue[]>();
    let p = 0;
    const fail = () => new AppError('unsupported', `${what} is damaged (unreadable settings data). Export it again from Anki.`);
    const varint = (): number => {
      // Values up to 2^64 arrive here (ids, negative int64s); BigInt keeps them exact until converted.
      let result = 0n;
      let shift = 0n;
      for (;;) {
        if (p >= bytes.length || shift > 63n) throw fail();
        const b = bytes[p++]!;
        result |= BigInt(b & 0x7f) << shift;
        if ((b & 0x80) === 0) break;
        shift += 7n;
      }
      return Number(BigInt.asIntN(64, result));
    };
    while (p < bytes.length) {
      const key = varint();
      const field = Math.floor(key / 8);
      const wire = key & 7;
      let value: ProtoValue;
      if (wire === 0) value = varint();
      else if (wire === 2) {
        const length = varint();
        if (length < 0 || p + length > bytes.length) throw fail();
        value = bytes.subarray(p, p + length);
        p += length;
      } else if (wire === 1) {
        if (p + 8 > bytes.length) throw fail();
        value = new DataView(bytes.buffer, bytes.byteOffset + p, 8).getFloat64(0, true);
        p += 8;
      } else if (wire === 5) {
        if (p + 4 > bytes.length) throw fail();
        value = new DataView(bytes.buffer, bytes.byteOffset + p, 4).getUint32(0, true);
        p += 4;
      } else {
        throw fail();
      }
      if (field < 1) throw fail();
      const list = fields.get(field);
      if (list) list.push(value);
      else fields.set(field, [value]);
    }
    return new ProtoMessage(fields);
  }

  /** The last value of a scalar field (proto3: the last one wins), or the default. */
  int(field: number, fallback = 0): number {
    const v = this.fields.get(field)?.at(-1);
    return typeof v === 'number' ? v : fallback;
  }

  bool(field: number): boolean {
    return this.int(field) !== 0;
  }

  string(field: number, fallback = ''): string {
    const v = this.fields.get(field)?.at(-1);
    return v instanceof Uint8Array ? new TextDecoder('utf-8').decode(v) : fallback;
  }

  message(field: number): ProtoMessage | null {
    const v = this.fields.get(field)?.at(-1);
    return v instanceof Uint8Array ? ProtoMessage.decode(v) : null;
  }

  messages(field: number): ProtoMessage[] {
    return (this.fields.get(field) ?? []).filter((v): v is Uint8Array => v instanceof Uint8Array).map((v) => ProtoMessage.decode(v));
  }

  /** A repeated float field, packed (one length-delimited run) or not (one 32-bit value each). */
  floats(field: number): number[] {
    const out: number[] = [];
    for (const v of this.fields.get(field) ?? []) {
      if (typeof v === 'number') {
        out.push(new DataView(Uint32Array.of(v).buffer).getFloat32(0, true));
      } else if (v.length % 4 === 0) {
        const view = new DataView(v.buffer, v.byteOffset, v.length);
        for (let i = 0; i < v.length; i += 4) out.push(view.getFloat32(i, true));
      }
    }
    return out;
  }

  has(field: number): boolean {
    return this.fields.has(field);
  }
}
