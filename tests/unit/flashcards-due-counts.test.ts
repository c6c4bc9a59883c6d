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

const CAP = 3;

/**
 * Kept counts of one deck under a daily cap of CAP, beside a fresh count, and an answer's write told to
 * the kept counts as study.answer tells them (checking both agree before it).
 */
function keptCounts(deckId: number) {
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
    const set = { ...read.config.subtree(deckId)!, newCap: CAP, reviewCap: CAP };
    const mine = kept.own(set, day, read, read.config.countJson).get(deckId);
    const fresh = makeDueCounts(db).own(set, day, read, read.config.countJson).get(deckId);
    return { mine, fresh, read };
  };
  const answer = (cardId: number, state: number, due: number) => {
    const { mine, fresh, read: before } = counts();
    expect(mine).toEqual(fresh);
    const note = { before: cardsOf.all(cardId), after: [] as CountedCard[] };
    setSchedule.run(state, due, cardId);
    note.after = cardsOf.all(cardId);
    kept.answered(before, config.read(), note);
  };
  return { day, counts, answer, setSchedule };
}

it('follows answers exactly, also in a deck with more cards than a count reads', async () => {
  core = await makeTestCore();
  // More new cards than the count reads (the cap and its slack), so it starts as "at least".
  const { deck, cardIds } = await deckWithNotes(core, 'Big', CAP + COUNT_SLACK + 8);
  const { day, counts, answer } = keptCounts(deck.id);

  // Every new card answered: half come due again today (reviews counted up from none), half later.
  cardIds.forEach((id, i) => answer(id, 2, i % 2 ? day.start : day.end + 10 * DAY));
  expect(counts().fresh).toEqual({ new: 0, review: CAP, learning: 0 });
  // Then the reviews due today answered one by one, down to none.
  cardIds.forEach((id, i) => i % 2 && answer(id, 2, day.end + 20 * DAY));
  const last = counts();
  expect(last.mine).toEqual(last.fresh);
  expect(last.fresh).toEqual({ new: 0, review: 0, learning: 0 });
});

it('counts again only the kind that answers took below what is known, and keeps following the other', async () => {
  core = await makeTestCore();
  // More new cards and more reviews due today than a count reads: both start as "at least".
  const many = CAP + COUNT_SLACK + 4;
  const { deck, cardIds } = await deckWithNotes(core, 'Both', 2 * many);
  const { day, counts, answer, setSchedule } = keptCounts(deck.id);
  const reviews = cardIds.slice(many);
  for (const id of reviews) setSchedule.run(2, day.start, id);

  // Reviews answered for later days, past the point where their count is known; new cards waiting.
  reviews.forEach((id) => answer(id, 2, day.end + 5 * DAY));
  expect(counts().fresh).toEqual({ new: CAP, review: 0, learning: 0 });
  // Then new cards become reviews due today, one by one: reviews counted up, new cards down to none.
  cardIds.slice(0, many).forEach((id) => answer(id, 2, day.start));
  const last = counts();
  expect(last.mine).toEqual(last.fresh);
  expect(last.fresh).toEqual({ new: 0, review: CAP, learning: 0 });
});

it('reads the counts and the learning cards from the card index alone, with no temporary list of decks or states', async () => {
  core = await makeTestCore();
  const { deck } = await deckWithNotes(core, 'Plans', 3);
  const db = core.ctx.db;
  // The statements a queue prepares, up to its first card (the day's gathering included).
  const sources: string[] = [];
  const prepare = db.prepare.bind(db);
  Object.assign(db, { prepare: (sql: string) => (sources.push(sql), prepare(sql)) });
  try {
    expect(makeStudyQueue(db).next(deck.id, core.clock.now()).cardId).not.toBeNull();
  } finally {
    delete (db as { prepare?: unknown }).prepare;
  }
  const planOf = (sql: string) => {
    const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1]!, 0]));
    const positional = (sql.match(/\?/g) ?? []).map(() => 0);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
    const rows = (Object.keys(named).length ? plan.all(named) : plan.all(...positional)) as { detail: string }[];
    return rows.map((r) => r.detail);
  };
  const cardReads = sources.filter((sql) => /\bcards\b/.test(sql));
  expect(cardReads.length).toBeGreaterThan(4);
  for (const sql of cardReads) {
    const plan = planOf(sql);
    // An IN list is built as a temporary table on every call; a scan reads every card.
    expect(plan.filter((d) => d.startsWith('LIST SUBQUERY') || /^SCAN (cards|c)\b/.test(d)), sql).toEqual([]);
  }
  // What is counted (new, review, learning) comes from the index alone.
  const counting = cardReads.filter((sql) => /count\(\*\)/.test(sql));
  expect(counting.length).toBe(2);
  for (const sql of counting) {
    const searches = planOf(sql).filter((d) => /^SEARCH (cards|c)\b/.test(d));
    expect(searches.length).toBeGreaterThan(0);
    for (const d of searches) expect(d, sql).toContain('COVERING INDEX');
  }
});
