// Loads the bundled starter decks (assets/decks/*.json) into the "Starter" deck tree. Each file is
// loaded once per collection and remembered in starter_decks with its revision, so decks and notes the
// user deleted stay deleted; a file added by a later version is loaded the first time that version opens
// the collection. A newer revision of a file already loaded upgrades the collection once, by note guid:
// notes the user never edited are rewritten in place (cards and review history kept), notes the user
// edited keep their text, notes added since are added, retired notes are suspended and tagged, never
// deleted, and the user is told in one notice.
// "Restore" adds back the notes that are missing, matched by their guid, and leaves the rest alone.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cardOrdinals } from '../../../shared/cardRender';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { makeDeckStore } from './decks';
import { makeNoteStore, plainText } from './notes';
import { sortFieldHash } from './sortFieldHash';
import { starterDeckSchema, starterNoteDeck, type StarterDeck, type StarterNote } from './starterDeckSchema';
import { joinTags, normalizeTags, splitTags } from './tags';

/** Built-in note type ids (001_init.sql). */
const NOTE_TYPE = { basic: 1, reversed: 2, cloze: 3 } as const;

/** Tag put on starter notes a newer revision took out (their cards are suspended, not deleted). */
export const RETIRED_TAG = 'starter::retired';

/** Starter notes carry this guid prefix, so they never clash with imported notes. */
export const starterGuid = (note: { guid: string }) => `starter:${note.guid}`;

export function noteFields(note: StarterNote): string[] {
  return note.type === 'cloze' ? [note.fields.Text, note.fields.Extra ?? ''] : [note.fields.Front, note.fields.Back];
}

/** Hash of a note's fields as stored (notes.fields, a JSON array): what a deck file's `replaces` lists. */
export function storedFieldsHash(storedFields: string): string {
  return createHash('sha256').update(storedFields).digest('hex').slice(0, 16);
}

/** What one start's upgrade did, by deck file. */
export interface UpgradeReport {
  deck: string;
  updated: number;
  /** Notes that changed in the file but that the user had edited: their text was kept. */
  keptEdits: number;
  added: number;
  retired: number;
}

interface StarterNoteRow {
  id: number;
  note_type_id: number;
  fields: string;
  tags: string;
  source: string;
}

