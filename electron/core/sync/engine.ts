// Sync through CouchDB replication, with PouchDB as the client, in the main process. Each machine keeps
// a local replica (PouchDB on LevelDB, in the data folder) between its SQLite collection and the user's
// CouchDB-compatible server. One sync:
//
//   1. the server is asked whether it is there and lets us in (nothing changes if not);
//   2. local changes (the outbox) are written into the replica, each as a child of the version this
//      machine last had, so an edit made elsewhere meanwhile becomes a CouchDB conflict, not a loss;
//   3. the replica and the server replicate both ways (CouchDB's protocol, checkpointed by PouchDB);
//   4. the replica's changes feed is applied to SQLite in batches, one transaction each, with how far
//      it got; conflicts are resolved by the rule in docs.ts, identically on every machine, the losers
//      kept as conflict documents and their branches closed;
//   5. what step 4 wrote to the replica is sent to the server.
//
// A sync killed anywhere resumes cleanly: the outbox is cleared only after the replica has the
// documents, the feed position moves only with the batch it covers, and replication checkpoints.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { Clock, Db, Logger } from '../context';
import { codecForServer, plainCodec, type Codec } from './crypt';
import { conflictIdFor, kindOf, resolve, sameContent, type AnyBody, type ConflictDoc, type SyncBody, type Version } from './docs';
import { makeSyncStore, type Incoming, type Outgoing, type SyncStore } from './store';
import { describeSyncFailure, remoteUrlOf, SyncFailure, type SyncTarget } from './target';
import { loadPouch, type Pouch, type PouchDoc, type Replication } from './pouch';

type Replica = Pouch;

const REPLICA_MARKER = '_local/cadence-replica';

export interface SyncResult {
  sent: number;
  received: number;
  conflicts: number;
}

/** How far a sync got, reported after each batch: `total` where it is known. */
export interface SyncProgress {
  phase: 'sending' | 'uploading' | 'downloading' | 'applying';
  done: number;
  total: number | null;
}

export interface SyncEngineOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  /** The local replica's folder (inside the data folder). */
  replicaDir: string;
  /** Documents per batch written or applied (tests make it small to cross batch edges). */
  batchSize?: number;
}

function newRev(generation: number): string {
  return `${generation}-${randomUUID().replace(/-/g, '')}`;
}

function bodyOf(doc: PouchDoc): AnyBody {
  const { _id: _i, _rev: _r, _conflicts: _c, _revisions: _v, ...body } = doc;
  void _i;
  void _r;
  void _c;
  void _v;
  return body as unknown as AnyBody;
}

