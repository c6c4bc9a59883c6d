// Sync test harness: one CouchDB-protocol server per test file, and "machines" (a Cadence core with its
// sync engine) that are closed after each test.
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { AutoSyncTiming } from '../../electron/core/sync/auto';
import { makeSyncEngine, type SyncEngine } from '../../electron/core/sync/engine';
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
