import type { Grade } from 'ts-fsrs';
import type { flashcardsChannels } from '../../../shared/contract/flashcards';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../handlerTypes';
import { makeBrowse } from './browse';
import { makeCustomStudy } from './customStudy';
import { makeDeckStore } from './decks';
import { makeEditorMedia } from './editorMedia';
import { makeNoteStore } from './notes';
import { makeStudyQueue } from './queue';
import { makeStarterDecks } from './starterDecks';
import { makeStudy } from './study';

export function makeFlashcardsHandlers(ctx: CoreContext): HandlersOf<typeof flashcardsChannels> {
  const { db, clock } = ctx;
  const notes = makeNoteStore(db);
  const decks = makeDeckStore(db);
  const queue = makeStudyQueue(db);
  const study = makeStudy(db, queue);
  const browse = makeBrowse(db, queue);
  const custom = makeCustomStudy(db, queue, study);
  const media = makeEditorMedia(ctx);
  const starter = makeStarterDecks(ctx);
  const tagCounts = db.prepare<[], { tags: string }>("SELECT tags FROM notes WHERE tags <> ''");
  const flagCards = db.prepare<[number, number, string]>(
    'UPDATE cards SET flag = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))',
  );
  const moveCards = db.prepare<[number, number, number, string]>(
    'UPDATE cards SET deck_id = ?, updated_at = ? WHERE deck_id <> ? AND id IN (SELECT value FROM json_each(?))',
  );

  /** Tells open pages what to re-read. */
  const changed = (...topics: string[]) => ctx.emit('data.changed', { topics });

  return {
    'noteTypes.list': () => ({ noteTypes: notes.noteTypes.list() }),

    'notes.get': ({ id }) => notes.getNote(id),
    'notes.create': (input) => {
      const saved = notes.createNote(input, clock.now());
      changed('notes', 'cards', 'decks');
      return saved;
    },
    'notes.update': ({ id, ...change }) => {
      const saved = notes.updateNote(id, change, clock.now());
      changed('notes', 'cards', 'decks');
      return saved;
    },
    'notes.delete': ({ ids }) => {
      const result = notes.deleteNotes(ids);
      changed('notes', 'cards', 'decks');
      return result;
    },
    'notes.duplicates': ({ deckId, firstField, excludeNoteId }) => ({ noteIds: notes.findDuplicates(deckId, firstField, excludeNoteId) }),
    'notes.tag': ({ ids, add, remove }) => {
      const result = { changed: notes.tagNotes(ids, add, remove, clock.now()) };
      changed('notes', 'tags');
      return result;
    },
    'tags.list': () => {
      const counts = new Map<string, { name: string; notes: number }>();
      for (const row of tagCounts.iterate()) {
        for (const tag of row.tags.split(' ')) {
          if (!tag) continue;
          const key = tag.toLowerCase();
          const entry = counts.get(key) ?? { name: tag, notes: 0 };
          entry.notes++;
          counts.set(key, entry);
        }
      }
      return { tags: [...counts.values()].sort((a, b) => a.name.localeCompare(b.name)) };
    },

    'presets.list': () => ({ presets: study.presets.list() }),
    'presets.get': ({ id }) => study.presets.get(id),
    'presets.create': ({ name, copyFromId }) => {
      const preset = study.presets.create(name, copyFromId, clock.now());
      changed('presets');
      return preset;
    },
    'presets.update': ({ id, ...patch }) => {
      const preset = study.presets.update(id, patch, clock.now());
      changed('presets', 'decks', 'study');
      return preset;
    },
    'presets.delete': ({ id }) => {
      study.presets.remove(id);
      changed('presets', 'decks', 'study');
      return { ok: true as const };
    },

    'study.next': ({ deckId, cardId, sessionId }) =>
      sessionId === undefined ? study.next(deckId, clock.now(), cardId) : custom.next(sessionId, clock.now()),
    'study.answer': ({ cardId, rating, durationMs, deckId, sessionId }) => {
      const result =
        sessionId === undefined
          ? study.answer(cardId, rating as Grade, durationMs, clock.now(), deckId)
          : custom.answer(sessionId, cardId, rating as Grade, durationMs, clock.now());
      changed('study', 'cards', 'decks');
      return result;
    },
    'study.undo': () => {
      const result = study.undo();
      if (result.kind === 'answer') custom.undone(result.cardId);
      changed('study', 'cards', 'decks');
      return result;
    },

    'customStudy.create': (input) => {
      const result = custom.create(input, clock.now());
      changed('study', 'decks');
      return result;
    },
    'customStudy.current': () => ({ session: custom.current() }),
    'customStudy.end': ({ sessionId }) => {
      custom.end(sessionId);
      changed('study');
      return { ok: true as const };
    },
    'study.summary': ({ deckId, since }) => {
      decks.get(deckId);
      return study.summary(decks.subtreeIds(deckId), since);
    },

    'media.add': ({ stagedId, name }) => media.add(stagedId, name),

    'cards.bury': ({ cardIds }) => {
      const result = { changed: study.bury(cardIds, clock.now()) };
      changed('study', 'cards', 'decks');
      return result;
    },
    'cards.suspend': ({ cardIds }) => {
      const result = { changed: study.suspend(cardIds, clock.now()) };
      changed('study', 'cards', 'decks');
      return result;
    },
    'cards.unsuspend': ({ cardIds }) => {
      const result = { changed: study.unsuspend(cardIds, clock.now()) };
      changed('study', 'cards', 'decks');
      return result;
    },
    'cards.move': ({ cardIds, deckId }) => {
      decks.get(deckId);
      const result = { changed: moveCards.run(deckId, clock.now(), deckId, JSON.stringify(cardIds)).changes };
      changed('cards', 'decks', 'study');
      return result;
    },
    'cards.flag': ({ cardIds, flag }) => {
      const result = { changed: flagCards.run(flag, clock.now(), JSON.stringify(cardIds)).changes };
      changed('cards');
      return result;
    },
    'cards.reset': ({ cardIds }) => {
      const result = { changed: study.reset(cardIds, clock.now()) };
      changed('cards', 'decks', 'study');
      return result;
    },

    'browse.search': (query) => browse.search(query, clock.now()),

    'starter.list': () => ({ decks: starter.list() }),
    'starter.restore': () => {
      const added = starter.restore(clock.now());
      changed('decks', 'notes', 'cards');
      return { added };
    },
  };
}
