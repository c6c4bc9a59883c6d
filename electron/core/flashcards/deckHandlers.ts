import type { CoreContext } from '../context';
import type { HandlersOf } from '../handlerTypes';
import type { deckChannels } from '../../../shared/contract/decks';
import { makeDeckStore } from './decks';
import { makeDeckSummaries } from './deckSummaries';
import { makePresetStore } from './presets';

export function makeDeckHandlers(ctx: CoreContext): HandlersOf<typeof deckChannels> {
  const decks = makeDeckStore(ctx.db);
  const summaries = makeDeckSummaries(ctx);
  const presets = makePresetStore(ctx.db);
  const changed = () => ctx.emit('data.changed', { topics: ['decks'] });
  return {
    'decks.list': () => ({ decks: summaries.list() }),
    'decks.create': ({ name, parentId }) => {
      const deck = decks.create(name, parentId, ctx.clock.now());
      changed();
      return deck;
    },
    'decks.rename': ({ id, name }) => {
      const deck = decks.rename(id, name, ctx.clock.now());
      changed();
      return deck;
    },
    'decks.move': ({ id, parentId }) => {
      const deck = decks.move(id, parentId, ctx.clock.now());
      changed();
      return deck;
    },
    'decks.deletePreview': ({ id }) => decks.deletePreview(id),
    'decks.delete': ({ id }) => {
      const result = decks.remove(id);
      changed();
      return result;
    },
    'decks.setPreset': ({ id, presetId, includeSubdecks }) => {
      decks.get(id);
      const result = { decks: presets.assign(includeSubdecks ? decks.subtreeIds(id) : [id], presetId, ctx.clock.now()) };
      ctx.emit('data.changed', { topics: ['decks', 'presets'] });
      return result;
    },
  };
}
