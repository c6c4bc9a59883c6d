import type { syncChannels } from '../../../shared/contract/sync';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../handlerTypes';
import { syncServiceFor } from './service';

export function makeSyncHandlers(ctx: CoreContext): HandlersOf<typeof syncChannels> {
  const sync = syncServiceFor(ctx);
  return {
    'sync.status': () => sync.status(),
    'sync.configure': (input) => sync.configure(input),
    'sync.now': () => sync.syncNow(),
    'sync.conflicts': () => sync.conflicts(),
    'sync.restore': ({ id }) => sync.restore(id),
    'sync.dismiss': ({ id }) => sync.dismiss(id),
  };
}
