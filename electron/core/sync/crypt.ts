// End-to-end encryption of synced documents (optional: on when the user keeps a passphrase).
//
// Every document body is sealed with AES-256-GCM (Node's crypto, OpenSSL underneath) before it enters the
// local replica, so neither the replica nor the server ever holds it in the clear; it is opened again
// when it is read back. The document id is the additional authenticated data: a body moved under
// another id by the server fails to open. The key comes from the passphrase by scrypt, with a random
// salt kept on the server in one known document (ENCRYPTION_DOC_ID), so every machine with the same
// passphrase derives the same key. That document also holds a sealed known text, so a wrong passphrase
// is found before anything is read or written.
//
// What the server still sees: document ids (record kinds and note GUIDs; a review's time and rating only in
// the id of one taken back, or sent one document each by a Cadence version before batches),
// the revision tree, sizes and when documents change.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { SyncFailure } from './target';

export const ENCRYPTION_DOC_ID = 'cadence-encryption';
const CHECK_TEXT = 'Cadence end-to-end encryption';
const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

/** A sealed value as stored in a document: the nonce and ciphertext with its tag, base64. */
export interface Sealed {
  v: 1;
  iv: string;
  data: string;
}

/** The server's encryption document: how the key is derived, and the known text sealed with it. */
export interface EncryptionDoc {
  type: 'encryption';
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  check: Sealed;
}

/** Turns document bodies into what the replica and server hold, and back. */
export interface Codec {
  /** The salt of the key in use (null: no encryption): a replica belongs to one. */
  readonly id: string | null;
  seal(docId: string, body: object): Record<string, unknown>;
  open(docId: string, stored: Record<string, unknown>): unknown;
  /**
   * An attachment's bytes as the replica and server keep them (nonce, ciphertext, tag), bound to its
   * document and name; and back (null: not sealed with this key, or moved).
   */
  sealBytes(docId: string, name: string, bytes: Buffer): Buffer;
  openBytes(docId: string, name: string, stored: Buffer): Buffer | null;
}

export const plainCodec: Codec = {
  id: null,
  seal: (_docId, body) => ({ ...body }),
  sealBytes: (_docId, _name, bytes) => bytes,
  openBytes: (_docId, _name, stored) => stored,
  open(docId, stored) {
    if (stored.e2e) throw encryptedHere();
    return stored;
  },
};

function encryptedHere(): SyncFailure {
  return new SyncFailure(
    'conflict',
    'The documents on the sync server are end-to-end encrypted. Enter the passphrase used on your other computers in Settings → Sync, then sync again. Nothing was changed.',
    'the server is encrypted: enter its passphrase',
  );
}

export function wrongPassphrase(database: string): SyncFailure {
  return new SyncFailure(
    'forbidden',
    `That passphrase does not open the encrypted database “${database}”. Enter the passphrase you chose on your other computer, exactly as typed there. Nothing was changed.`,
    'the passphrase is wrong',
  );
}

const PARAMS = { N: 2 ** 15, r: 8, p: 1 };

function deriveKey(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return scrypt(passphrase.normalize('NFC'), salt, 32, { ...params, maxmem: 256 * params.N * params.r });
}

function seal(key: Buffer, docId: string, plain: Buffer): Sealed {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(docId, 'utf8'));
  const data = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return { v: 1, iv: iv.toString('base64'), data: data.toString('base64') };
}

