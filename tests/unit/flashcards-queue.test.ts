// The study queue between calls: an answer that brings the next card with it, and the kept deck tree,
// presets and rollover hour, which must follow every write whichever channel (or connection) makes it.
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/context';
import { openSqlite } from '../../electron/core/db/sqlite';
import { makeStudyQueue } from '../../electron/core/flashcards/queue';
import { makeStudy } from '../../electron/core/flashcards/study';
import { studyConfig } from '../../electron/core/flashcards/studyConfig';
import { studiedToday, type Studied } from '../../electron/core/flashcards/studiedToday';
import type { StudyNext } from '../../shared/contract/flashcards';
import { studyDayEnd } from '../../shared/studyDay';
import { deckWithNotes, makeTestCore, type TestCore, inAddedOrder } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const MINUTE = 60_000;

const tables = (c: TestCore) => ({
  cards: c.ctx.db.prepare('SELECT * FROM cards ORDER BY id').all(),
  revlog: c.ctx.db.prepare('SELECT * FROM revlog ORDER BY id').all(),
  undo: c.ctx.db.prepare('SELECT * FROM undo_steps ORDER BY id').all(),
});

describe('answering with the next card', () => {
  it('returns what study.next shows after the answer, and leaves it out when no deck is given', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck: parent, cardIds } = await deckWithNotes(core, 'Parent', 3);
    await deckWithNotes(core, 'Child', 2, parent.id);

    const first = await core.call('study.next', { deckId: parent.id });
    expect(first.card?.id).toBe(cardIds[0]);
    const answered = await core.call('study.answer', { cardId: cardIds[0]!, rating: 3, durationMs: 2000, deckId: parent.id });
    expect(answered).toMatchObject({ cardId: cardIds[0], state: 'learning', leech: false, suspended: false });
    expect(answered.next).toEqual(await core.call('study.next', { deckId: parent.id }));
    expect(answered.next!.card?.id).toBe(cardIds[1]);
    expect(answered.next!.counts).toEqual({ new: 4, learning: 1, review: 0 });

    const plain = await core.call('study.answer', { cardId: cardIds[1]!, rating: 3, durationMs: 2000 });
    expect(plain).not.toHaveProperty('next');
  });

  it('reports the end of the session and when the learning cards come back', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck, cardIds } = await deckWithNotes(core, 'One', 1);
    const result = await core.call('study.answer', { cardId: cardIds[0]!, rating: 1, durationMs: 1000, deckId: deck.id });
    // Again puts the card a minute away: inside the learn-ahead window, so it is shown again at once.
    expect(result.next!.card?.id).toBe(cardIds[0]);
    core.clock.advance(MINUTE);
    const done = await core.call('study.answer', { cardId: cardIds[0]!, rating: 3, durationMs: 1000, deckId: deck.id });
    // Good moves it 10 minutes on: still learn-ahead. Easy graduates it: nothing is left.
    expect(done.next!.card?.id).toBe(cardIds[0]);
    const last = await core.call('study.answer', { cardId: cardIds[0]!, rating: 4, durationMs: 1000, deckId: deck.id });
    expect(last.next).toEqual({ deckPath: "One", card: null, counts: { new: 0, learning: 0, review: 0 }, nextLearningDue: null, upcoming: null });
  });

  it('refuses a deck that does not exist before recording anything', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { cardIds } = await deckWithNotes(core, 'D', 1);
    const before = tables(core);
    const err = await core.fail('study.answer', { cardId: cardIds[0]!, rating: 3, durationMs: 1000, deckId: 9999 });
    expect(err.code).toBe('not_found');
    expect(err.message).toContain('deck no longer exists');
    expect(tables(core)).toEqual(before);
  });

  it('can be undone like any answer, and the undone card is shown first', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck, cardIds } = await deckWithNotes(core, 'D', 3);
    const cardBefore = core.ctx.db.prepare('SELECT * FROM cards WHERE id = ?').get(cardIds[0]!);
    const answered = await core.call('study.answer', { cardId: cardIds[0]!, rating: 4, durationMs: 1000, deckId: deck.id });
    expect(answered.next!.counts.new).toBe(2);
    const undone = await core.call('study.undo');
    expect(undone).toEqual({ kind: 'answer', cardId: cardIds[0], deckId: deck.id });
    expect(core.ctx.db.prepare('SELECT * FROM cards WHERE id = ?').get(cardIds[0]!)).toEqual(cardBefore);
    const again = await core.call('study.next', { deckId: deck.id, cardId: undone.cardId });
    expect(again.card?.id).toBe(cardIds[0]);
    expect(again.counts.new).toBe(3);
  });

  it('counts the answer against the daily limits in the card it returns', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck, cardIds } = await deckWithNotes(core, 'D', 4);
    const preset = await core.call('presets.create', { name: 'Two a day' });
    await core.call('presets.update', { id: preset.id, newPerDay: 2 });
    await core.call('decks.setPreset', { id: deck.id, presetId: preset.id });
    const a = await core.call('study.answer', { cardId: cardIds[0]!, rating: 4, durationMs: 1000, deckId: deck.id });
    expect(a.next!.counts.new).toBe(1);
    const b = await core.call('study.answer', { cardId: a.next!.card!.id, rating: 4, durationMs: 1000, deckId: deck.id });
    expect(b.next!.counts.new).toBe(0);
    expect(b.next!.card).toBeNull();
  });
});

