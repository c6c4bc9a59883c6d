import { studyDate } from '../../../shared/studyDay';
import type { Today } from '../../../shared/contract/curriculum';
import type { CoreContext } from '../context';
import { makeDeckSummaries } from '../flashcards/deckSummaries';
import { makeSettingsStore } from '../settings';
import { makeStreak } from '../stats/streak';
import type { Checkins } from './checkins';
import type { Curricula } from './curricula';
import { makeRenewalsProvider } from './renewals';

/** The home screen in one call: due cards per deck, curricula, renewals, the next check-in, streak and goal. */
export function makeToday(ctx: CoreContext, curricula: Curricula, checkins: Checkins) {
  const settings = makeSettingsStore(ctx.db);
  const summaries = makeDeckSummaries(ctx);
  const streaks = makeStreak(ctx.db);
  const renewals = makeRenewalsProvider(ctx);

  function get(): Today {
    const now = ctx.clock.now();
    const s = settings.get();
    const today = studyDate(now, s.dayRolloverHour);
    const decks = summaries.list();
    const due = { newCards: 0, learning: 0, review: 0 };
    for (const d of decks) {
      if (d.parentId !== null) continue; // top-level counts already include their subdecks
      due.newCards += d.counts.newDue;
      due.learning += d.counts.learningDue;
      due.review += d.counts.reviewDue;
    }
    return {
      today,
      now,
      decks,
      due,
      curricula: curricula.list(),
      renewals: renewals(),
      checkin: checkins.upcoming(1)[0] ?? null,
      streak: streaks.streak(now, s.dayRolloverHour),
      goal: { target: s.dailyGoalCards, done: streaks.cardsStudiedToday(now, s.dayRolloverHour) },
    };
  }

  return { get };
}
