import type { Notice } from '../../shared/contract/app';
import type { EventName } from '../../shared/contract';
import { consoleLogger, systemClock, type Clock, type CoreContext, type Emit, type Logger } from './context';
import { openCollection } from './db/open';
import { pathsFor } from './db/paths';
import { makeHandlers, type Handlers } from './handlers';
import { seedStarterDecks } from './flashcards/starterDecks';
import { makeGate } from './gate';
import { dailyMaintenance } from './db/maintenance';

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
  /** Run the daily integrity check and backup after opening (default true; most tests turn it off). */
  dailyMaintenance?: boolean;
}

export interface Core {
  ctx: CoreContext;
  handlers: Handlers;
  /** Hears everything the core announces (ctx.emit), besides the transport; returns the unsubscribe. */
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  /** The day's integrity check and backup, started after opening (tests await it). */
  maintenance: Promise<void>;
  close(): void;
}

/**
 * How often the write-ahead log is folded back into the database while Cadence runs. Each checkpoint
 * flushes the log to disk first, so this is also how long a commit can wait to survive a power cut.
 */
const CHECKPOINT_EVERY_MS = 2_000;

/** Opens the collection and builds the handlers: what Electron main, browser mode and tests all start with. */
export async function startCore(options: StartOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? consoleLogger;
  const paths = pathsFor(options.dataDir, options.assetsDir);
  const { db, notices } = await openCollection({ paths, clock, log, appVersion: options.appVersion });
  const listeners: Emit[] = options.emit ? [options.emit] : [];
  const ctx: CoreContext = {
    db,
    clock,
    paths,
    log,
    appVersion: options.appVersion,
    mode: options.mode,
    notices: notices as Notice[],
    gate: makeGate(),
    emit: (name, payload) => {
      for (const l of listeners) l(name, payload);
    },
  };
  const handlers = makeHandlers(ctx);
  if (options.starterDecks !== false) seedStarterDecks(ctx);
  const maintenance =
    options.dailyMaintenance === false ? Promise.resolve() : dailyMaintenance(ctx).catch((err: unknown) => log.error('Daily integrity check and backup failed', err));
  // Automatic checkpoints are off (open.ts) so no answer pays for one; fold the log in between requests.
  const checkpoints = setInterval(() => {
    if (db.open && !db.inTransaction) db.pragma('wal_checkpoint(PASSIVE)');
  }, CHECKPOINT_EVERY_MS);
  checkpoints.unref();
  return {
    ctx,
    handlers,
    onEvent: (listener) => {
      listeners.push(listener);
      return () => {
        const i = listeners.indexOf(listener);
        if (i >= 0) listeners.splice(i, 1);
      };
    },
    maintenance,
    close: () => {
      clearInterval(checkpoints);
      if (!db.open) return;
      if (!db.inTransaction) db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
