import type { Notice } from '../../shared/contract/app';
import type { EventName } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { consoleLogger, systemClock, type Clock, type CoreContext, type Db, type Emit, type Logger, type RecoverResult } from './context';
import fs from 'node:fs';
import { ensureDataFolder, openCollection, recoverFromBackup, recoveryMarker } from './db/open';
import { pathsFor } from './db/paths';
import { lockDataFolder, type LockOwner } from './db/lock';
import { keepWal, type WalKeeper } from './db/walKeeper';
import { keepSearchIndexes, type SearchIndexKeeper } from './flashcards/searchIndexFill';
import { makeHandlers, type Handlers } from './handlers';
import { seedStarterDecks } from './flashcards/starterDecks';
import { makeGate } from './gate';
import { makeHealth } from './health';
import { startupMaintenance } from './db/maintenance';
import { faultOf } from './faults';
import type { SecretSealer } from './sync/credentials';
import { timingFromEnv, type AutoSyncTiming } from './sync/auto';
import { syncServiceFor } from './sync/service';

export interface StartOptions {
  dataDir: string;
  assetsDir: string;
  appVersion: string;
  mode: CoreContext['mode'];
  clock?: Clock;
  log?: Logger;
  emit?: Emit;
  /** Load the starter decks into a collection that has never had them (default true; tests turn it off). */
  starterDecks?: boolean;
  /** Seals secrets with the system keychain (the desktop app passes Electron safeStorage; see sync/credentials.ts). */
  secrets?: SecretSealer;
  /** Run the start-up integrity check and daily backup after opening (default true; most tests turn it off). */
  dailyMaintenance?: boolean;
  /** Fill the substring index in the background after imports (default true; tests that look at notes waiting for it turn it off). */
  searchFill?: boolean;
  /** Automatic sync's rhythm (default: from CADENCE_SYNC_INTERVAL_S, else every 5 minutes; see sync/auto.ts). */
  syncTiming?: AutoSyncTiming;
}

export interface Core {
  /** The context and handlers of the open collection; a recovery replaces both, so read them afresh. */
  readonly ctx: CoreContext;
  readonly handlers: Handlers;
  /** Hears everything the core announces (ctx.emit), besides the transport; returns the unsubscribe. */
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  /** The start-up integrity check and daily backup, started after opening (tests await it). */
  maintenance: Promise<void>;
  /** Adds to what a second copy of Cadence is told about this one (browser mode's address). */
  describe(extra: Partial<LockOwner>): void;
  /** Runs one round of the write-ahead log's housekeeping now (tests; the timer runs it every 2 s). */
  tickWal(): void;
  /** Resolves once both search indexes hold every note (they are filled after imports, in the background). */
  searchIndexed(): Promise<void>;
  close(): void;
}

/**
 * A start-up failure in the user's words. Cadence's own refusals (AppError) already are; a full disk,
 * a read-only folder or a disk error met while opening becomes one here. Anything else is a bug.
 */
function startupProblem(err: unknown, dataDir: string): unknown {
  if (err instanceof AppError) return err;
  const fault = faultOf(err, dataDir);
  const where = `its collection in ${dataDir}`;
  switch (fault) {
    case 'disk_full':
      return new AppError('disk_full', `Your disk is full, so Cadence could not open ${where}: it needs a little room to start. Free some space, then start Cadence again. Nothing was changed.`);
    case 'read_only':
      return new AppError('read_only', `Cadence cannot write to ${where} (it is read-only), so nothing could be saved. Make the folder and its files writable again, then start Cadence.`);
    case 'busy':
      return new AppError('busy', `Another program is holding ${where} locked. Close it (a backup or sync tool, perhaps), then start Cadence again.`);
    case 'io_error':
      return new AppError('io_error', `Cadence could not read ${where}: the disk reported an error. Check that the disk is connected and healthy, then start Cadence again.`);
    default:
      return err;
  }
}

