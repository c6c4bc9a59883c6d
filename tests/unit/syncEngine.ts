// Sync test harness: one CouchDB-protocol server per test file, and "machines" (a Cadence core with its
// sync engine) that are closed after each test.
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { AutoSyncTiming } from '../../electron/core/sync/auto';
import { makeSyncEngine, type SyncEngine } from '../../electron/core/sync/engine';
import type { SyncTarget } from '../../electron/core/sync/target';
import { fakeClock, makeTestCore, type TestCore } from './testCore';
import { startSyncServer, type SyncServer } from './syncServer';

export interface Machine {
  core: TestCore;
  sync: SyncEngine;
}

/** A sync engine for a test core, its replica in the core's data folder. */
export function syncFor(core: TestCore, batchSize?: number): SyncEngine {
  return makeSyncEngine({
    db: core.ctx.db,
    clock: core.clock,
    log: core.ctx.log,
    replicaDir: path.join(core.dataDir, 'sync-replica'),
    mediaDir: core.ctx.paths.mediaDir,
    ...(batchSize ? { batchSize } : {}),
  });
}

/** Starts the server for the file's tests and stops it after; cores made by machine() close after each test. */
export function syncSuite(prefix: string) {
  let server: SyncServer;
  beforeAll(async () => {
    server = await startSyncServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  const open: Machine[] = [];
  afterEach(async () => {
    for (const m of open.splice(0)) {
      await m.sync.close();
      m.core.close();
    }
  });
  let databases = 0;
  return {
    server: () => server,
    /** A fresh database on the server. */
    target: () => server.database(`${prefix}-${++databases}`),
    async machine(batchSize?: number, syncTiming?: AutoSyncTiming): Promise<Machine> {
      const core = await makeTestCore({ clock: fakeClock('2026-03-02T10:00:00Z'), ...(syncTiming ? { syncTiming } : {}) });
      const m = { core, sync: syncFor(core, batchSize) };
      open.push(m);
      return m;
    },
  };
}

/**
 * A collection as a learner sees it, in terms that mean the same on every machine (GUIDs and deck paths,
 * never local row ids): decks, notes with their cards' deck, suspension, flag and schedule, and the
 * review log. Two machines that converged give equal values.
 */
export function collectionOf(m: Machine) {
  const db = m.core.ctx.db;
  const paths = new Map<number, string>();
  const decks = db.prepare('SELECT id, name, parent_id FROM decks').all() as { id: number; name: string; parent_id: number | null }[];
  const byId = new Map(decks.map((d) => [d.id, d]));
  const pathOf = (id: number): string => {
    const known = paths.get(id);
    if (known) return known;
    const d = byId.get(id)!;
    const p = d.parent_id === null ? d.name : `${pathOf(d.parent_id)}::${d.name}`;
    paths.set(id, p);
    return p;
  };
  const notes = db.prepare('SELECT id, guid, note_type_id, fields, tags, format FROM notes ORDER BY guid').all() as {
    id: number; guid: string; note_type_id: number; fields: string; tags: string; format: string;
  }[];
  const cardsOf = db.prepare(
    `SELECT ord, deck_id, suspended, flag, state, CASE WHEN state = 0 THEN NULL ELSE due END AS due, round(stability, 6) AS stability,
            round(difficulty, 6) AS difficulty, reps, lapses FROM cards WHERE note_id = ? ORDER BY ord`,
  );
  return {
    decks: decks.map((d) => pathOf(d.id)).sort(),
    notes: notes.map((n) => ({
      guid: n.guid,
      noteType: n.note_type_id,
      fields: JSON.parse(n.fields) as string[],
      tags: n.tags,
      format: n.format,
      cards: (cardsOf.all(n.id) as { deck_id: number }[]).map(({ deck_id, ...card }) => ({ deck: pathOf(deck_id), ...card })),
    })),
    reviews: reviewsOf(m),
  };
}

/** Every review as `<note guid>:<template>:<answered at>:<rating>`, sorted (a review there twice is listed twice). */
export function reviewsOf(m: Machine): string[] {
  return m.core.ctx.db
    .prepare(
      `SELECT n.guid || ':' || c.ord || ':' || r.reviewed_at || ':' || r.rating FROM revlog r
         JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id ORDER BY 1`,
    )
    .pluck()
    .all() as string[];
}

/**
 * Syncs every machine in turn until a whole round moves nothing (every machine has then seen every
 * change); `before` runs before each sync (to move a machine's clock on).
 */
export async function syncUntilSettled(machines: Machine[], target: SyncTarget, before?: (m: Machine) => void): Promise<void> {
  for (let round = 0; round < 6; round++) {
    let moved = 0;
    for (const m of machines) {
      before?.(m);
      const r = await m.sync.syncNow(target);
      moved += r.sent + r.received + r.conflicts;
    }
    if (moved === 0) return;
  }
  throw new Error('sync did not settle in six rounds');
}
