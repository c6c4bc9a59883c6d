// Loads the bundled starter decks (assets/decks/*.json) into the "Starter" deck tree. Each file is
// loaded once per collection and remembered in starter_decks, so decks and notes the user deleted stay
// deleted; a file added by a later version is loaded the first time that version opens the collection.
// "Restore" adds back the notes that are missing, matched by their guid, and leaves the rest alone.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { makeDeckStore } from './decks';
import { makeNoteStore } from './notes';
import { starterDeckSchema, starterNoteDeck, type StarterDeck, type StarterNote } from './starterDeckSchema';

/** Built-in note type ids (001_init.sql). */
const NOTE_TYPE = { basic: 1, reversed: 2, cloze: 3 } as const;

/** Starter notes carry this guid prefix, so they never clash with imported notes. */
export const starterGuid = (note: StarterNote) => `starter:${note.guid}`;

function noteFields(note: StarterNote): string[] {
  return note.type === 'cloze' ? [note.fields.Text, note.fields.Extra ?? ''] : [note.fields.Front, note.fields.Back];
}

export function makeStarterDecks(ctx: CoreContext) {
  const { db } = ctx;
  const notes = makeNoteStore(db);
  const decks = makeDeckStore(db);
  const loaded = db.prepare<[], { file_id: string }>('SELECT file_id FROM starter_decks');
  const markLoaded = db.prepare('INSERT INTO starter_decks (file_id, loaded_at) VALUES (?, ?) ON CONFLICT (file_id) DO NOTHING');
  const guidExists = db.prepare<[string], { id: number }>('SELECT id FROM notes WHERE guid = ?');
  const describe = db.prepare("UPDATE decks SET description = ? WHERE id = ? AND description = ''");

  /**
   * Valid starter deck files, by file name (a file is named for its id, which the schema test holds).
   * `skip` names ids not to read at all, so a normal start parses nothing. A file that fails the
   * schema is logged and skipped.
   */
  function readFiles(skip: ReadonlySet<string> = new Set()): StarterDeck[] {
    const dir = path.join(ctx.paths.assetsDir, 'decks');
    if (!fs.existsSync(dir)) return [];
    const files: StarterDeck[] = [];
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      if (skip.has(name.slice(0, -'.json'.length))) continue;
      try {
        const parsed = starterDeckSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
        if (parsed.success) files.push(parsed.data);
        else ctx.log.error(`Starter deck ${name} does not match its schema; skipped`, parsed.error.issues.slice(0, 5));
      } catch (err) {
        ctx.log.error(`Starter deck ${name} could not be read; skipped`, err);
      }
    }
    return files;
  }

  /** Adds the file's notes that are not in the collection; returns how many were added. */
  const addMissing = db.transaction((file: StarterDeck, now: number): number => {
    let added = 0;
    const deckIds = new Map<string, number>();
    const deckFor = (deckPath: string) => {
      let id = deckIds.get(deckPath);
      if (id === undefined) {
        id = decks.ensurePath(deckPath, now);
        deckIds.set(deckPath, id);
      }
      return id;
    };
    describe.run(file.description, deckFor(file.deck));
    for (const note of file.notes) {
      const guid = starterGuid(note);
      if (guidExists.get(guid)) continue;
      notes.createNote({ noteTypeId: NOTE_TYPE[note.type], deckId: deckFor(starterNoteDeck(file, note)), fields: noteFields(note), tags: note.tags, guid }, now);
      added++;
    }
    markLoaded.run(file.id, now);
    return added;
  });

  /** Loads the files this collection has never loaded (all of them on first run). */
  function loadNew(now: number): number {
    const done = new Set(loaded.all().map((r) => r.file_id));
    let added = 0;
    for (const file of readFiles(done)) {
      if (!done.has(file.id)) added += addMissing(file, now);
    }
    return added;
  }

  /** Adds back every missing starter note (deleted notes, or whole deleted decks). */
  function restore(now: number): number {
    const files = readFiles();
    if (files.length === 0) throw new AppError('not_found', 'No starter decks were found in this installation of Cadence.');
    let added = 0;
    for (const file of files) added += addMissing(file, now);
    return added;
  }

  /** Each starter deck with how many of its notes are in the collection. */
  function list() {
    return readFiles().map((file) => ({
      id: file.id,
      deck: file.deck,
      description: file.description,
      notes: file.notes.length,
      present: file.notes.filter((n) => guidExists.get(starterGuid(n))).length,
    }));
  }

  return { loadNew, restore, list };
}

/**
 * First-run seeding: loads starter deck files this collection has not seen. Called once when a
 * collection opens; problems are logged, never fatal (the app works without starter content).
 */
export function seedStarterDecks(ctx: CoreContext): void {
  try {
    const added = makeStarterDecks(ctx).loadNew(ctx.clock.now());
    if (added > 0) {
      ctx.log.info(`Loaded ${added} starter notes`);
      ctx.emit('data.changed', { topics: ['decks', 'notes', 'cards'] });
    }
  } catch (err) {
    ctx.log.error('Starter decks could not be loaded', err);
  }
}