export function makeStarterDecks(ctx: CoreContext) {
  const { db } = ctx;
  const notes = makeNoteStore(db);
  const decks = makeDeckStore(db);
  const loaded = db.prepare<[], { file_id: string; revision: number }>('SELECT file_id, revision FROM starter_decks');
  const markLoaded = db.prepare(
    'INSERT INTO starter_decks (file_id, loaded_at, revision) VALUES (?, ?, ?) ON CONFLICT (file_id) DO UPDATE SET revision = max(revision, excluded.revision)',
  );
  const guidExists = db.prepare<[string], { id: number }>('SELECT id FROM notes WHERE guid = ?');
  const selectNote = db.prepare<[string], StarterNoteRow>('SELECT id, note_type_id, fields, tags, source FROM notes WHERE guid = ?');
  const setSource = db.prepare('UPDATE notes SET source = ? WHERE id = ?');
  const rewriteNote = db.prepare(
    'UPDATE notes SET note_type_id = ?, fields = ?, sort_field = ?, sort_field_hash = ?, tags = ?, source = ?, updated_at = ? WHERE id = ?',
  );
  const setTags = db.prepare('UPDATE notes SET tags = ?, updated_at = ? WHERE id = ?');
  const noteCards = db.prepare<[number], { id: number; ord: number; deck_id: number }>('SELECT id, ord, deck_id FROM cards WHERE note_id = ? ORDER BY ord');
  const suspendCard = db.prepare('UPDATE cards SET suspended = 1, updated_at = ? WHERE id = ?');
  const nextPosition = db.prepare<[], { pos: number }>('SELECT ifnull(max(new_position), 0) + 1 AS pos FROM cards');
  const insertCard = db.prepare('INSERT INTO cards (note_id, deck_id, ord, due, new_position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const describe = db.prepare("UPDATE decks SET description = ? WHERE id = ? AND description = ''");
  const setDescription = db.prepare('UPDATE decks SET description = ? WHERE id = ?');
  const childNamed = db.prepare<[number | null, string], { id: number }>('SELECT id FROM decks WHERE ifnull(parent_id, 0) = ifnull(?, 0) AND name = ? COLLATE NOCASE');

  /** The deck at a path, or null when it (or a parent) does not exist; never creates one. */
  function findDeck(deckPath: string): number | null {
    let id: number | null = null;
    for (const name of deckPath.split('::')) {
      const row = childNamed.get(id, name.trim());
      if (!row) return null;
      id = row.id;
    }
    return id;
  }

  /**
   * Valid starter deck files, by file name (a file is named for its id, which the schema test holds).
   * `wanted` says which ids to read at all, and `check` which parsed files to validate, so a normal
   * start validates nothing. A file that fails the schema is logged and skipped.
   */
  function readFiles(wanted: (id: string) => boolean = () => true, check: (json: unknown) => boolean = () => true): StarterDeck[] {
    const dir = path.join(ctx.paths.assetsDir, 'decks');
    if (!fs.existsSync(dir)) return [];
    const files: StarterDeck[] = [];
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      if (!wanted(name.slice(0, -'.json'.length))) continue;
      try {
        const json: unknown = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
        if (!check(json)) continue;
        const parsed = starterDeckSchema.safeParse(json);
        if (parsed.success) files.push(parsed.data);
        else ctx.log.error(`Starter deck ${name} does not match its schema; skipped`, parsed.error.issues.slice(0, 5));
      } catch (err) {
        ctx.log.error(`Starter deck ${name} could not be read; skipped`, err);
      }
    }
    return files;
  }

  /** The file's revision each collection holds: the files are upgraded when it is older. */
  function revisions(): Map<string, number> {
    return new Map(loaded.all().map((r) => [r.file_id, r.revision]));
  }

  function deckResolver(file: StarterDeck, now: number) {
    const deckIds = new Map<string, number>();
    return (note: StarterNote) => {
      const deckPath = starterNoteDeck(file, note);
      let id = deckIds.get(deckPath);
      if (id === undefined) {
        id = decks.ensurePath(deckPath, now);
        deckIds.set(deckPath, id);
      }
      return id;
    };
  }

  function create(note: StarterNote, deckId: number, now: number): void {
    const saved = notes.createNote({ noteTypeId: NOTE_TYPE[note.type], deckId, fields: noteFields(note), tags: note.tags, guid: starterGuid(note) }, now);
    setSource.run(note.source, saved.note.id);
  }

  /** Adds the file's notes that are not in the collection; returns how many were added. */
  const addMissing = db.transaction((file: StarterDeck, now: number): number => {
    let added = 0;
    const deckFor = deckResolver(file, now);
    describe.run(file.description, decks.ensurePath(file.deck, now));
    for (const note of file.notes) {
      if (guidExists.get(starterGuid(note))) continue;
      create(note, deckFor(note), now);
      added++;
    }
    markLoaded.run(file.id, now, file.revision);
    return added;
  });

  /**
   * Rewrites a note the user never edited to the file's version, keeping its cards and their history:
   * cards the new version no longer makes (a reversed note made forward-only) are suspended, not
   * deleted; cards it makes anew are added as new cards.
   */
  function rewrite(row: StarterNoteRow, note: StarterNote, now: number): void {
    const typeId = NOTE_TYPE[note.type];
    const fields = noteFields(note);
    const type = notes.noteTypes.get(typeId);
    const sort = plainText(fields[0] ?? '', note.type === 'cloze');
    // The user's own tags (and "leech") stay; the file's tags are added.
    const tags = joinTags(normalizeTags([...splitTags(row.tags), ...note.tags]));
    rewriteNote.run(typeId, JSON.stringify(fields), sort, sortFieldHash(sort), tags, note.source, now, row.id);
    const cards = noteCards.all(row.id);
    const want = new Set(cardOrdinals(type, fields));
    for (const c of cards) if (!want.has(c.ord)) suspendCard.run(now, c.id);
    const have = new Set(cards.map((c) => c.ord));
    const missing = [...want].filter((o) => !have.has(o));
    if (missing.length && cards[0]) {
      const pos = nextPosition.get()!.pos;
      for (const ord of missing) insertCard.run(row.id, cards[0].deck_id, ord, now, pos, now, now);
    }
  }

  /** Brings a collection holding revision `from` of the file up to the file's revision, once. */
  const upgrade = db.transaction((file: StarterDeck, from: number, now: number): UpgradeReport => {
    const report: UpgradeReport = { deck: file.deck, updated: 0, keptEdits: 0, added: 0, retired: 0 };
    const deckFor = deckResolver(file, now);
    // The description is Cadence's own text (no screen edits it) and may carry a licence: keep it current.
    const root = findDeck(file.deck);
    if (root !== null) setDescription.run(file.description, root);
    // Decks the collection's revision already had: one of them missing now was deleted by the user, and
    // new notes do not bring it back (a deck first used by this revision is created for its notes).
    const knownDecks = new Set(file.notes.filter((n) => (n.added ?? 1) <= from).map((n) => starterNoteDeck(file, n)));
    const wanted = (note: StarterNote) => root !== null && (findDeck(starterNoteDeck(file, note)) !== null || !knownDecks.has(starterNoteDeck(file, note)));
    for (const note of file.notes) {
      const row = selectNote.get(starterGuid(note));
      if (!row) {
        // Missing: new since the collection's revision, or deleted by the user (which stays deleted).
        if ((note.added ?? 1) > from && wanted(note)) {
          create(note, deckFor(note), now);
          report.added++;
        }
        continue;
      }
      const fields = JSON.stringify(noteFields(note));
      if (row.fields === fields && row.note_type_id === NOTE_TYPE[note.type]) {
        if (row.source !== note.source) setSource.run(note.source, row.id);
      } else if (note.replaces?.includes(storedFieldsHash(row.fields))) {
        rewrite(row, note, now);
        report.updated++;
      } else {
        // The user's wording wins; the note still learns where its facts come from.
        if (row.source !== note.source) setSource.run(note.source, row.id);
        report.keptEdits++;
      }
    }
    for (const retired of file.retired) {
      const row = selectNote.get(starterGuid(retired));
      if (!row) continue;
      const tags = splitTags(row.tags);
      if (tags.some((t) => t.toLowerCase() === RETIRED_TAG)) continue;
      setTags.run(joinTags(normalizeTags([...tags, RETIRED_TAG])), now, row.id);
      for (const c of noteCards.all(row.id)) suspendCard.run(now, c.id);
      report.retired++;
    }
    markLoaded.run(file.id, now, file.revision);
    return report;
  });

  /** Loads the files this collection has never loaded (all of them on first run). */
  function loadNew(now: number): number {
    const done = revisions();
    let added = 0;
    for (const file of readFiles((id) => !done.has(id))) added += addMissing(file, now);
    return added;
  }

  /**
   * Upgrades the files this collection holds an older revision of. Only a file whose revision went up
   * is validated and walked, so a start with nothing new costs a JSON parse per file.
   */
  function upgradeLoaded(now: number): UpgradeReport[] {
    const done = revisions();
    const newer = (json: unknown) => {
      const { id, revision } = (json ?? {}) as { id?: unknown; revision?: unknown };
      const held = typeof id === 'string' ? done.get(id) : undefined;
      return held === undefined || (typeof revision === 'number' ? revision : 1) > held;
    };
    const reports: UpgradeReport[] = [];
    for (const file of readFiles((id) => done.has(id), newer)) {
      const from = done.get(file.id) ?? file.revision;
      if (from < file.revision) reports.push(upgrade(file, from, now));
    }
    return reports;
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

  return { loadNew, upgradeLoaded, restore, list, readFiles };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The one notice that tells the user what an upgrade of the starter decks changed. */
export function upgradeNotice(reports: readonly UpgradeReport[]): string | null {
  const changed = reports.filter((r) => r.updated + r.keptEdits + r.added + r.retired > 0);
  if (changed.length === 0) return null;
  const parts = changed.map((r) => {
    const what = [
      r.updated ? `${plural(r.updated, 'note', 'notes')} corrected` : '',
      r.added ? `${r.added} added` : '',
      r.retired ? `${r.retired} retired` : '',
      r.keptEdits ? `${plural(r.keptEdits, 'note', 'notes')} you had edited left as you wrote ${r.keptEdits === 1 ? 'it' : 'them'}` : '',
    ].filter(Boolean);
    return `${r.deck.replace(/^Starter::/, '')}: ${what.join(', ')}`;
  });
  const retired = changed.some((r) => r.retired > 0)
    ? ` Retired notes are suspended, not deleted: they keep their review history and carry the tag "${RETIRED_TAG}" (search for it in Browse to look at them or delete them).`
    : '';
  return `The starter decks were updated. ${parts.join('; ')}. Corrected notes keep their review history.${retired}`;
}

/**
 * First-run seeding and upgrades: loads starter deck files this collection has not seen and upgrades
 * the ones it holds an older revision of. Called once when a collection opens; problems are logged,
 * never fatal (the app works without starter content).
 */
export function seedStarterDecks(ctx: CoreContext): void {
  try {
    const starter = makeStarterDecks(ctx);
    const now = ctx.clock.now();
    const reports = starter.upgradeLoaded(now);
    const added = starter.loadNew(now);
    const notice = upgradeNotice(reports);
    if (notice) {
      ctx.log.info(notice);
      ctx.notices.push({ level: 'info', message: notice });
    }
    if (added > 0) ctx.log.info(`Loaded ${added} starter notes`);
    if (added > 0 || notice) ctx.emit('data.changed', { topics: ['decks', 'notes', 'cards'] });
  } catch (err) {
    ctx.log.error('Starter decks could not be loaded', err);
  }
}
