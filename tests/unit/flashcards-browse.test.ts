import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const snapshot = (c: TestCore) => ({
  notes: c.ctx.db.prepare('SELECT * FROM notes ORDER BY id').all(),
  cards: c.ctx.db.prepare('SELECT * FROM cards ORDER BY id').all(),
  revlog: c.ctx.db.prepare('SELECT * FROM revlog ORDER BY id').all(),
});

async function setup() {
  core = await makeTestCore();
  const scrum = await core.call('decks.create', { name: 'Scrum' });
  const events = await core.call('decks.create', { name: 'Events', parentId: scrum.id });
  const pm = await core.call('decks.create', { name: 'PM' });
  const add = async (deckId: number, front: string, back: string, tags: string[] = []) =>
    (await core.call('notes.create', { noteTypeId: 1, deckId, fields: [front, back], tags })).note;
  const n = {
    sprint: await add(events.id, 'How long is a Sprint?', 'One month or less,\nso the cost of a\nwrong direction stays small', ['scrum::events']),
    review: await add(events.id, 'Who attends the Sprint Review?', 'The Scrum Team and key stakeholders', ['scrum::events', 'exam']),
    po: await add(scrum.id, 'Who orders the Product Backlog?', 'The Product Owner', ['scrum::roles']),
    okr: await add(pm.id, 'What does OKR stand for?', 'Objectives and Key Results — “résumé” style', ['pm']),
  };
  core.clock.advance(1000);
  return { scrum, events, pm, n };
}

const ids = (rows: { noteId: number }[]) => rows.map((r) => r.noteId);