export function makeSyncEngine(options: SyncEngineOptions) {
  const { db, clock, log, replicaDir } = options;
  const batchSize = options.batchSize ?? 500;
  const store: SyncStore = makeSyncStore(db);
  let running: Promise<unknown> | null = null;
  // The current sync's way of sealing and opening bodies (crypt.ts), and whom to tell how far it got.
  let codec: Codec = plainCodec;
  let progress: (p: SyncProgress) => void = () => {};
  const bodyOfDoc = (doc: PouchDoc): AnyBody => codec.open(doc._id, bodyOf(doc) as unknown as Record<string, unknown>) as AnyBody;

  /**
   * The replica belongs to one collection, marked with its device id (see store.adoptAsCopy), and to one
   * encryption key or none: one made for another key is rebuilt from the collection (every record sent
   * again), so a replica holding plain documents never reaches an encrypted database, nor the reverse.
   */
  async function claimReplica(local: Replica): Promise<Replica> {
    let marker = await local.get(REPLICA_MARKER).catch(() => null);
    if (marker && (marker.encryption ?? null) !== codec.id) {
      await local.destroy();
      local = new (await loadPouch())(replicaDir, { auto_compaction: true });
      store.resendAll();
      marker = null;
    }
    if (marker && marker.device === store.state().device_id) return local;
    store.adoptAsCopy();
    await local.put({ _id: REPLICA_MARKER, ...(marker ? { _rev: marker._rev } : {}), device: store.state().device_id, encryption: codec.id });
    return local;
  }

  /**
   * Writes documents into the replica, each as a child of the version this machine last had. Explicit
   * revisions, as CouchDB's replicator writes them: an edit made elsewhere meanwhile becomes a conflict.
   */
  async function write(local: Replica, docs: Outgoing[]): Promise<{ doc: Outgoing; docId: string; rev: string }[]> {
    const written = docs.map((doc) => {
      const base = store.knownRev(doc.docId);
      const generation = base ? Number.parseInt(base, 10) + 1 : 1;
      const rev = newRev(generation);
      const ids = [rev.slice(rev.indexOf('-') + 1)];
      if (base) ids.push(base.slice(base.indexOf('-') + 1));
      return { doc, docId: doc.docId, rev, json: { ...codec.seal(doc.docId, doc.body), _id: doc.docId, _rev: rev, _revisions: { start: generation, ids } } as PouchDoc };
    });
    if (written.length) await local.bulkDocs(written.map((w) => w.json), { new_edits: false });
    return written;
  }

  /** Step 2: the outbox (and conflicts dismissed here) into the replica. Returns how many documents were written. */
  async function exportOutbox(local: Replica): Promise<number> {
    const resolvedHere = await write(local, store.unsentConflicts());
    store.conflictsSent(resolvedHere);
    let count = resolvedHere.length;
    const total = store.pending();
    let done = 0;
    for (;;) {
      const { docs, skipped } = store.outgoing(batchSize, clock.now());
      if (docs.length === 0 && skipped.length === 0) return count;
      const written = await write(local, docs);
      store.sent(written, skipped);
      count += written.length;
      done += docs.length + skipped.length;
      progress({ phase: 'sending', done: Math.min(done, total), total });
    }
  }

  /**
   * A document's winning version by the rule of docs.ts. Where replication left a conflict, each
   * losing version that says something different is kept as a conflict document, and every losing
   * branch is closed, so the winner is also CouchDB's from now on.
   */
  async function settle(local: Replica, docId: string, current: PouchDoc): Promise<{ version: Version; conflicts: number }> {
    const leafRevs = (current._conflicts as string[] | undefined) ?? [];
    const currentVersion: Version = { rev: current._rev as string, body: bodyOfDoc(current) };
    if (leafRevs.length === 0) return { version: currentVersion, conflicts: 0 };
    const others = await Promise.all(leafRevs.map(async (rev) => ({ rev, body: bodyOfDoc(await local.get(docId, { rev })) })));
    const { winner, losers } = resolve([currentVersion, ...others]);
    let conflicts = 0;
    for (const loser of losers) {
      if (!sameContent(loser.body, winner.body) && loser.body.type !== 'conflict') {
        const keep: ConflictDoc = { type: 'conflict', of: docId, loser: loser.body as SyncBody, winnerEditedAt: (winner.body as SyncBody).editedAt };
        conflicts++;
        const keepId = conflictIdFor(docId, loser.rev);
        await local.put({ ...codec.seal(keepId, keep), _id: keepId } as PouchDoc).catch(ignoreConflict);
      }
      await local.remove(docId, loser.rev).catch(ignoreConflict);
    }
    return { version: winner, conflicts };
  }

  /** Step 4: the replica's changes since last time, into SQLite, a batch per transaction. */
  async function importChanges(local: Replica): Promise<{ received: number; conflicts: number }> {
    let received = 0;
    let conflicts = 0;
    const first = Number(store.state().last_seq) || 0;
    const total = Math.max(0, Number((await local.info()).update_seq) - first) || null;
    for (;;) {
      const since = store.state().last_seq;
      const feed = await local.changes({ since: Number(since) || 0, limit: batchSize, include_docs: true, conflicts: true });
      if (feed.results.length === 0) return { received, conflicts };
      const incoming = new Map<string, Incoming>();
      for (const change of feed.results) {
        const doc = change.doc;
        // Not a record (the server's encryption settings, or a kind from a newer Cadence): nothing to apply.
        if (!doc || change.deleted || doc._deleted || kindOf(change.id) === null) continue;
        const settled = await settle(local, change.id, doc);
        conflicts += settled.conflicts;
        if (store.knownRev(change.id) === settled.version.rev) continue; // written or applied here already
        incoming.set(change.id, { docId: change.id, rev: settled.version.rev, body: settled.version.body });
      }
      // What these documents refer to (a note's deck, a review's note) that arrived earlier but is further on in the feed.
      let wanted = [...incoming.values()].flatMap((d) => store.missingRefs(d.body)).filter((id) => !incoming.has(id));
      while (wanted.length) {
        const next: string[] = [];
        for (const id of new Set(wanted)) {
          const doc = await local.get(id, { conflicts: true }).catch(() => null);
          if (!doc) continue;
          const settled = await settle(local, id, doc);
          conflicts += settled.conflicts;
          const item = { docId: id, rev: settled.version.rev, body: settled.version.body };
          incoming.set(id, item);
          next.push(...store.missingRefs(item.body).filter((ref) => !incoming.has(ref)));
        }
        wanted = next;
      }
      store.apply([...incoming.values()], String(feed.last_seq), clock.now());
      received += incoming.size;
      const done = (Number(feed.last_seq) || 0) - first;
      progress({ phase: 'applying', done: total ? Math.min(done, total) : done, total });
    }
  }

  /** Replication one way, telling how many documents went after each batch. */
  async function replicate(phase: 'uploading' | 'downloading', replication: Replication, total: number | null): Promise<void> {
    let done = 0;
    await replication.on('change', (info) => {
      done += phase === 'uploading' ? info.docs_written : info.docs_read;
      progress({ phase, done: total ? Math.min(done, total) : done, total });
    });
  }

  async function run(target: SyncTarget): Promise<SyncResult> {
    const PouchDB = await loadPouch();
    const remote = new PouchDB(remoteUrlOf(target), {
      skip_setup: true,
      ...(target.username ? { auth: { username: target.username, password: target.password ?? '' } } : {}),
    });
    let local: Replica | null = null;
    try {
      // Step 1: nothing is touched until the server has answered.
      const info = await remote.info();
      if (info.error) throw Object.assign(new Error(info.reason ?? info.error), { status: info.error === 'not_found' ? 404 : 500, name: info.error });
      codec = await codecForServer(remote, info, target.passphrase, target.database);
      const firstTime = store.state().last_seq === '0';
      store.startTracking();
      // The replica is open only while a sync runs (LevelDB holds a lock on its folder).
      local = await claimReplica(new PouchDB(replicaDir, { auto_compaction: true }));
      const sent = await exportOutbox(local);
      // The first sync's totals are known: everything here goes up, everything there comes down.
      await replicate('uploading', local.replicate.to(remote, { batch_size: 200 }), firstTime ? Number((await local.info()).doc_count) || null : null);
      await replicate('downloading', local.replicate.from(remote, { batch_size: 200 }), firstTime ? Number(info.doc_count) || null : null);
      const { received, conflicts } = await importChanges(local);
      await local.replicate.to(remote, { batch_size: 200 });
      store.recordResult(clock.now(), null);
      return { sent, received, conflicts };
    } catch (err) {
      if (err instanceof AppError) {
        // Refused by Cadence itself (a wrong passphrase, a server encrypted or not): said as it is.
        store.recordResult(null, err.message);
        throw err;
      }
      const failure = describeSyncFailure(err, target);
      if (!failure) throw err;
      log.warn('Sync failed', err);
      store.recordResult(null, failure.message);
      throw new SyncFailure(failure.code, failure.message, failure.problem);
    } finally {
      codec = plainCodec;
      await remote.close().catch(() => {});
      await local?.close().catch(() => {});
    }
  }

  return {
    store,
    /** One sync with the server; a call while one runs gets that one's result. */
    syncNow(target: SyncTarget, onProgress?: (p: SyncProgress) => void): Promise<SyncResult> {
      running ??= (() => {
        progress = onProgress ?? (() => {});
        return run(target).finally(() => {
          running = null;
          progress = () => {};
        });
      })();
      return running as Promise<SyncResult>;
    },
    running: () => running !== null,
    /** Waits for a sync in progress to end (before the collection closes). */
    async close(): Promise<void> {
      await running?.catch(() => {});
    },
  };
}
export type SyncEngine = ReturnType<typeof makeSyncEngine>;

function ignoreConflict(err: unknown): void {
  const status = (err as { status?: number }).status;
  if (status !== 409 && status !== 404) throw err;
}
