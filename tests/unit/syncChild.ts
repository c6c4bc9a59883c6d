// A Cadence that opens a collection and syncs it once, as its own process, so a test can kill it with
// SIGKILL in the middle (built to plain Node by sync-killed.test.ts). Arguments: data folder, server
// address, database, documents per batch. Prints "synced" when the sync ends.
import path from 'node:path';
import { startCore } from '../../electron/core/app';
import { silentLogger } from '../../electron/core/context';
import { makeSyncEngine } from '../../electron/core/sync/engine';

const [dataDir, url, database, batch, assetsDir] = process.argv.slice(2) as [string, string, string, string, string];
const clock = { now: () => Date.parse('2026-03-02T12:00:00Z') };
const core = await startCore({ dataDir, assetsDir, appVersion: 'test', mode: 'browser', starterDecks: false, dailyMaintenance: false, clock, log: silentLogger });
const engine = makeSyncEngine({ db: core.ctx.db, clock, log: silentLogger, replicaDir: path.join(dataDir, 'sync-replica'), batchSize: Number(batch) });
await engine.syncNow({ url, database });
console.log('synced');
core.close();
