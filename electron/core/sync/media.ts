// Media files (pictures and sounds in notes) through sync: each file is one document named by its
// content hash (`media:<sha256>.<ext>`, the name it already has in the media folder) with the bytes as
// its attachment, so the server stores a file once however many computers have it. A file is uploaded
// only when the replica, just refreshed from the server, does not have it yet; one that arrives is
// checked against its hash before it is written into the media folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileWhole } from '../files';
import type { Codec } from './crypt';
import { docIdFor, type MediaDoc } from './docs';
import type { Pouch, PouchDoc } from './pouch';
import type { Incoming, SyncStore } from './store';

const ATTACHMENT = 'file';

/** Uploads the media files this collection has that the server lacks. Returns how many were written. */
export async function exportMedia(local: Pouch, store: SyncStore, codec: Codec, mediaDir: string, now: number): Promise<number> {
  let written = 0;
  for (const { name, original_name, size, evidence } of store.unsentMedia()) {
    const docId = docIdFor('media', name);
    const there = await local.get(docId).catch(() => null);
    const file = path.join(mediaDir, name);
    if (there || !fs.existsSync(file)) {
      store.mediaSent(name, (there?._rev as string | undefined) ?? null);
      continue;
    }
    const body: MediaDoc = { type: 'media', originalName: original_name, size, editedAt: now, device: store.state().device_id, ...(evidence ? { evidence: true } : {}) };
    // Sealed like every body when the database is encrypted (crypt.ts): the server sees only ciphertext.
    const data = codec.sealBytes(docId, ATTACHMENT, fs.readFileSync(file)).toString('base64');
    const attachments = { [ATTACHMENT]: { content_type: 'application/octet-stream', data } };
    const { rev } = await local.put({ ...codec.seal(docId, body), _id: docId, _attachments: attachments } as PouchDoc);
    store.mediaSent(name, rev);
    written++;
  }
  return written;
}

/** Why a media document was set aside, in words (refused.ts lists it and every sync tries it again). */
export const MEDIA_DAMAGED = 'its bytes did not arrive whole (they do not match the file’s fingerprint), so it was not saved; it is fetched again at every sync';

/**
 * Writes into the media folder the files of the media documents about to be applied that this
 * computer lacks, from the first of `sources` (the replica, then the server) that has them whole. A
 * document whose bytes are missing or do not match its name (damaged on the way) is left out, never
 * written nor recorded, and returned, to be set aside and fetched again at the next sync.
 */
export async function fetchMedia(sources: Pouch[], incoming: Map<string, Incoming>, codec: Codec, mediaDir: string): Promise<Incoming[]> {
  const damaged: Incoming[] = [];
  for (const [docId, doc] of incoming) {
    if (doc.body.type !== 'media' || doc.body.deleted) continue;
    const name = docId.slice('media:'.length);
    const file = path.join(mediaDir, name);
    if (path.dirname(file) !== path.resolve(mediaDir) || !/^[0-9a-f]{64}(\.[a-z0-9]{1,10})?$/.test(name)) {
      incoming.delete(docId); // not a content name: never written anywhere
      continue;
    }
    if (fs.existsSync(file)) continue;
    let whole: Buffer | null = null;
    for (const source of sources) {
      if ((whole = await wholeBytes(source, docId, doc.rev, codec, name))) break;
    }
    if (!whole) {
      incoming.delete(docId);
      damaged.push(doc);
      continue;
    }
    fs.mkdirSync(mediaDir, { recursive: true });
    writeFileWhole(file, whole);
  }
  return damaged;
}

/** The attachment's bytes when they match the file's content name; null when missing, unreadable or damaged. */
async function wholeBytes(source: Pouch, docId: string, rev: string, codec: Codec, name: string): Promise<Buffer | null> {
  const full = await source.get(docId, { rev, attachments: true, binary: true }).catch(() => null);
  const stored = (full?._attachments as Record<string, { data?: Buffer }> | undefined)?.[ATTACHMENT]?.data;
  let attachment: Buffer | null = null;
  try {
    attachment = stored ? codec.openBytes(docId, ATTACHMENT, stored) : null;
  } catch {
    return null; // sealed bytes that do not open: damaged too
  }
  return attachment && crypto.createHash('sha256').update(attachment).digest('hex') === name.slice(0, 64) ? attachment : null;
}
