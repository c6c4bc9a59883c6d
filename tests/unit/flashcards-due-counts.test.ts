// Each deck's own counts of cards that could be shown today (flashcards/dueCounts.ts) are kept between
// study calls and follow each answer instead of being counted again. Whatever path they take (an exact
// count moved up or down, or a count read to its end that only says "at least"), the counts shown must
// be the ones a fresh count gives, after every answer.
import { afterEach, expect, it } from 'vitest';
import { COUNT_SLACK, makeDueCounts, type CountedCard } from '../../electron/core/flashcards/dueCounts';
import { makeStudyQueue } from '../../electron/core/flashcards/queue';
import { studyConfig } from '../../electron/core/flashcards/studyConfig';
import { deckWithNotes, makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const DAY = 86_400_000;

it('follows answers exactly, also in a deck with more cards than a count reads', async () => {
  core = await makeTestCore();
  const CAP = 3;
  // More new cards than the count reads (the cap and its slack), so it starts as "at least".
  const { deck, cardIds } = await deckWithNotes(core, 'Big', CAP + COUNT_SLACK + 8);
  const db = core.ctx.db;
  const config = studyConfig(db);
  const day = makeStudyQueue(db).studyDay(core.clock.now());
  const kept = makeDueCounts(db);
  const cardsOf = db.prepare<[number], CountedCard>(
    'SELECT deck_id, state, due, suspended, buried_day FROM cards WHERE note_id = (SELECT note_id FROM cards WHERE id = ?)',
  );
  const setSchedule = db.prepare('UPDATE cards SET state = ?, due = ? WHERE id = ?');

  const counts = () => {
    const read = config.read();
    const set = { ...read.config.subtree(deck.id)!, newCap: CAP, reviewCap: CAP };
    const mine = kept.own(set, day, read, read.config.countJson).get(deck.id);
    const fresh = makeDueCounts(db).own(set, day, read, read.config.countJson).get(deck.id);
    return { mine, fresh, read };
  };
  /** An answer's write, told to the kept counts as study.answer tells them. */
  const answer = (cardId: number, state: number, due: number) => {
    const { mine, fresh, read: before } = counts();
    expect(mine).toEqual(fresh);
    const note = { before: cardsOf.all(cardId), after: [] as CountedCard[] };
    setSchedule.run(state, due, cardId);
    note.after = cardsOf.all(cardId);
    kept.answered(before, config.read(), note);
  };

  // Every new card answered: half come due again today (reviews counted up from none), half later.
  cardIds.forEach((id, i) => answer(id, 2, i % 2 ? day.start : day.end + 10 * DAY));
  expect(counts().fresh).toEqual({ new: 0, review: CAP, learning: 0 });
  // Then the reviews due today answered one by one, down to none.
  cardIds.forEach((id, i) => i % 2 && answer(id, 2, day.end + 20 * DAY));
  const last = counts();
  expect(last.mine).toEqual(last.fresh);
  expect(last.fresh).toEqual({ new: 0, review: 0, learning: 0 });
});
