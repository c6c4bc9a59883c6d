process.env.TZ = 'America/New_York';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const MIN = 60_000;

/** One card in the deck and one review of it per (local time, minutes studied). */
function studied(deckId: number, sessions: [string, number][]): void {
  const db = core.ctx.db;
  const now = core.clock.now();
  const note = db
    .prepare("INSERT INTO notes (guid, note_type_id, fields, created_at, updated_at) VALUES (?, 1, '[\"q\",\"a\"]', ?, ?)")
    .run(`g${deckId}-${Math.random()}`, now, now);
  const card = db
    .prepare('INSERT INTO cards (note_id, deck_id, ord, due, created_at, updated_at) VALUES (?, ?, 0, ?, ?, ?)')
    .run(note.lastInsertRowid, deckId, now, now, now);
  const review = db.prepare(
    `INSERT INTO revlog (card_id, reviewed_at, rating, duration_ms, state_before, due_before, stability_before, difficulty_before,
       scheduled_days_before, learning_steps_before, reps_before, lapses_before, state_after, due_after, stability_after,
       difficulty_after, scheduled_days_after, learning_steps_after)
     VALUES (?, ?, 3, ?, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 5, 1, 0)`,
  );
  for (const [when, minutes] of sessions) review.run(card.lastInsertRowid, new Date(when).getTime(), minutes * MIN);
}

describe('study time as suggested credit', () => {
  it('offers hours studied in linked decks (and their subdecks) since the cycle start, per day', async () => {
    core = await makeTestCore();
    const scrum = await core.call('decks.create', { name: 'Scrum' });
    const events = await core.call('decks.create', { name: 'Events', parentId: scrum.id });
    const other = await core.call('decks.create', { name: 'Other' });
    const cspo = await core.call('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-03-03' });
    studied(scrum.id, [['2026-02-10T20:00', 60], ['2026-02-10T23:50', 30]]);
    studied(events.id, [['2026-02-11T00:10', 45], ['2025-01-01T10:00', 600]]);
    studied(other.id, [['2026-02-12T10:00', 120]]);
    expect((await core.call('certs.get', { id: cspo.id })).studySuggestion).toBeNull();

    const linked = await core.call('certs.linkDecks', { id: cspo.id, deckIds: [scrum.id] });
    expect(linked.linkedDecks.map((d) => d.path)).toEqual(['Scrum']);
    const s = linked.studySuggestion!;
    expect(s.days).toEqual([
      { date: '2026-02-10', units: 1.5 },
      { date: '2026-02-11', units: 0.75 },
    ]);
    expect(s).toMatchObject({ units: 2.25, category: 'learning' });
    expect(s.text).toBe('You studied 2.25 hours in linked decks since 3 March 2025: log 2.25 SEUs as Learning?');

    const accepted = await core.call('credits.acceptStudy', { certificationId: cspo.id, until: s.until });
    expect(accepted.credits.map((c) => [c.date, c.units, c.origin, c.category])).toEqual([
      ['2026-02-11', 0.75, 'study', 'learning'],
      ['2026-02-10', 1.5, 'study', 'learning'],
    ]);
    expect(accepted.progress?.counted).toBe(2.25);
    expect(accepted.studySuggestion).toBeNull();
    expect((await core.fail('credits.acceptStudy', { certificationId: cspo.id, until: s.until })).code).toBe('conflict');
  });

  it('lets the user log part of it (most recent days first) or dismiss it', async () => {
    core = await makeTestCore();
    const deck = await core.call('decks.create', { name: 'PMP prep' });
    const pmp = await core.call('certs.add', { catalogId: 'pmp', earnedOn: '2024-01-15' });
    studied(deck.id, [['2026-01-05T10:00', 120], ['2026-01-06T10:00', 90]]);
    const s = (await core.call('certs.linkDecks', { id: pmp.id, deckIds: [deck.id] })).studySuggestion!;
    expect(s.category).toBe('ways_of_working');
    expect((await core.fail('credits.acceptStudy', { certificationId: pmp.id, until: s.until, units: 4 })).message).toContain('You studied 3.5 hours');
    const partial = await core.call('credits.acceptStudy', { certificationId: pmp.id, until: s.until, units: 2, category: 'power_skills', provider: 'Me' });
    expect(partial.credits.map((c) => [c.date, c.units, c.category, c.provider])).toEqual([
      ['2026-01-06', 1.5, 'power_skills', 'Me'],
      ['2026-01-05', 0.5, 'power_skills', 'Me'],
    ]);

    core.clock.advance(3_600_000);
    studied(deck.id, [['2026-03-02T10:30', 60]]);
    const next = (await core.call('certs.get', { id: pmp.id })).studySuggestion!;
    expect(next.units).toBe(1);
    const dismissed = await core.call('credits.dismissStudy', { certificationId: pmp.id, until: next.until });
    expect(dismissed.studySuggestion).toBeNull();
    expect(dismissed.credits).toHaveLength(2);
  });
});