describe('the card after this one', () => {
  it('is announced with each card, and holds until a learning card comes due', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck, cardIds } = await deckWithNotes(core, 'D', 3);
    const [a, b, c] = cardIds as [number, number, number];
    const first = await core.call('study.next', { deckId: deck.id });
    expect([first.card?.id, first.upcoming?.card.id]).toEqual([a, b]);
    // Rendered like any card, with its own buttons.
    expect(first.upcoming!.card).toMatchObject({ id: b, question: 'D question 1', state: 'new' });
    expect(first.upcoming!.card.intervals).toHaveLength(4);
    // Nothing is in learning: it holds for the rest of the study day (rollover at 04:00).
    expect(first.upcoming!.until).toBe(studyDayEnd(core.clock.now(), 4));

    // Again puts A a minute away: B is next, and C after it only while A is not due yet.
    const answered = await core.call('study.answer', { cardId: a, rating: 1, durationMs: 1000, deckId: deck.id });
    expect([answered.next!.card?.id, answered.next!.upcoming?.card.id]).toEqual([b, c]);
    const aDue = answered.due;
    expect(answered.next!.upcoming!.until).toBe(aDue);
    // From then on A comes first: it is announced too, to show instead once it is due.
    expect(answered.next!.upcoming!.then?.card.id).toBe(a);

    core.clock.set(aDue - 1);
    const beforeDue = await core.call('study.answer', { cardId: b, rating: 3, durationMs: 1000, deckId: deck.id });
    expect(beforeDue.next!.card?.id).toBe(c);
    await core.call('study.undo');
    core.clock.set(aDue);
    const atDue = await core.call('study.answer', { cardId: b, rating: 3, durationMs: 1000, deckId: deck.id });
    expect(atDue.next!.card?.id).toBe(a);
  });

  it('counts the shown card against the daily limit, and announces the learning card ahead that follows', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck, cardIds } = await deckWithNotes(core, 'D', 3);
    const preset = await core.call('presets.create', { name: 'Two a day' });
    await core.call('presets.update', { id: preset.id, newPerDay: 2 });
    await core.call('decks.setPreset', { id: deck.id, presetId: preset.id });

    const first = await core.call('study.next', { deckId: deck.id });
    expect([first.card?.id, first.upcoming?.card.id]).toEqual([cardIds[0], cardIds[1]]);
    const second = await core.call('study.answer', { cardId: cardIds[0]!, rating: 3, durationMs: 1000, deckId: deck.id });
    // The second new card is the last one today; after it the first, in learning 10 minutes away, is
    // shown ahead (the card just answered never comes straight back while another can be shown).
    expect(second.next!.card?.id).toBe(cardIds[1]);
    expect(second.next!.upcoming?.card.id).toBe(cardIds[0]);
    const third = await core.call('study.answer', { cardId: cardIds[1]!, rating: 1, durationMs: 1000, deckId: deck.id });
    expect(third.next!.card?.id).toBe(cardIds[0]);
    // After it, the second (Again: a minute away) is ahead; after that, only the answered card is left.
    expect(third.next!.upcoming?.card.id).toBe(cardIds[1]);
    const fourth = await core.call('study.answer', { cardId: cardIds[0]!, rating: 4, durationMs: 1000, deckId: deck.id });
    expect(fourth.next!.card?.id).toBe(cardIds[1]);
    expect(fourth.next!.upcoming).toBeNull();
  });
});

