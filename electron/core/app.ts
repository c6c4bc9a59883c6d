import type { Notice } from '../../shared/contract/app';
import { consoleLogger, systemClock, type Clock, type CoreContext, type Emit, type Logger } from './context';
import { openCollection } from './db/open';
import { pathsFor } from './db/paths';
import { makeHandlers, type Handlers } from './handlers';
import { registerRecallFunction } from './flashcards/retrievability';
import { seedStarterDecks } from './flashcards/starterDecks';

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
}

export interface Core {
  ctx: CoreContext;
  handlers: Handlers;
  /** Hears everything the core announces (ctx.emit), besides the transport; returns the unsubscribe. */
  onEvent(listener: Emit): () => void;
  close(): void;
}

/** Opens the collection and builds the handlers: what Electron main, browser mode and tests all start with. */
export async function startCore(options: StartOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? consoleLogger;
  const paths = pathsFor(options.dataDir, options.assetsDir);
  const { db, notices } = await openCollection({ paths, clock, log, appVersion: options.appVersion });
  registerRecallFunction(db);
  const listeners: Emit[] = options.emit ? [options.emit] : [];
  const ctx: CoreContext = {
    db,
    clock,
    paths,
    log,
    appVersion: options.appVersion,
    mode: options.mode,
    notices: notices as Notice[],
    emit: (name, payload) => {
      for (const l of listeners) l(name, payload);
    },
  };
  const handlers = makeHandlers(ctx);
  if (options.starterDecks !== false) seedStarterDecks(ctx);
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
    close: () => {
      if (db.open) db.close();
    },
  };
}
