import path from 'node:path';
import { makeSyncEngine, type SyncEngine } from '../../electron/core/sync/engine';
import type { TestCore } from './testCore';

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