describe('the cards a study call shows', () => {
  it('shows each card, and the ones announced after it, as they are now, through answers and edits', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck } = await deckWithNotes(core, 'D', 4);
    const db = core.ctx.db;
    // Read from scratch, beside the app's own study (which keeps the rows it read between calls).
    const fresh = makeStudy(db, makeStudyQueue(db));
    const config = () => studyConfig(db).read().config;
    const check = (next: StudyNext) => {
      for (const shown of [next.card, next.upcoming?.card, next.upcoming?.then?.card]) {
        if (shown) expect(shown).toEqual(fresh.studyCard(shown.id, config(), core.clock.now()));
      }
    };
    let next = await core.call('study.next', { deckId: deck.id });
    // Again brings cards back a minute later, in their new state, several times each.
    const ratings = [1, 3, 1, 3, 3, 1, 4, 3, 3, 1, 3, 3, 4, 3, 3, 3];
    for (const [i, rating] of ratings.entries()) {
      if (!next.card) break;
      check(next);
      if (i === 5 && next.upcoming) {
        // The card announced next is edited between answers: it is shown with its new text.
        const note = next.upcoming.card.noteId;
        await core.call('notes.update', { id: note, fields: ['Edited question', 'Edited answer'] });
      }
      core.clock.advance(MINUTE);
      next = (await core.call('study.answer', { cardId: next.card.id, rating: rating as 1 | 2 | 3 | 4, durationMs: 1000, deckId: deck.id })).next!;
    }
    check(next);
    const edited = db.prepare("SELECT count(*) FROM notes WHERE fields LIKE '%Edited question%'").pluck().get();
    expect(edited).toBe(1);
  });
});