describe('browse', () => {
  it('finds notes by words in any field, by prefix, across lines, ignoring accents and case', async () => {
    const { n } = await setup();
    const search = async (text: string) => ids((await core.call('browse.search', { text })).rows);
    expect(await search('sprint')).toEqual([n.sprint.id, n.review.id]);
    expect(await search('direction')).toEqual([n.sprint.id]); // after a line break in the field
    expect(await search('stake')).toEqual([n.review.id]);
    expect(await search('RESUME')).toEqual([n.okr.id]);
    expect(await search('sprint review')).toEqual([n.review.id]);
    expect(await search('roles')).toEqual([n.po.id]); // tags are searched too
  });

  it('reads search text as Anki search syntax: a malformed search is a clear error, and nothing reaches SQL or FTS5 as syntax', async () => {
    const { n } = await setup();
    for (const text of ['"', 'sprint"', 'AND', 'NEAR(a b)', 'fields:sprint', '*', '-sprint', '(', 'a OR', '{x}', "'; DROP TABLE notes; --", '!!!', 'is:"; DROP', 'deck:%', 'tag:_']) {
      const result = await core.call('browse.search', { text }).catch(() => null);
      if (result) {
        expect(result.total).toBe(result.rows.length);
      } else {
        const err = await core.fail('browse.search', { text });
        expect([text, err.code]).toEqual([text, 'invalid_input']);
        expect(err.message).toMatch(/^Search: \S/);
      }
    }
    // A quoted phrase; FTS5 operators in it are words.
    expect(ids((await core.call('browse.search', { text: '"sprint review"' })).rows)).toEqual([n.review.id]);
    expect((await core.call('browse.search', { text: 'NEAR(sprint review)' })).total).toBe(0);
    expect((await core.call('browse.search', {})).total).toBe(4);
  });

  it('filters by tag (with the tags below it), deck tree, state and due, and sorts and pages', async () => {
    const { scrum, events, n } = await setup();
    const search = async (q: Record<string, unknown>) => ids((await core.call('browse.search', q)).rows);
    expect(await search({ tag: 'scrum' })).toEqual([n.sprint.id, n.review.id, n.po.id]);
    expect(await search({ tag: 'SCRUM::events' })).toEqual([n.sprint.id, n.review.id]);
    expect(await search({ tag: 'scrum::ev' })).toEqual([]);
    expect(await search({ deckId: scrum.id })).toEqual([n.sprint.id, n.review.id, n.po.id]);
    expect(await search({ deckId: events.id, text: 'stakeholders' })).toEqual([n.review.id]);

    const poCard = n.po.cards[0]!.id;
    await core.call('study.answer', { cardId: n.sprint.cards[0]!.id, rating: 4, durationMs: 1000 });
    await core.call('study.answer', { cardId: poCard, rating: 1, durationMs: 1000 });
    await core.call('cards.suspend', { cardIds: [n.okr.cards[0]!.id] });
    expect(await search({ state: 'review' })).toEqual([n.sprint.id]);
    expect(await search({ state: 'learning' })).toEqual([n.po.id]);
    expect(await search({ state: 'new' })).toEqual([n.review.id, n.okr.id]);
    expect(await search({ state: 'suspended' })).toEqual([n.okr.id]);
    expect(await search({ dueWithinDays: 0 })).toEqual([n.po.id]);
    expect(await search({ dueWithinDays: 60 })).toEqual([n.sprint.id, n.po.id]);

    expect(await search({ sort: 'due' })).toEqual([n.po.id, n.sprint.id, n.review.id, n.okr.id]);
    expect(await search({ sort: 'due', descending: true })).toEqual([n.okr.id, n.review.id, n.sprint.id, n.po.id]);
    expect(await search({ sort: 'created', descending: true, limit: 2 })).toEqual([n.okr.id, n.po.id]);
    const page2 = await core.call('browse.search', { sort: 'created', limit: 2, offset: 2 });
    expect(page2.total).toBe(4);
    expect(ids(page2.rows)).toEqual([n.po.id, n.okr.id]);
    const row = (await core.call('browse.search', { text: 'long' })).rows[0]!;
    expect(row).toMatchObject({ deckPath: 'Scrum::Events', state: 'review', tags: ['scrum::events'], lapses: 0, reps: 1 });
    expect(row.intervalDays).toBeGreaterThan(0);
    expect(row.retrievability).toBeCloseTo(1, 3);
  });

  it('moves, tags, suspends, resets and deletes many cards, each in one step', async () => {
    const { pm, n } = await setup();
    const all = [n.sprint, n.review, n.po].map((x) => x.cards[0]!.id);
    expect(await core.call('cards.move', { cardIds: all, deckId: pm.id })).toEqual({ changed: 3 });
    expect((await core.call('browse.search', { deckId: pm.id })).total).toBe(4);

    expect(await core.call('notes.tag', { ids: [n.sprint.id, n.po.id], add: ['review-later'], remove: [] })).toEqual({ changed: 2 });
    expect(ids((await core.call('browse.search', { tag: 'review-later' })).rows)).toEqual([n.sprint.id, n.po.id]);

    expect(await core.call('cards.suspend', { cardIds: all })).toEqual({ changed: 3 });
    expect(await core.call('cards.unsuspend', { cardIds: all })).toEqual({ changed: 3 });

    // Reset: studied cards become new again, after every other new card, with a manual log entry.
    await core.call('study.answer', { cardId: all[0]!, rating: 3, durationMs: 1000 });
    await core.call('study.answer', { cardId: all[0]!, rating: 3, durationMs: 1000 });
    expect(await core.call('cards.reset', { cardIds: [all[0]!] })).toEqual({ changed: 1 });
    const reset = core.ctx.db.prepare('SELECT state, stability, new_position FROM cards WHERE id = ?').get(all[0]!) as {
      state: number;
      stability: number;
      new_position: number;
    };
    expect(reset.state).toBe(0);
    expect(reset.stability).toBe(0);
    const maxOther = core.ctx.db.prepare('SELECT max(new_position) AS m FROM cards WHERE id <> ?').get(all[0]!) as { m: number };
    expect(reset.new_position).toBeGreaterThan(maxOther.m);
    expect(core.ctx.db.prepare('SELECT rating, state_before, state_after FROM revlog ORDER BY id DESC LIMIT 1').get()).toEqual({
      rating: 0,
      state_before: 2,
      state_after: 0,
    });

    expect(await core.call('notes.delete', { ids: [n.sprint.id, n.review.id] })).toEqual({ notes: 2, cards: 2 });
    expect((await core.call('browse.search', {})).total).toBe(2);
    expect(core.ctx.db.prepare('SELECT count(*) AS n FROM revlog WHERE card_id = ?').get(all[0]!)).toEqual({ n: 0 });
    // Search no longer finds deleted notes.
    expect((await core.call('browse.search', { text: 'sprint' })).total).toBe(0);
  });

  it('changes nothing when a bulk action cannot complete', async () => {
    const { n } = await setup();
    const before = snapshot(core);
    expect((await core.fail('cards.move', { cardIds: [n.po.cards[0]!.id], deckId: 999 })).code).toBe('not_found');
    expect((await core.fail('cards.reset', { cardIds: [9999] })).code).toBe('not_found');
    expect((await core.fail('notes.delete', { ids: [9999] })).code).toBe('not_found');
    expect((await core.fail('notes.tag', { ids: [n.po.id], add: ['fine', 'not fine'] })).code).toBe('invalid_input');
    expect(snapshot(core)).toEqual(before);
  });
});
