import type { CoreContext } from './context';
import type { Handlers } from './handlerTypes';
import { makeAppHandlers } from './appHandlers';
import { makeDeckHandlers } from './flashcards/deckHandlers';
import { makeFlashcardsHandlers } from './flashcards/handlers';
import { makeCertificationsHandlers } from './certifications/handlers';
import { makeCurriculumHandlers } from './curriculum/handlers';
import { makeTransferHandlers } from './transfer/handlers';
import { makeStatsHandlers } from './stats/handlers';
import { makeFsrsHandlers } from './fsrs/handlers';
import { makeAboutHandlers } from './about';
import { makeExamHandlers } from './exams/handlers';
import { makeSyncHandlers } from './sync/handlers';

export type { Handlers } from './handlerTypes';

/** One handler per contract channel; the type makes a missing channel a compile error. */
export function makeHandlers(ctx: CoreContext): Handlers {
  return {
    ...makeAppHandlers(ctx),
    ...makeDeckHandlers(ctx),
    ...makeFlashcardsHandlers(ctx),
    ...makeCertificationsHandlers(ctx),
    ...makeCurriculumHandlers(ctx),
    ...makeTransferHandlers(ctx),
    ...makeStatsHandlers(ctx),
    ...makeFsrsHandlers(ctx),
    ...makeAboutHandlers(ctx),
    ...makeExamHandlers(ctx),
    ...makeSyncHandlers(ctx),
  };
}
