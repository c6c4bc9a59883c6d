// Evidence for a credit entry: a certificate PDF or a receipt picture, as PMI's audits ask for. The file
// is stored by content hash in the media folder, like imported media (so the whole-collection backup file
// carries it with no extra step); only pictures there are ever served as card media, never PDFs. The
// `credit_evidence` row names the file and the entry it belongs to.
import fs from 'node:fs';
import path from 'node:path';
import type { CreditEvidence } from '../../../shared/contract/certifications';
import { AppError } from '../../../shared/errors';
import type { Db } from '../context';
import { mediaFileName } from '../transfer/media';

/** A certificate or a receipt is small; a larger file is most likely the wrong one. */
export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;

interface EvidenceRow {
  id: number;
  credit_id: number;
  file_name: string;
  media_name: string;
  kind: 'pdf' | 'image';
  size_bytes: number;
  added_at: number;
}

/** What the file really is, from its first bytes (its name may say anything). */
export function evidenceKind(bytes: Uint8Array): { kind: 'pdf' | 'image'; ext: string } | null {
  const starts = (...b: number[]) => b.every((v, i) => bytes[i] === v);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return { kind: 'pdf', ext: 'pdf' }; // %PDF-
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { kind: 'image', ext: 'png' };
  if (starts(0xff, 0xd8, 0xff)) return { kind: 'image', ext: 'jpg' };
  if (starts(0x47, 0x49, 0x46, 0x38)) return { kind: 'image', ext: 'gif' };
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return { kind: 'image', ext: 'webp' };
  return null;
}

function view(r: EvidenceRow): CreditEvidence {
  return { id: r.id, fileName: r.file_name, kind: r.kind, sizeBytes: r.size_bytes, addedAt: r.added_at };
}

export function makeEvidenceStore(db: Db) {
  const all = db.prepare<[], EvidenceRow>('SELECT * FROM credit_evidence ORDER BY id');
  const one = db.prepare<[number], EvidenceRow>('SELECT * FROM credit_evidence WHERE id = ?');
  const ofCredit = db.prepare<[number], EvidenceRow>('SELECT * FROM credit_evidence WHERE credit_id = ? ORDER BY id');
  const insert = db.prepare(
    'INSERT INTO credit_evidence (credit_id, file_name, media_name, kind, size_bytes, added_at) VALUES (@creditId, @fileName, @mediaName, @kind, @size, @now)',
  );
  const remove = db.prepare<[number]>('DELETE FROM credit_evidence WHERE id = ?');

  return {
    /** Every entry's evidence, by credit id. */
    byCredit(): Map<number, CreditEvidence[]> {
      const out = new Map<number, CreditEvidence[]>();
      for (const r of all.all()) {
        const list = out.get(r.credit_id) ?? [];
        list.push(view(r));
        out.set(r.credit_id, list);
      }
      return out;
    },
    rowsOf: (creditId: number) => ofCredit.all(creditId),
    get(id: number): EvidenceRow {
      const row = one.get(id);
      if (!row) throw new AppError('not_found', 'That evidence file is no longer attached.');
      return row;
    },
    /** Stores the file in the media folder (under its content hash) and records it against the entry. */
    attach(mediaDir: string, creditId: number, fileName: string, bytes: Uint8Array, now: number): void {
      if (bytes.byteLength === 0) throw new AppError('invalid_input', `“${fileName}” is empty; choose the certificate or receipt file itself.`);
      if (bytes.byteLength > MAX_EVIDENCE_BYTES) throw new AppError('invalid_input', `“${fileName}” is larger than 20 MB; attach a smaller scan or a PDF of the certificate.`);
      const kind = evidenceKind(bytes);
      if (!kind) throw new AppError('unsupported', `“${fileName}” is not a PDF or a picture (PNG, JPEG, GIF, WebP); attach the certificate or receipt as one of those.`);
      const mediaName = mediaFileName(bytes, `x.${kind.ext}`);
      const file = path.join(mediaDir, mediaName);
      if (!fs.existsSync(file)) {
        fs.mkdirSync(mediaDir, { recursive: true });
        // Written under a temporary name and renamed, so a crash never leaves half a file under a real name.
        fs.writeFileSync(`${file}.partial`, bytes);
        fs.renameSync(`${file}.partial`, file);
      }
      insert.run({ creditId, fileName, mediaName, kind: kind.kind, size: bytes.byteLength, now });
    },
    /** The row goes; the file stays in the media folder (another entry, or a backup, may hold the same bytes). */
    detach(id: number): void {
      remove.run(id);
    },
    /** The stored bytes of one evidence file. */
    read(mediaDir: string, row: EvidenceRow): Uint8Array {
      const file = path.join(mediaDir, row.media_name);
      if (!fs.existsSync(file)) throw new AppError('not_found', `The file “${row.file_name}” is missing from the media folder; attach it again.`);
      return fs.readFileSync(file);
    },
  };
}
export type EvidenceStore = ReturnType<typeof makeEvidenceStore>;
