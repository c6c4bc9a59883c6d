// Every flashcards channel refuses malformed input with invalid_input, a message naming the field,
// and no change to the collection.
import { afterEach, describe, expect, it } from 'vitest';
import { flashcardsChannels } from '../../shared/contract/flashcards';
import type { Channel } from '../../shared/contract';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const TABLES = ['decks', 'presets', 'notes', 'cards', 'revlog', 'undo_steps', 'starter_decks', 'settings'];
const snapshot = (c: TestCore) => Object.fromEntries(TABLES.map((t) => [t, c.ctx.db.prepare(`SELECT * FROM ${t}`).all()]));

const notAnObject = ['x', 42, null, []];

/** Bad inputs per channel; each must fail the schema. */
const bad: Record<string, unknown[]> = {
  'noteTypes.list': [{ extra: 1 }, 'x'],
  'notes.get': [{}, { id: 0 }, { id: 1.5 }, { id: '1' }, { id: 1, more: true }, ...notAnObject],
  'notes.create': [
    {},
    { noteTypeId: 1, deckId: 1 },
    { noteTypeId: 1, deckId: 1, fields: [] },
    { noteTypeId: 1, deckId: 1, fields: [1, 2] },
    { noteTypeId: 1, deckId: 1, fields: ['a', 'x'.repeat(100 * 1024 + 1)] },
    { noteTypeId: 1, deckId: 1, fields: ['a', 'b'], tags: ['has space'] },
    { noteTypeId: 1, deckId: 1, fields: ['a', 'b'], tags: 'scrum' },
    { noteTypeId: 1, deckId: 1, fields: ['a', 'b'], guid: 'x' },
    { noteTypeId: -1, deckId: 1, fields: ['a', 'b'] },
    ...notAnObject,
  ],
  'notes.update': [{}, { id: 1, fields: 'a' }, { id: 1, tags: [''] }, { id: 1, deckId: 0 }, { id: 1, noteTypeId: 2 }, ...notAnObject],
  'notes.delete': [{}, { ids: [] }, { ids: [0] }, { ids: 'all' }, { id: 1 }, ...notAnObject],
  'notes.duplicates': [{}, { deckId: 1 }, { deckId: 1, firstField: 3 }, { deckId: 1, firstField: 'a', excludeNoteId: 'x' }],
  'notes.tag': [{}, { ids: [1] , add: 'x' }, { ids: [1], add: ['a b'] }, { ids: [], add: ['a'] }, { ids: [1], remove: [':: '] }],
  'tags.list': [{ all: true }],
  'presets.list': [{ x: 1 }],
  'presets.get': [{}, { id: 'one' }],
  'presets.create': [{}, { name: '' }, { name: ' ' }, { name: 'x'.repeat(101) }, { name: 'ok', copyFromId: 0 }],
  'presets.update': [
    {},
    { id: 1, desiredRetention: 0.5 },
    { id: 1, desiredRetention: 1 },
    { id: 1, learningSteps: ['10'] },
    { id: 1, learningSteps: ['0m'] },
    { id: 1, relearningSteps: '10m' },
    { id: 1, newPerDay: -1 },
    { id: 1, reviewsPerDay: 1.5 },
    { id: 1, maximumInterval: 0 },
    { id: 1, leechThreshold: 0 },
    { id: 1, leechAction: 'delete' },
    { id: 1, buryNew: 'yes' },
    { id: 1, newGatherOrder: 'shuffle' },
    { id: 1, reviewSortOrder: 'easiest' },
    { id: 1, unknown: 1 },
  ],
  'presets.delete': [{}, { id: null }],
  'study.next': [{}, { deckId: 0 }, { deckId: 1, cardId: -3 }, { deckId: 1, sessionId: 'x' }, { deck: 1 }, ...notAnObject],
  'study.answer': [
    {},
    { cardId: 1, rating: 0, durationMs: 0 },
    { cardId: 1, rating: 5, durationMs: 0 },
    { cardId: 1, rating: 2.5, durationMs: 0 },
    { cardId: 1, rating: 'good', durationMs: 0 },
    { cardId: 1, rating: 3, durationMs: -1 },
    { cardId: 1, rating: 3 },
    { cardId: 1, rating: 3, durationMs: 0, extra: 1 },
  ],
  'study.undo': [{ cardId: 1 }, 'now'],
  'study.summary': [{}, { deckId: 1 }, { deckId: 1, since: -5 }, { deckId: 1, since: 'today' }],
  'cards.bury': [{}, { cardIds: [] }, { cardIds: [1, 'b'] }],
  'cards.suspend': [{}, { cardIds: [] }, { cardIds: 1 }],
  'cards.unsuspend': [{}, { cardIds: [0] }],
  'cards.move': [{}, { cardIds: [1] }, { cardIds: [1], deckId: 'x' }],
  'cards.reset': [{}, { cardIds: [-1] }],
  'customStudy.create': [
    {},
    { deckId: 1 },
    { deckId: 1, mode: 'cram' },
    { deckId: 1, mode: 'new_limit', count: 0 },
    { deckId: 1, mode: 'forgotten', days: 400 },
    { deckId: 1, mode: 'preview', days: 1, count: 3 },
    { deckId: 1, mode: 'tag_state', state: 'old', count: 5 },
    { deckId: 1, mode: 'tag_state', state: 'new', count: 5, includeTags: ['two words'] },
  ],
  'customStudy.current': [{ id: 1 }],
  'customStudy.end': [{}, { sessionId: 0 }],
  'media.add': [{}, { stagedId: '../../etc/passwd', name: 'x.png' }, { stagedId: 'a'.repeat(32), name: '' }],
  'cards.flag': [{}, { cardIds: [1] }, { cardIds: [1], flag: 8 }, { cardIds: [1], flag: 1.5 }],
  'browse.search': [
    { text: 5 },
    { text: 'x'.repeat(501) },
    { tag: 'a b' },
    { deckId: 0 },
    { state: 'forgotten' },
    { dueWithinDays: -1 },
    { sort: 'random' },
    { descending: 'yes' },
    { limit: 0 },
    { limit: 5000 },
    { offset: -1 },
    { where: '1=1' },
  ],
  'starter.list': [{ id: 1 }],
  'starter.restore': [{ force: true }],
  'decks.setPreset': [{}, { id: 1 }, { id: 1, presetId: 0 }, { id: 1, presetId: 1, includeSubdecks: 'yes' }],
};

describe('flashcards contract', () => {
  it('covers every flashcards channel', () => {
    expect(Object.keys(bad).sort()).toEqual([...Object.keys(flashcardsChannels), 'decks.setPreset'].sort());
  });

  it('refuses malformed input with invalid_input and changes nothing', async () => {
    core = await makeTestCore();
    const deck = await core.call('decks.create', { name: 'D' });
    const saved = await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['q', 'a'] });
    await core.call('study.answer', { cardId: saved.note.cards[0]!.id, rating: 3, durationMs: 100 });
    const before = snapshot(core);
    const eventsBefore = core.events.length;
    for (const [channel, inputs] of Object.entries(bad)) {
      for (const input of inputs) {
        const err = await core.fail(channel as Channel, input);
        expect([channel, input, err.code]).toEqual([channel, input, 'invalid_input']);
        // A sentence in the user's words: no field path, no library wording.
        expect(err.message).toMatch(/^\S.*\.$/);
        expect(err.message).not.toMatch(/[a-zA-Z]+\.\d+|Invalid input|Too (small|big)|expected \w+, received/);
      }
    }
    expect(snapshot(core)).toEqual(before);
    expect(core.events.length).toBe(eventsBefore);
  });
});