/** Opens the collection and builds the handlers: what Electron main, browser mode and tests all start with. */
export async function startCore(options: StartOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? consoleLogger;
  const paths = pathsFor(options.dataDir, options.assetsDir);
  const listeners: Emit[] = options.emit ? [options.emit] : [];
  // What is announced has happened (committed): one listener failing must not keep it from the others,
  // nor turn the change into an error for the request that made it.
  const emit: Emit = (name, payload) => {
    for (const l of listeners) {
      try {
        l(name, payload);
      } catch (err) {
        log.error(`A listener of ${name} failed`, err);
      }
    }
  };
  const gate = makeGate();

  ensureDataFolder(paths);
  // One writer per data folder: a second copy is refused here, before the collection is touched.
  const lock = lockDataFolder(paths.dataDir, { pid: process.pid, mode: options.mode, appVersion: options.appVersion, startedAt: clock.now() });

  interface Open {
    ctx: CoreContext;
    handlers: Handlers;
    keeper: WalKeeper;
    searchIndexes: SearchIndexKeeper;
    /** Stops automatic sync and stops hearing events. */
    stopSync(): void;
  }
  // Set by the first open below; replaced by a recovery.
  let current = undefined as unknown as Open;

  function build(db: Db, notices: Notice[]): Open {
    const health = makeHealth({ db, paths, log, emit, now: () => clock.now() });
    const ctx: CoreContext = { db, clock, paths, log, appVersion: options.appVersion, mode: options.mode, notices, gate, emit, health, recover };
    if (options.secrets) ctx.secrets = options.secrets;
    const sync = syncServiceFor(ctx, { timing: options.syncTiming ?? timingFromEnv(process.env) });
    const handlers = makeHandlers(ctx);
    const searchIndexes = keepSearchIndexes({ db, gate, health }, { background: options.searchFill !== false });
    listeners.push(sync.heard, searchIndexes.heard);
    sync.startAutomatic();
    const stopSync = () => {
      for (const l of [sync.heard, searchIndexes.heard]) {
        const i = listeners.indexOf(l);
        if (i >= 0) listeners.splice(i, 1);
      }
      void sync.stop();
    };
    return { ctx, handlers, keeper: keepWal(db, paths.dbFile, health, () => clock.now()), searchIndexes, stopSync };
  }

  function closeCurrent(checkpoint: boolean): void {
    const { ctx, keeper, searchIndexes, stopSync } = current;
    keeper.stop();
    searchIndexes.stop();
    stopSync();
    if (!ctx.db.open) return;
    try {
      if (checkpoint && !ctx.db.inTransaction && !ctx.health.isDamaged()) ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (err) {
      log.warn('The last checkpoint before closing failed; the log is kept and read at the next start', err);
    }
    try {
      ctx.db.close();
    } catch (err) {
      log.warn('Closing the collection failed', err);
    }
  }

  /** See CoreContext.recover. Runs alone: requests wait at the gate while the collection is replaced. */
  function recover(): Promise<RecoverResult> {
    return gate.exclusive(async () => {
      closeCurrent(false);
      const recovery = recoverFromBackup(paths, log, clock.now(), 'damaged');
      let opened;
      try {
        opened = await openCollection({ paths, clock, log, appVersion: options.appVersion });
      } catch (err) {
        const problem = startupProblem(err, paths.dataDir);
        throw new AppError(
          'damaged',
          `Cadence could not finish the recovery: ${problem instanceof AppError ? problem.message : String(err)} ` +
            'Quit Cadence and start it again; it finishes the recovery when it starts.',
        );
      }
      current = build(opened.db, [recovery.notice, ...opened.notices]);
      if (recovery.restoredFrom === null && options.starterDecks !== false) seedStarterDecks(current.ctx);
      emit('app.health', current.ctx.health.status());
      emit('data.changed', { topics: ['decks', 'notes', 'cards', 'study', 'stats', 'settings', 'backups', 'certifications', 'curriculum', 'reminders'] });
      return { restoredFrom: recovery.restoredFrom, keptAs: recovery.keptAs, message: recovery.notice.message };
    });
  }

  async function openAndBuild(): Promise<void> {
    const { db, notices } = await openCollection({ paths, clock, log, appVersion: options.appVersion });
    try {
      current = build(db, notices);
      if (options.starterDecks !== false) seedStarterDecks(current.ctx);
    } catch (err) {
      if (db.open) db.close();
      throw err;
    }
  }

  try {
    try {
      await openAndBuild();
    } catch (err) {
      // Damage past the schema met while preparing (a damaged search index): recover as at the door.
      if (faultOf(err, paths.dataDir) !== 'damaged') throw err;
      log.error('The collection is damaged beyond its schema; recovering from a backup', err);
      fs.writeFileSync(recoveryMarker(paths), `${new Date(clock.now()).toISOString()} opening: ${String((err as Error).message)}\n`);
      await openAndBuild();
    }
  } catch (err) {
    lock.release();
    throw startupProblem(err, paths.dataDir);
  }
  if (lock.previousRunEndedUncleanly) log.info('The last run of Cadence did not close cleanly; the start-up check looks over the collection.');
  const maintenance = options.dailyMaintenance === false ? Promise.resolve() : startupMaintenance(current.ctx, () => current.keeper.whenQuiet());

  return {
    get ctx() {
      return current.ctx;
    },
    get handlers() {
      return current.handlers;
    },
    onEvent: (listener) => {
      listeners.push(listener);
      return () => {
        const i = listeners.indexOf(listener);
        if (i >= 0) listeners.splice(i, 1);
      };
    },
    maintenance,
    describe: (extra) => lock.describe(extra),
    tickWal: () => current.keeper.tick(),
    searchIndexed: () => current.searchIndexes.whenFilled(),
    close: () => {
      closeCurrent(true);
      lock.release();
    },
  };
}
