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
import { faultOf } from '../faults';
import type { Clock, Db, Logger } from '../context';
import { codecForServer, plainCodec, type Codec } from './crypt';
import { conflictIdFor, kindOf, mergeReminder, mergesVersions, resolve, sameContent, type AnyBody, type ConflictDoc, type ReminderDoc, type SyncBody, type Version } from './docs';
import { makeSyncStore, type Incoming, type Outgoing, type SyncStore } from './store';
import { describeSyncFailure, remoteUrlOf, SyncFailure, type SyncTarget } from './target';
import { loadPouch, type Pouch, type PouchDoc, type Replication } from './pouch';
import { exportMedia, fetchMedia, MEDIA_DAMAGED } from './media';
import { describeDoc, makeRefused, refusedProblem, refusedSummary, type RefusedDoc } from './refused';

type Replica = Pouch;

const REPLICA_MARKER = '_local/cadence-replica';
/** How far the replica's changes were sent apart to the server after it refused a whole request (push). */
const PUSH_APART_MARKER = '_local/cadence-push-apart';

/** How far pushApart got with a server: the replica's change sequence (0: from the start), and the two markers' revisions. */
interface ApartProgress {
  since: number | string;
  hereRev: string | undefined;
  thereRev: string | undefined;
}

export interface SyncResult {
  sent: number;
  received: number;
  conflicts: number;
  /** Documents set aside, by this collection or by the server (tried again at every later sync). */
  refused: RefusedDoc[];
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
  /** The media folder: its files travel as attachments (media.ts). Without it, media files do not sync. */
  mediaDir?: string;
  /** Documents per batch written, applied or replicated (tests make it small to cross batch edges). */
  batchSize?: number;
}

function newRev(generation: number): string {
  return `${generation}-${randomUUID().replace(/-/g, '')}`;
}

function bodyOf(doc: PouchDoc): AnyBody {
  const { _id: _i, _rev: _r, _conflicts: _c, _revisions: _v, _attachments: _a, ...body } = doc;
  void _a;
  void _i;
  void _r;
  void _c;
  void _v;
  return body as unknown as AnyBody;
}