/** The plain bytes, or null when the key (or the id) is not the one it was sealed with. */
function open(key: Buffer, docId: string, sealed: Sealed): Buffer | null {
  try {
    const data = Buffer.from(sealed.data, 'base64');
    if (data.length < 16) return null;
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(docId, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
}

function codecWith(key: Buffer, salt: string): Codec {
  const where = (docId: string, name: string) => `${docId}/${name}`;
  return {
    id: salt,
    sealBytes(docId, name, bytes) {
      const sealed = seal(key, where(docId, name), bytes);
      return Buffer.concat([Buffer.from(sealed.iv, 'base64'), Buffer.from(sealed.data, 'base64')]);
    },
    openBytes(docId, name, stored) {
      if (stored.length < 12 + 16) return null;
      return open(key, where(docId, name), { v: 1, iv: stored.subarray(0, 12).toString('base64'), data: stored.subarray(12).toString('base64') });
    },
    seal: (docId, body) => ({ e2e: seal(key, docId, Buffer.from(JSON.stringify(body), 'utf8')) }),
    open(docId, stored) {
      const sealed = stored.e2e as Sealed | undefined;
      if (!sealed) {
        throw new SyncFailure(
          'conflict',
          `The sync server holds a document Cadence did not encrypt (${docId}), so this database is not fully encrypted. Sync to a new, empty database instead. Nothing was changed.`,
          'the server holds unencrypted documents',
        );
      }
      const plain = open(key, docId, sealed);
      if (!plain) {
        throw new SyncFailure(
          'forbidden',
          `A document on the sync server (${docId}) does not open with this passphrase: it was changed on the server or sealed with another key. Nothing was changed.`,
          'a document on the server does not open',
        );
      }
      return JSON.parse(plain.toString('utf8'));
    },
  };
}

/** Makes a new encryption document (a fresh salt) and the codec for it. */
export async function newEncryption(passphrase: string): Promise<{ doc: EncryptionDoc; codec: Codec }> {
  const salt = crypto.randomBytes(16);
  const key = await deriveKey(passphrase, salt, PARAMS);
  const doc: EncryptionDoc = { type: 'encryption', kdf: 'scrypt', ...PARAMS, salt: salt.toString('base64'), check: seal(key, ENCRYPTION_DOC_ID, Buffer.from(CHECK_TEXT)) };
  return { doc, codec: codecWith(key, doc.salt) };
}

/** The codec for an existing encryption document; null when the passphrase is not its passphrase. */
export async function openEncryption(passphrase: string, doc: Record<string, unknown>): Promise<Codec | null> {
  const { N, r, p, salt, check } = doc as Partial<EncryptionDoc>;
  // The server's word is not trusted with the machine's memory: only sane scrypt costs are run.
  const sane = (n: unknown, max: number): n is number => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= max;
  if (doc.kdf !== 'scrypt' || !sane(N, 2 ** 20) || (N & (N - 1)) !== 0 || !sane(r, 32) || !sane(p, 16) || typeof salt !== 'string' || !check) {
    throw new SyncFailure(
      'conflict',
      'The sync server’s encryption settings were written by a newer or different program, so Cadence cannot use them. Nothing was changed.',
      'the server’s encryption is unknown',
    );
  }
  const key = await deriveKey(passphrase, Buffer.from(salt, 'base64'), { N, r, p });
  const plain = open(key, ENCRYPTION_DOC_ID, check);
  return plain?.toString('utf8') === CHECK_TEXT ? codecWith(key, salt) : null;
}

/**
 * How this machine must read and write the server's database, checked before anything is touched: a
 * passphrase needs an encrypted database (or an empty one, which it makes encrypted); no passphrase
 * needs a plain one. Refused in words otherwise.
 */
export async function codecForServer(
  remote: { get(id: string): Promise<Record<string, unknown>>; put(doc: Record<string, unknown> & { _id: string }): Promise<unknown> },
  info: Record<string, unknown>,
  passphrase: string | undefined,
  database: string,
): Promise<Codec> {
  const existing = await remote.get(ENCRYPTION_DOC_ID).catch((err: { status?: number }) => {
    if (err.status === 404) return null;
    throw err;
  });
  if (!passphrase) {
    if (existing && !existing._deleted) throw encryptedHere();
    return plainCodec;
  }
  if (existing) {
    const codec = await openEncryption(passphrase, existing);
    if (!codec) throw wrongPassphrase(database);
    return codec;
  }
  if (Number(info.doc_count ?? 0) > 0) {
    throw new SyncFailure(
      'conflict',
      `The database “${database}” on the sync server already holds documents that are not encrypted, and Cadence does not mix the two. To encrypt, sync to a new, empty database (change the database name in Settings → Sync); to keep this one, remove the passphrase. Nothing was changed.`,
      'the server holds unencrypted documents',
    );
  }
  const made = await newEncryption(passphrase);
  try {
    await remote.put({ _id: ENCRYPTION_DOC_ID, ...made.doc });
    return made.codec;
  } catch (err) {
    // Another computer made it first: its salt is the one.
    if ((err as { status?: number }).status !== 409) throw err;
    return codecForServer(remote, { doc_count: 0 }, passphrase, database);
  }
}