describe('the kept deck tree, presets and settings', () => {
  it('follows decks created, renamed, moved and deleted', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck: root } = await deckWithNotes(core, 'Root', 1);
    expect((await core.call('study.next', { deckId: root.id })).counts.new).toBe(1);

    const { deck: child, cardIds } = await deckWithNotes(core, 'Child', 2, root.id);
    expect((await core.call('study.next', { deckId: root.id })).counts.new).toBe(3);

    await core.call('decks.rename', { id: child.id, name: 'Renamed' });
    await core.call('cards.suspend', { cardIds: (await core.call('browse.search', { deckId: root.id, sort: 'created' })).rows.slice(0, 1).map((r) => r.cardId) });
    const next = await core.call('study.next', { deckId: root.id });
    expect(next.card?.id).toBe(cardIds[0]);
    expect(next.card?.deckPath).toBe('Root::Renamed');
    expect((await core.call('browse.search', { deckId: child.id })).rows.map((r) => r.deckPath)).toEqual(['Root::Renamed', 'Root::Renamed']);

    await core.call('decks.move', { id: child.id, parentId: null });
    expect((await core.call('study.next', { deckId: root.id })).counts.new).toBe(0);
    expect((await core.call('study.next', { deckId: child.id })).deckPath).toBe('Renamed');

    await core.call('decks.delete', { id: child.id });
    expect((await core.fail('study.next', { deckId: child.id })).code).toBe('not_found');
    expect((await core.call('decks.list')).decks.map((d) => d.path)).toEqual(['Root']);
  });

  it('follows notes added, presets changed or assigned, and the rollover hour', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    core.clock.set('2026-03-02T23:00:00');
    const { deck, cardIds } = await deckWithNotes(core, 'D', 3);
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(3);

    // A reversed note: two new cards, but one a day while new siblings are buried (the default).
    await core.call('notes.create', { noteTypeId: 2, deckId: deck.id, fields: ['front', 'back'] });
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(4);
    await core.call('presets.update', { id: 1, buryNew: false });
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(5);

    await core.call('presets.update', { id: 1, newPerDay: 2 });
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(2);
    expect((await core.call('decks.list')).decks[0]!.counts.newDue).toBe(2);

    const preset = await core.call('presets.create', { name: 'Four', copyFromId: 1 });
    await core.call('presets.update', { id: preset.id, newPerDay: 4 });
    await core.call('decks.setPreset', { id: deck.id, presetId: preset.id });
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(4);

    // The preset's learning steps show on the buttons at once: Again now means the 30-minute step.
    await core.call('presets.update', { id: preset.id, learningSteps: ['30m'] });
    expect((await core.call('study.next', { deckId: deck.id })).card?.intervals[0]).toBe('30m');

    await core.call('presets.delete', { id: preset.id });
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(2);

    // One new card answered late on 2 March; at 01:00 on 3 March the day has not rolled over yet.
    await core.call('study.answer', { cardId: cardIds[0]!, rating: 4, durationMs: 1000 });
    core.clock.set('2026-03-03T01:00:00');
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(1);
    await core.call('settings.update', { dayRolloverHour: 0 });
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(2);
  });

  it('follows writes made through another connection to the same file', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck } = await deckWithNotes(core, 'D', 3);
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(3);
    const other = openSqlite(core.ctx.paths.dbFile);
    try {
      other.prepare('UPDATE presets SET new_per_day = 1 WHERE id = 1').run();
      other.prepare("UPDATE decks SET name = 'Elsewhere' WHERE id = ?").run(deck.id);
    } finally {
      other.close();
    }
    const next = await core.call('study.next', { deckId: deck.id });
    expect(next.counts.new).toBe(1);
    expect(next.deckPath).toBe('Elsewhere');
  });

  it('keeps nothing read inside a transaction that rolled back', async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const { deck } = await deckWithNotes(core, 'D', 1);
    const queue = makeStudyQueue(core.ctx.db);
    let ghost = 0;
    const attempt = core.ctx.db.transaction(() => {
      ghost = Number(core.ctx.db.prepare("INSERT INTO decks (parent_id, name, created_at, updated_at) VALUES (?, 'Ghost', 0, 0)").run(deck.id).lastInsertRowid);
      expect(queue.next(ghost, core.clock.now()).decks.map((d) => d.path)).toEqual(['D::Ghost']);
      throw new Error('roll back');
    });
    expect(() => attempt()).toThrow('roll back');
    expect((await core.fail('study.next', { deckId: ghost })).code).toBe('not_found');
    expect((await core.call('decks.list')).decks.map((d) => d.path)).toEqual(['D']);

    // Cards counted inside a transaction that rolls back are not counted afterwards.
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(1);
    const addCards = core.ctx.db.transaction(() => {
      const note = core.ctx.db.prepare("INSERT INTO notes (guid, note_type_id, fields, created_at, updated_at) VALUES ('g', 1, '[\"q\",\"a\"]', 0, 0)").run();
      core.ctx.db.prepare('INSERT INTO cards (note_id, deck_id, ord, due, created_at, updated_at) VALUES (?, ?, 0, 0, 0, 0)').run(note.lastInsertRowid, deck.id);
      expect(queue.next(deck.id, core.clock.now()).counts.new).toBe(2);
      throw new Error('roll back');
    });
    expect(() => addCards()).toThrow('roll back');
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(1);
    expect(queue.next(deck.id, core.clock.now()).counts.new).toBe(1);
  });

  it("counts today's answers by the deck each card is in now, through moves, undos and deletions", async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    const preset = await core.call('presets.create', { name: 'Two a day' });
    await core.call('presets.update', { id: preset.id, newPerDay: 2 });
    const { deck: a, cardIds } = await deckWithNotes(core, 'A', 4);
    const { deck: b } = await deckWithNotes(core, 'B', 4);
    await core.call('decks.setPreset', { id: a.id, presetId: preset.id });
    await core.call('decks.setPreset', { id: b.id, presetId: preset.id });
    const newLeft = async () => [(await core.call('study.next', { deckId: a.id })).counts.new, (await core.call('study.next', { deckId: b.id })).counts.new];

    await core.call('study.answer', { cardId: cardIds[0]!, rating: 4, durationMs: 1000 });
    await core.call('study.answer', { cardId: cardIds[1]!, rating: 4, durationMs: 1000 });
    expect(await newLeft()).toEqual([0, 2]);
    // The answer moves with its card: B has studied one new card today, A has room for one again.
    await core.call('cards.move', { cardIds: [cardIds[1]!], deckId: b.id });
    expect(await newLeft()).toEqual([1, 1]);
    await core.call('study.undo');
    expect(await newLeft()).toEqual([1, 2]);
    await core.call('study.answer', { cardId: cardIds[2]!, rating: 4, durationMs: 1000 });
    expect(await newLeft()).toEqual([0, 2]);
    const noteOf = core.ctx.db.prepare('SELECT note_id FROM cards WHERE id = ?').pluck();
    await core.call('notes.delete', { ids: [noteOf.get(cardIds[0]!) as number] });
    expect(await newLeft()).toEqual([1, 2]);

    // An undone answer's log row is gone even when the next answer takes the same row id.
    const inB = (await core.call('study.next', { deckId: b.id })).card!.id;
    await core.call('study.answer', { cardId: inB, rating: 4, durationMs: 1000 });
    expect(await newLeft()).toEqual([1, 1]);
    await core.call('study.undo');
    await core.call('study.answer', { cardId: cardIds[3]!, rating: 4, durationMs: 1000 });
    expect(await newLeft()).toEqual([0, 2]);
  });

  it("takes each answer made here into today's tally as a fresh count of the log would, new, review and learning alike", async () => {
    core = await makeTestCore();
    await core.call('presets.update', { id: 1, newPerDay: 100, reviewsPerDay: 100 });
    const { deck: parent, cardIds } = await deckWithNotes(core, 'Parent', 6);
    const { cardIds: childCards } = await deckWithNotes(core, 'Child', 6, parent.id);
    const db = core.ctx.db;
    const other = openSqlite(core.ctx.paths.dbFile);
    const plain = (studied: Studied) =>
      [...studied].filter(([, c]) => c.new + c.review > 0).sort(([a], [b]) => a - b);
    /** The tally this connection keeps, and the log counted afresh by another connection. */
    const tallies = () => {
      const start = makeStudyQueue(db).studyDay(core.clock.now()).start;
      return { kept: plain(studiedToday(db).read(start, studyConfig(db).read())), fresh: plain(studiedToday(other).read(start, studyConfig(other).read())) };
    };
    try {
      const ratings = [1, 3, 4, 2, 3, 1, 4, 3] as const;
      const session = async (answers: number) => {
        for (let i = 0; i < answers; i++) {
          const next = await core.call('study.next', { deckId: parent.id });
          if (!next.card) break;
          // Every other answer brings the next card with it, as the review screen asks.
          await core.call('study.answer', { cardId: next.card.id, rating: ratings[i % ratings.length]!, durationMs: 2000, ...(i % 2 ? { deckId: parent.id } : {}) });
          const { kept, fresh } = tallies();
          expect(kept).toEqual(fresh);
          core.clock.advance(2 * MINUTE);
        }
      };
      // New cards of both decks, and the learning steps of those answered Again or Hard.
      await session(30);
      const first = tallies().fresh;
      expect(first.reduce((n, [, c]) => n + c.new, 0)).toBe(cardIds.length + childCards.length);
      // Weeks later the same cards are reviews: Again sends some to relearning, which is not counted.
      core.clock.advance(40 * 86_400_000);
      await session(30);
      expect(tallies().fresh.reduce((n, [, c]) => n + c.review, 0)).toBeGreaterThan(0);
    } finally {
      other.close();
    }
  });

  it("counts answers another connection recorded today, and log rows added out of order", async () => {
    core = await makeTestCore();
    await inAddedOrder(core);
    await core.call('presets.update', { id: 1, newPerDay: 3 });
    const { deck, cardIds } = await deckWithNotes(core, 'D', 5);
    await core.call('study.answer', { cardId: cardIds[0]!, rating: 4, durationMs: 1000 });
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(2);

    const logAnswer = (db: Db, id: number | null, cardId: number) =>
      db
        .prepare(
          `INSERT INTO revlog (id, card_id, reviewed_at, rating, state_before, due_before, stability_before, difficulty_before,
             scheduled_days_before, learning_steps_before, reps_before, lapses_before, state_after, due_after, stability_after,
             difficulty_after, scheduled_days_after, learning_steps_after)
           VALUES (?, ?, ?, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 5, 0, 1)`,
        )
        .run(id, cardId, core.clock.now());
    const other = openSqlite(core.ctx.paths.dbFile);
    try {
      logAnswer(other, null, cardIds[1]!);
    } finally {
      other.close();
    }
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(1);

    // A row slipped in below the newest id (an importer keeping ids) still counts.
    const lowest = core.ctx.db.prepare('SELECT min(id) FROM revlog').pluck().get() as number;
    core.ctx.db.prepare('DELETE FROM revlog WHERE id = ?').run(lowest);
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(2);
    logAnswer(core.ctx.db, lowest, cardIds[0]!);
    expect((await core.call('study.next', { deckId: deck.id })).counts.new).toBe(1);
  });
});
