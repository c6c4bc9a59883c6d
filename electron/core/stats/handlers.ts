import type { CoreContext } from '../context';
import type { HandlersOf } from '../handlerTypes';
import type { statsChannels } from '../../../shared/contract/stats';
import { makeCollectionStats } from './collectionStats';

export function makeStatsHandlers(ctx: CoreContext): HandlersOf<typeof statsChannels> {
  const stats = makeCollectionStats(ctx);
  return {
    'stats.get': (input) => stats.get(input?.deckId ?? null),
  };
}
