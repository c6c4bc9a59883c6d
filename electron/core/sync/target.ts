// Where sync goes (the user's CouchDB-compatible server) and what its failures mean in words.
import { AppError, type ErrorCode } from '../../../shared/errors';

export interface SyncTarget {
  /** The server's address, e.g. https://couch.example.org:6984 (http only for this computer itself). */
  url: string;
  /** The database on that server holding this learner's collection. */
  database: string;
  username?: string;
  password?: string;
  /** Set when documents are encrypted end to end (crypt.ts). */
  passphrase?: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The database's address; refuses anything but HTTPS, except to this computer (nothing else can read that). */
export function remoteUrlOf(target: SyncTarget): string {
  let url: URL;
  try {
    url = new URL(target.url.trim());
  } catch {
    throw new AppError('invalid_input', `“${target.url}” is not a server address. Write it in full, like https://couch.example.org:6984.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new AppError(
      'invalid_input',
      'The sync server must be reached over HTTPS (an address starting with https://), so your password and cards cannot be read on the way. Plain http:// is allowed only for a server on this computer.',
    );
  }
  if (url.username || url.password) throw new AppError('invalid_input', 'Put the user name and password in their own boxes, not in the server address.');
  const database = target.database.trim();
  if (!/^[a-z][a-z0-9_$()+/-]*$/.test(database)) {
    throw new AppError('invalid_input', `“${database}” cannot be a CouchDB database name: use lowercase letters, digits and _$()+-/, starting with a letter.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(database)}`;
}

/** A sync that failed: the sentence to act on, and the few words a status line shows ("the server did not answer"). */
export class SyncFailure extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly problem: string,
  ) {
    super(code, message);
  }
}

/** A replication failure as one sentence the user can act on (null: not a failure of the server or network). */
export function describeSyncFailure(err: unknown, target: SyncTarget): { code: ErrorCode; message: string; problem: string } | null {
  const e = err as { status?: number; code?: string; name?: string; message?: string };
  const server = safeHost(target.url);
  const nothing = 'Nothing was changed; your collection is as it was.';
  const network = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'];
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
    return {
      code: 'io_error',
      problem: 'the server was not found',
      message: `Cadence could not find the sync server ${server}: no computer answers to that name. Check the server address in Settings → Sync and that this computer is online. ${nothing}`,
    };
  }
  if ((e.code && network.includes(e.code)) || e.name === 'FetchError' || /fetch failed|ECONNREFUSED|socket hang up/i.test(e.message ?? '')) {
    return { code: 'io_error', problem: 'the server did not answer', message: `Cadence could not reach the sync server at ${server}. Check that it is running and that this computer is online, then try again. ${nothing}` };
  }
  if (e.status === 401) return { code: 'forbidden', problem: 'the server refused the password', message: `The sync server at ${server} did not accept the user name and password. Check them in Settings → Sync. ${nothing}` };
  if (e.status === 403) return { code: 'forbidden', problem: 'the server refused this user', message: `The sync server at ${server} does not let this user write to the database “${target.database}”. Give the user access to it on the server. ${nothing}` };
  if (e.status === 404) return { code: 'not_found', problem: 'the database was not found', message: `There is no database called “${target.database}” on the sync server at ${server}. Create it there first (see Sync in the README). ${nothing}` };
  // Reached only when even one record at a time is too large (the engine sends large uploads apart first).
  if (e.status === 413) {
    return {
      code: 'unsupported',
      problem: 'a change is too large for the server',
      message: `The sync server at ${server} turned down a change as larger than it accepts in one request. Raise its limit (CouchDB's max_http_request_size and max_document_size), then sync again. ${nothing}`,
    };
  }
  if (e.status === 507) return { code: 'disk_full', problem: 'the server is full', message: `The sync server at ${server} is full and refused the changes. Free space on the server, then sync again.` };
  if (typeof e.status === 'number' && e.status >= 500) return { code: 'io_error', problem: 'the server reported an error', message: `The sync server at ${server} reported an error of its own (${e.status}). Try again later; your collection is safe on this computer.` };
  return null;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