export function makeSyncEngine(options: SyncEngineOptions) {
  const { db, clock, log, replicaDir } = options;
  const batchSize = options.batchSize ?? 1000;
  const store: SyncStore = makeSyncStore(db);
  const refused = makeRefused(db);
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
    // When the feed was applied to its end, nothing but these writes happens in the replica now (it is
    // open only while a sync runs): the feed moves past them instead of reading them all back in step 4
    // (on a first sync of a large collection, every document in it).
    const caughtUp = String((await local.info()).update_seq) === store.state().last_seq;
    const count = await writeOutbox(local);
    if (caughtUp && count > 0) store.apply([], String((await local.info()).update_seq), clock.now());
    return count;
  }

  async function writeOutbox(local: Replica): Promise<number> {
    const resolvedHere = await write(local, store.unsentConflicts());
    store.conflictsSent(resolvedHere);
    let count = resolvedHere.length;
    const total = store.pending();
    let done = 0;
    for (;;) {
      const { docs, skipped, changes } = store.outgoing(batchSize, clock.now());
      if (docs.length === 0 && skipped.length === 0) return count;
      const written = await write(local, docs);
      store.sent(written, skipped);
      count += written.length;
      done += changes;
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
    if (mergesVersions(winner.body)) return { version: await mergeVersions(local, docId, winner, losers), conflicts: 0 };
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

  /** The same reminder fired (or media file sent) on several machines: one merged version (docs.ts), the other branches closed. */
  async function mergeVersions(local: Replica, docId: string, winner: Version, losers: Version[]): Promise<Version> {
    for (const loser of losers) await local.remove(docId, loser.rev).catch(ignoreConflict);
    if (winner.body.type !== 'reminder') return winner;
    const merged = mergeReminder(winner.body as ReminderDoc, losers.map((l) => l.body).filter((b): b is ReminderDoc => b.type === 'reminder'));
    if (JSON.stringify(merged) === JSON.stringify(winner.body)) return winner;
    const { rev } = await local.put({ ...codec.seal(docId, merged), _id: docId, _rev: winner.rev } as PouchDoc);
    return { rev, body: merged };
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
      let wanted = [...incoming.values()].flatMap((d) => refsOf(d.body)).filter((id) => !incoming.has(id));
      while (wanted.length) {
        const next: string[] = [];
        for (const id of new Set(wanted)) {
          const doc = await local.get(id, { conflicts: true }).catch(() => null);
          if (!doc) continue;
          const settled = await settle(local, id, doc);
          conflicts += settled.conflicts;
          const item = { docId: id, rev: settled.version.rev, body: settled.version.body };
          incoming.set(id, item);
          next.push(...refsOf(item.body).filter((ref) => !incoming.has(ref)));
        }
        wanted = next;
      }
      for (const review of await reviewsOfRevived(local, [...incoming.values()])) if (!incoming.has(review.docId)) incoming.set(review.docId, review);
      if (options.mediaDir) for (const doc of await fetchMedia([local], incoming, codec, options.mediaDir)) setAsideMedia(doc);
      received += applyBatch(refsFirst([...incoming.values()]), String(feed.last_seq));
      const done = (Number(feed.last_seq) || 0) - first;
      progress({ phase: 'applying', done: total ? Math.min(done, total) : done, total });
    }
  }

  /**
   * A note deleted here and brought back by a newer edit made elsewhere comes back with its reviews: they
   * went with the deletion here, but no machine took them back, so they are fetched again from the replica
   * (the batches that carry any, applied again: what is here already stays as it is).
   */
  async function reviewsOfRevived(local: Replica, docs: Incoming[]): Promise<Incoming[]> {
    const revived = docs.filter((d) => d.body.type === 'note' && !d.body.deleted && store.knownRev(d.docId) !== null && !store.noteIsHere(d.docId));
    const reviews: Incoming[] = [];
    if (revived.length) {
      // Rare (an edit beat a deletion), so the batches are read whole rather than indexed by note.
      const notes = new Set(revived.map((d) => d.docId));
      const { rows } = await local.allDocs({ startkey: 'reviews:', endkey: 'reviews:\ufff0', include_docs: true });
      for (const row of rows) {
        if (!row.doc || row.doc._deleted) continue;
        const body = bodyOfDoc(row.doc);
        if (body.type === 'reviews' && body.cards.some((c) => notes.has(c.note))) reviews.push({ docId: row.id, rev: row.doc._rev as string, body });
      }
    }
    for (const note of revived) {
      const prefix = `review:${note.docId.slice('note:'.length)}:`;
      const { rows } = await local.allDocs({ startkey: prefix, endkey: `${prefix}\ufff0`, include_docs: true, conflicts: true });
      for (const row of rows) {
        if (!row.doc || row.doc._deleted) continue;
        const settled = await settle(local, row.id, row.doc);
        if (!(settled.version.body as { deleted?: boolean }).deleted) reviews.push({ docId: row.id, rev: settled.version.rev, body: settled.version.body });
      }
    }
    return reviews;
  }

  /**
   * Applies a batch in one transaction. A document this collection refuses (one it cannot read, or whose
   * change it will not make) would roll back its batch at every sync from now on: the batch is applied
   * again a document at a time, the refused one set aside and listed, the rest applied. A fault of the
   * disk or file is no refusal: it stops the sync, and the batch is tried whole next time.
   */
  function applyBatch(docs: Incoming[], lastSeq: string): number {
    try {
      store.apply(docs, lastSeq, clock.now());
      if (refused.any()) for (const d of docs) refused.clear(d.docId, 'in');
      return docs.length;
    } catch (err) {
      if (faultOf(err) !== null) throw err;
    }
    const here = store.state().last_seq;
    let applied = 0;
    for (const doc of inApplyOrder(docs)) if (applyOne(doc, here)) applied++;
    store.apply([], lastSeq, clock.now());
    return applied;
  }

  /**
   * One document in its own transaction (the feed position kept where it was); false when refused. A
   * document whose note or deck was set aside is set aside with it (applied, a review of a note not
   * here would be dropped), to come in together when that one does.
   */
  function applyOne(doc: Incoming, seq: string): boolean {
    // A batch of reviews is not held back whole for one note: its other reviews are applied, and it waits for that note (store.ts).
    const waitingFor = doc.body.type === 'reviews' ? [] : refsOf(doc.body).filter((id) => refusedIn().has(id));
    if (waitingFor.length) {
      const parent = refused.list().find((d) => d.docId === waitingFor[0] && d.direction === 'in')!;
      refused.add({ docId: doc.docId, direction: 'in', label: describeDoc(doc.docId, doc.body), reason: `it belongs to ${parent.label}, which was set aside`, at: clock.now() });
      return false;
    }
    try {
      store.apply([doc], seq, clock.now());
      refused.clear(doc.docId, 'in');
      return true;
    } catch (err) {
      if (faultOf(err) !== null) throw err;
      log.warn(`Sync set aside ${doc.docId}`, err);
      const reason =
        err instanceof AppError
          ? `Cadence could not apply it here (${err.message})`
          : 'it is not in a form this version of Cadence can read here; updating Cadence on this computer may let it through';
      refused.add({ docId: doc.docId, direction: 'in', label: describeDoc(doc.docId, doc.body), reason, at: clock.now() });
      return false;
    }
  }

  /** A media file whose bytes did not arrive whole: listed, and fetched again at the next sync (retryRefusedIn). */
  function setAsideMedia(doc: Incoming): void {
    refused.add({ docId: doc.docId, direction: 'in', label: describeDoc(doc.docId, doc.body), reason: MEDIA_DAMAGED, at: clock.now() });
  }

  /**
   * Documents refused on the way in at an earlier sync, tried again (an update may have taught Cadence
   * them); a media file's bytes are fetched again, from the replica or else straight from the server.
   */
  async function retryRefusedIn(local: Replica, remote: Replica): Promise<number> {
    let applied = 0;
    const docs: Incoming[] = [];
    for (const docId of refusedIn()) {
      const doc = await local.get(docId, { conflicts: true }).catch(() => null);
      if (!doc) {
        refused.clear(docId, 'in');
        continue;
      }
      const settled = await settle(local, docId, doc);
      docs.push({ docId, rev: settled.version.rev, body: settled.version.body });
    }
    // Cleared first, so each is judged again on its own merits (its note may get through this time).
    for (const d of docs) refused.clear(d.docId, 'in');
    if (options.mediaDir && docs.some((d) => d.body.type === 'media')) {
      const media = new Map(docs.filter((d) => d.body.type === 'media').map((d) => [d.docId, d]));
      const damaged = await fetchMedia([local, remote], media, codec, options.mediaDir);
      for (const doc of damaged) setAsideMedia(doc);
      docs.splice(0, docs.length, ...docs.filter((d) => !damaged.includes(d)));
    }
    for (const doc of inApplyOrder(docs)) if (applyOne(doc, store.state().last_seq)) applied++;
    return applied;
  }

  /** What a document refers to that is not here yet; nothing for a document this version cannot read (it is refused when applied). */
  function refsOf(body: AnyBody): string[] {
    try {
      return store.missingRefs(body);
    } catch {
      return [];
    }
  }

  /**
   * What a document refers to before it, among a batch (a deck moved under one made in the same sync
   * would otherwise find its parent missing and stay where it was). Kinds are ordered again, stably, by
   * store.apply.
   */
  function refsFirst(docs: Incoming[]): Incoming[] {
    const byId = new Map(docs.map((d) => [d.docId, d]));
    const ordered: Incoming[] = [];
    const seen = new Set<string>();
    const visit = (doc: Incoming): void => {
      if (seen.has(doc.docId)) return;
      seen.add(doc.docId);
      for (const ref of refsOf(doc.body)) {
        const first = byId.get(ref);
        if (first) visit(first);
      }
      ordered.push(doc);
    };
    docs.forEach(visit);
    return ordered;
  }

  /** A document's body for naming it; one that cannot be opened (another key) is named by its id. */
  function readable(doc: PouchDoc): AnyBody | null {
    try {
      return bodyOfDoc(doc);
    } catch {
      return null;
    }
  }

  function refusedIn(): Set<string> {
    return new Set(refused.any() ? refused.list().filter((d) => d.direction === 'in').map((d) => d.docId) : []);
  }

  /**
   * Sends the replica's changes to the server. A document the server turns down (its validate function,
   * or a user allowed to write only some documents) is listed, not lost; the ones refused before are
   * offered again first, on their own. A whole request turned down (too large for the server's limit)
   * does not stop the sync: what is left is sent apart (sendApart).
   */
  async function push(local: Replica, remote: Replica, total: number | null): Promise<void> {
    const before = refused.list().filter((d) => d.direction === 'out');
    if (before.length) {
      const revs: Record<string, string[]> = {};
      for (const d of before) {
        const doc = await local.get(d.docId, { conflicts: true }).catch(() => null);
        if (doc) revs[d.docId] = [doc._rev as string, ...((doc._conflicts as string[] | undefined) ?? [])];
        else refused.clear(d.docId, 'out');
      }
      const still = new Map((await sendMissing(local, remote, revs)).map((f) => [f.id, f]));
      for (const d of before) {
        const failed = still.get(d.docId);
        if (failed) await setAsideOut(local, failed);
        else refused.clear(d.docId, 'out');
      }
    }
    // A server that needed the fallback before gets the changes that way at once: replication would
    // offer a record too large for it again at every sync, in ever smaller requests, before falling back.
    const apart = await apartProgress(local, remote);
    if (apart.since !== 0) return await pushApart(local, remote, apart);
    let result: unknown;
    try {
      result = await uploadInRequestsItTakes(local, remote, total);
    } catch (err) {
      if (!refusedWhole(err)) throw err;
      await pushApart(local, remote, apart);
      return;
    }
    for (const denied of deniedIn(result)) await setAsideOut(local, { id: denied.id, reason: `the sync server refused it${denied.message ? ` (“${denied.message}”)` : ''}` });
  }

  async function setAsideOut(local: Replica, failed: { id: string; reason: string }): Promise<void> {
    const doc = await local.get(failed.id).catch(() => null);
    refused.add({ docId: failed.id, direction: 'out', label: describeDoc(failed.id, doc ? readable(doc) : null), reason: failed.reason, at: clock.now() });
  }

  /**
   * After the server turned a whole replication request down: the replica's changes, from where this
   * fallback last got to with this server, are sent in batches split in half until the server takes
   * them; a document it refuses on its own is set aside. How far it got is kept on both sides, so a
   * server whose database was made again (or another server) is offered everything from the start.
   */
  async function pushApart(local: Replica, remote: Replica, progress: ApartProgress): Promise<void> {
    const markerId = apartMarkerId();
    let { since, hereRev, thereRev } = progress;
    for (;;) {
      const feed = await local.changes({ since, limit: batchSize, style: 'all_docs' });
      if (feed.results.length === 0) return;
      const revs = Object.fromEntries(feed.results.map((c) => [c.id, c.changes.map((x) => x.rev)]));
      for (const failed of await sendMissing(local, remote, revs)) await setAsideOut(local, failed);
      since = feed.last_seq;
      thereRev = (await remote.put({ _id: markerId, ...(thereRev ? { _rev: thereRev } : {}), seq: since })).rev;
      hereRev = (await local.put({ _id: markerId, ...(hereRev ? { _rev: hereRev } : {}), seq: since })).rev;
    }
  }

  const apartMarkerId = () => `${PUSH_APART_MARKER}-${store.state().device_id}`;

  /** Where pushApart last got to with this server (since 0: never, or the two sides disagree). */
  async function apartProgress(local: Replica, remote: Replica): Promise<ApartProgress> {
    const here = await local.get(apartMarkerId()).catch(() => null);
    const there = await remote.get(apartMarkerId()).catch(() => null);
    return {
      since: here && there && here.seq === there.seq ? (here.seq as number | string) : 0,
      hereRev: here?._rev as string | undefined,
      thereRev: there?._rev as string | undefined,
    };
  }

  /** Sends the revisions the server lacks among `revs`, apart; returns the documents it refused, each with why. */
  async function sendMissing(local: Replica, remote: Replica, revs: Record<string, string[]>): Promise<{ id: string; reason: string }[]> {
    if (Object.keys(revs).length === 0) return [];
    const diff = await remote.revsDiff(revs);
    const wanted = Object.entries(diff).flatMap(([id, d]) => (d.missing ?? []).map((rev) => ({ id, rev })));
    if (wanted.length === 0) return [];
    const got = await local.bulkGet({ docs: wanted, revs: true, attachments: true });
    const docs = got.results.flatMap((r) => r.docs.flatMap((d) => ('ok' in d ? [d.ok] : [])));
    return await sendApart(remote, docs);
  }

  /** Documents to the server, the batch halved while the server turns the whole request down. */
  async function sendApart(remote: Replica, docs: PouchDoc[]): Promise<{ id: string; reason: string }[]> {
    if (docs.length === 0) return [];
    try {
      const answers = (await remote.bulkDocs(docs, { new_edits: false })) as { id?: string; error?: string; reason?: string }[];
      return answers.filter((a) => a.error && a.id).map((a) => ({ id: a.id!, reason: `the sync server refused it${a.reason ? ` (“${a.reason}”)` : ''}` }));
    } catch (err) {
      if (!refusedWhole(err)) throw err;
      if (docs.length === 1) return [{ id: docs[0]!._id, reason: refusedWholeReason(err) }];
      const half = Math.ceil(docs.length / 2);
      return [...(await sendApart(remote, docs.slice(0, half))), ...(await sendApart(remote, docs.slice(half)))];
    }
  }

  /**
   * The upload, in requests of `batchSize` documents; a server (or a proxy before it) that turns a request
   * down as too large (413) gets the rest in smaller ones, down to one document a request. Replication
   * checkpoints, so what went before is not sent again.
   */
  async function uploadInRequestsItTakes(local: Replica, remote: Replica, total: number | null): Promise<unknown> {
    for (let size = batchSize; ; size = Math.max(1, Math.floor(size / 8))) {
      try {
        return await replicate('uploading', local.replicate.to(remote, { batch_size: size }), total);
      } catch (err) {
        if ((err as { status?: number }).status !== 413 || size === 1) throw err;
        log.warn(`Sync: the server found ${size} documents a request too large; sending fewer at a time`);
      }
    }
  }

  /** Replication one way, telling how many documents went after each batch. */
  async function replicate(phase: 'uploading' | 'downloading', replication: Replication, total: number | null): Promise<unknown> {
    let done = 0;
    return await replication.on('change', (info) => {
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
      await push(local, remote, firstTime ? Number((await local.info()).doc_count) || null : null);
      await replicate('downloading', local.replicate.from(remote, { batch_size: batchSize }), firstTime ? Number(info.doc_count) || null : null);
      // Media after hearing from the server, so a file it already has is not uploaded again.
      const media = options.mediaDir ? await exportMedia(local, store, codec, options.mediaDir, clock.now()) : 0;
      const retried = await retryRefusedIn(local, remote);
      const { received, conflicts } = await importChanges(local);
      // What applying queued here (reviews of a note brought back) goes in this sync, not the next.
      const late = store.hasPending() ? await exportOutbox(local) : 0;
      await push(local, remote, null);
      const setAside = refused.list();
      store.recordResult(clock.now(), refusedSummary(setAside), refusedProblem(setAside));
      return { sent: sent + media + late, received: received + retried, conflicts, refused: setAside };
    } catch (err) {
      if (err instanceof AppError) {
        // Refused by Cadence itself (a wrong passphrase, a server encrypted or not): said as it is.
        store.recordResult(null, err.message, err instanceof SyncFailure ? err.problem : null);
        throw err;
      }
      const failure = describeSyncFailure(err, target);
      if (!failure) throw err;
      log.warn('Sync failed', err);
      store.recordResult(null, failure.message, failure.problem);
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

/** The documents a replication's target turned down for want of permission (PouchDB goes on past them). */
function deniedIn(result: unknown): { id: string; message: string }[] {
  const errors = ((result as { errors?: unknown[] } | null)?.errors ?? []) as { id?: string; name?: string; message?: string; reason?: string }[];
  return errors
    .filter((e) => e.id && ['forbidden', 'unauthorized'].includes((e.name ?? '').toLowerCase()))
    .map((e) => ({ id: e.id!, message: e.reason ?? e.message ?? '' }));
}

/**
 * The server turned a whole request down, not the documents in it: too large for its limit on a
 * request's size (413), or a request it could not read as one (400). Sent in smaller parts, it may pass.
 */
function refusedWhole(err: unknown): boolean {
  const status = (err as { status?: number }).status;
  return status === 413 || status === 400;
}

/** Why the server would not take one document even on its own, in words. */
function refusedWholeReason(err: unknown): string {
  const e = err as { status?: number; reason?: string; message?: string };
  if (e.status === 413) return 'the sync server refused it as too large to take in one request (its limit on a request’s size is lower than this record)';
  const said = e.reason ?? e.message;
  return `the sync server refused it${said ? ` (“${said}”)` : ''}`;
}

/** Decks before the notes in them, notes before their reviews (as store.apply orders a batch). */
function inApplyOrder(docs: Incoming[]): Incoming[] {
  const order = (d: Incoming) => ['deck', 'note', 'review', 'reviews', 'conflict'].indexOf(d.body.type);
  return [...docs].sort((a, b) => order(a) - order(b));
}

function ignoreConflict(err: unknown): void {
  const status = (err as { status?: number }).status;
  if (status !== 409 && status !== 404) throw err;
}
