import type { fsrsChannels } from '../../../shared/contract/fsrs';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../handlerTypes';
import { makeFsrsService } from './service';

export function makeFsrsHandlers(ctx: CoreContext): HandlersOf<typeof fsrsChannels> {
  const fsrs = makeFsrsService(ctx);
  return {
    'fsrs.status': ({ presetId }) => fsrs.status(presetId),
    'fsrs.optimize': ({ jobId, presetId, deckId }) => fsrs.optimize(jobId, presetId, deckId),
    'fsrs.cancel': ({ jobId }) => {
      fsrs.cancel(jobId);
      return { ok: true as const };
    },
    'fsrs.apply': ({ fitId, force, reschedule, jobId }) => fsrs.apply(fitId, force, reschedule, jobId),
    'fsrs.restore': ({ presetId }) => fsrs.restore(presetId),
    'fsrs.discard': ({ fitId }) => fsrs.discard(fitId),
    'fsrs.simulate': (input) => fsrs.simulate(input),
  };
}
