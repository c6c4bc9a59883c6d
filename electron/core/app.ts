import type { Notice } from '../../shared/contract/app';
import { consoleLogger, systemClock, type Clock, type CoreContext, type Emit, type Logger } from './context';
import { openCollection } from './db/open';
import { pathsFor } from './db/paths';
import { makeHandlers, type Handlers } from './handlers';
import { registerRecallFunction } from './flashcards/retrievability';

export interface StartOptions {
  dataDir: string;
  assetsDir: string;
  appVersion: string;
  mode: CoreContext['mode'];
  clock?: Clock;
  log?: Logger;
  emit?: Emit;
}

export interface Core {
  ctx: CoreContext;
  handlers: Handlers;
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
  return {
    ctx,
    handlers,
    close: () => {
      if (db.open) db.close();
    },
  };
}
