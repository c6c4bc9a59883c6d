// Importing an Anki package: read and check everything first (package, note types, media, schedules),
// then write it all in one transaction, in chunks with pauses so progress shows and a cancel is heard.
// Notes are matched by GUID: a note already here is updated when the file's copy is newer, left alone
// when identical, and its existing cards keep their schedule; only cards it lacks are added. A note
// whose note type changed in the file follows the new design when its shape allows (see
// noteTypeChanges.ts); otherwise the user is asked before anything is written.
import { FIELD_MAX_BYTES, utf8Length } from '../../../../shared/contract/flashcards';
import type { ImportSummary } from '../../../../shared/contract/transfer';
import { sameFields } from '../../../../shared/noteFormat';
import { studyDayNumber } from '../../../../shared/studyDay';
import type { CoreContext } from '../../context';
import { makeDeckStore } from '../../flashcards/decks';
import { recordImportedParams } from '../../fsrs/ankiParams';
import { plainText } from '../../flashcards/notes';
import { makeSettingsStore } from '../../settings';
import { CHUNK, inTransaction, makeDeepDeckTally, makeSkipTally, plausibleTime, tidyDeckPath, type DeepDeckTally } from '../importCommon';
import type { Job } from '../jobs';
import { rewriteMediaReferences, type MediaStore } from '../media';
import { joinTags, tidyTags, type CollectionWriter } from '../writer';
import type { AnkiCard, AnkiNote, AnkiNoteType, AnkiReview } from './model';
import { makeNoteTypeStore } from '../../flashcards/noteTypes';
import { BUILT_IN_NOTE_TYPES, builtInKind, cadenceTemplates, checkNoteType, sourceKey, type BuiltInKind } from './noteTypes';
import { askAboutShapeChanges, isCompatible, mapOrdinals, templateNames, type NoteTypeChangeChoice, type ShapeChange } from './noteTypeChanges';
import { FORMAT_LABELS, readAnkiPackage, type PackageLimits } from './readPackage';
import { convertSchedule, type CardSchedule, type ReviewRow } from './schedule';

/** Most fields a note type may have to be imported; Anki's own stock types have at most a handful. */
export const MAX_NOTE_TYPE_FIELDS = 100;

/** Whether a field is over the 100 KB the note editor allows (a UTF-16 unit is at most 3 UTF-8 bytes). */
const tooLarge = (value: string) => value.length * 3 > FIELD_MAX_BYTES && utf8Length(value) > FIELD_MAX_BYTES;

export interface AnkiImportDeps {
  ctx: CoreContext;
  writer: CollectionWriter;
  media: MediaStore;
  limits?: PackageLimits;
}

interface PreparedCard {
  card: AnkiCard;
  schedule: CardSchedule;
  history: ReviewRow[];
  createdAt: number;
}

interface PreparedNote {
  note: AnkiNote;
  type: AnkiNoteType;
  kind: BuiltInKind | 'custom';
  fields: string[];
  tags: string[];
  createdAt: number;
  cards: PreparedCard[];
  /** For a note already here under another note type: whether its shape fits the file's design. */
  typeChange?: 'compatible' | 'incompatible';
}

export function makeAnkiImporter({ ctx, writer, media, limits }: AnkiImportDeps) {
  const decks = makeDeckStore(ctx.db);
  const settings = makeSettingsStore(ctx.db);
  const noteTypes = makeNoteTypeStore(ctx.db);

  /** Which design a note type is, as one string: "builtin:<kind>", its source key, or "cadence:<id>". */
  const keyOfType = (id: number) => {
    const type = noteTypes.get(id);
    return writer.sourceKeyOf(id) ?? (type.kind === 'custom' ? `cadence:${id}` : `builtin:${type.kind}`);
  };
  const keyOfPrepared = (p: PreparedNote) => (p.kind === 'custom' ? sourceKey(p.type) : `builtin:${p.kind}`);

  /**
   * Marks notes already here whose note type in the file is another design, and returns the changes
   * their notes cannot follow as they are (one entry per note type in the file).
   */
  function findTypeChanges(prepared: PreparedNote[]): ShapeChange[] {
    const shape = new Map<number, ShapeChange>();
    const keys = new Map<number, string>();
    for (const p of prepared) {
      const existing = writer.noteByGuid(p.note.guid);
      if (!existing) continue;
      let key = keys.get(existing.note_type_id);
      if (key === undefined) keys.set(existing.note_type_id, (key = keyOfType(existing.note_type_id)));
      if (key === keyOfPrepared(p)) continue;
      const here = noteTypes.get(existing.note_type_id);
      p.typeChange = isCompatible(here, p.type) ? 'compatible' : 'incompatible';
      if (p.typeChange === 'compatible') continue;
      const change = shape.get(p.type.id) ?? { name: p.type.name, notes: 0, fieldsHere: here.fields, fieldsInFile: p.type.fields };
      change.notes++;
      shape.set(p.type.id, change);
    }
    return [...shape.values()];
  }

  async function importPackage(bytes: Uint8Array, job: Job, choice: NoteTypeChangeChoice = 'ask'): Promise<ImportSummary> {
    const now = ctx.clock.now();
    await job.step('reading', 0, 1);
    const pkg = readAnkiPackage(bytes, limits);
    const col = pkg.collection;
    await job.step('reading', 1, 1);

    const skipped = makeSkipTally();
    const warnings: string[] = [];

    // Note types: every one that has notes must be showable, or nothing is imported. One with more
    // fields than any real design has is left out with its notes (named in the summary).
    const usedTypes = new Set(col.notes.map((n) => n.mid));
    const oversizedTypes = new Set<number>();
    for (const mid of usedTypes) {
      const nt = col.noteTypes.get(mid);
      if (nt && nt.fields.length > MAX_NOTE_TYPE_FIELDS) oversizedTypes.add(mid);
      else if (nt) checkNoteType(nt);
    }

    // Media: stored under content names before the transaction; removed again if the import fails.
    const session = media.session();
    const stored = new Map<string, string>();
    let mediaAdded = 0;
    let mediaPresent = 0;
    const notInPackage: string[] = [];
    try {
      for (let i = 0; i < pkg.media.length; i++) {
        const entry = pkg.media[i]!;
        const data = pkg.readMedia(entry);
        if (!data) {
          notInPackage.push(entry.name);
        } else {
          const put = session.put(data, entry.name);
          stored.set(entry.name, put.name);
          if (put.added) mediaAdded++;
          else mediaPresent++;
        }
        if (i % 10 === 9 || i === pkg.media.length - 1) await job.step('media', i + 1, pkg.media.length);
      }

      const missingMedia = new Set<string>();
      const rewrite = (html: string) =>
        rewriteMediaReferences(html, (name) => stored.get(name) ?? stored.get(name.normalize('NFC')), (name) => missingMedia.add(name));

      // Notes with their cards and schedules, all worked out before anything is written.
      const cardsByNote = new Map<number, AnkiCard[]>();
      for (const c of col.cards) {
        const list = cardsByNote.get(c.nid);
        if (list) list.push(c);
        else cardsByNote.set(c.nid, [c]);
      }
      const reviewsByCard = new Map<number, AnkiReview[]>();
      for (const r of col.revlog) {
        const list = reviewsByCard.get(r.cid);
        if (list) list.push(r);
        else reviewsByCard.set(r.cid, [r]);
      }

      const prepared: PreparedNote[] = [];
      let truncatedFields = 0;
      for (let i = 0; i < col.notes.length; i++) {
        const note = col.notes[i]!;
        const type = col.noteTypes.get(note.mid);
        // What a skipped note is shown as; worked out only for notes that are skipped.
        const first = () => plainText(note.fields[0] ?? '');
        if (!type) {
          skipped.add('Its note type is missing from the file', first());
          continue;
        }
        if (oversizedTypes.has(type.id)) {
          skipped.add(`Its note type "${type.name.slice(0, 60)}" has more than ${MAX_NOTE_TYPE_FIELDS} fields`, first());
          continue;
        }
        const cards = cardsByNote.get(note.id) ?? [];
        if (cards.length === 0) {
          skipped.add('It has no cards in the file', first());
          continue;
        }
        if (note.fields.length > type.fields.length) truncatedFields++;
        const fields = type.fields.map((_, f) => rewrite(note.fields[f] ?? ''));
        // Skipped rather than cut short: a truncated field could end inside a tag or a cloze.
        if (fields.some(tooLarge)) {
          skipped.add('A field is larger than 100 KB (the most a field holds)', first());
          continue;
        }
        const createdAt = plausibleTime(note.id, now) ?? now;
        prepared.push({
          note,
          type,
          kind: builtInKind(type) ?? 'custom',
          fields,
          tags: tidyTags(note.tags),
          createdAt,
          cards: cards.map((card) => {
            const cardCreated = plausibleTime(card.id, now) ?? createdAt;
            const { schedule, rows } = convertSchedule(card, reviewsByCard.get(card.id) ?? [], col.crt, cardCreated);
            return { card, schedule, history: rows, createdAt: cardCreated };
          }),
        });
        if (i % 1000 === 999) await job.step('scheduling', i + 1, col.notes.length);
      }
      await job.step('scheduling', col.notes.length, col.notes.length);

      // Notes whose design changed shape: asked about before anything is written (the file is kept
      // for the second try with the answer).
      const shapeChanges = findTypeChanges(prepared);
      if (shapeChanges.length && choice === 'ask') throw askAboutShapeChanges(shapeChanges);

      if (notInPackage.length) {
        warnings.push(`${notInPackage.length} media file(s) listed in the package were missing from it (for example "${notInPackage[0]}").`);
      }
      if (missingMedia.size) {
        const example = [...missingMedia][0];
        warnings.push(`${missingMedia.size} picture or sound reference(s) point to files the package does not contain (for example "${example}"); they will not show.`);
      }
      if (truncatedFields) warnings.push(`${truncatedFields} note(s) had more fields than their note type; the extra fields were left out.`);
      const filteredCards = col.cards.filter((c) => c.odid !== 0).length;
      if (filteredCards) warnings.push(`${filteredCards} card(s) were in filtered decks in Anki; they went back to their home decks.`);

      const deep = makeDeepDeckTally();
      const summary = await write(prepared, col, rewrite, session, now, job, skipped, deep, choice);
      const deepWarning = deep.warning();
      if (deepWarning) warnings.push(deepWarning);
      if (summary.cardsRemoved) {
        warnings.push(`${summary.cardsRemoved} card(s) had no place in their note type's new design and were removed, with their review history.`);
      }
      const { cardsRemoved: _removed, ...counted } = summary;
      return { ...counted, source: FORMAT_LABELS[pkg.format], skipped: skipped.list(), warnings, badLines: [], media: { added: mediaAdded, alreadyPresent: mediaPresent } };
    } catch (err) {
      session.discard();
      throw err;
    }
  }

  async function write(
    prepared: PreparedNote[],
    col: ReturnType<typeof readAnkiPackage>['collection'],
    rewrite: (html: string) => string,
    session: ReturnType<MediaStore['session']>,
    now: number,
    job: Job,
    skipped: ReturnType<typeof makeSkipTally>,
    deep: DeepDeckTally,
    choice: NoteTypeChangeChoice,
  ) {
    const buriedDay = studyDayNumber(now, settings.get().dayRolloverHour);
    const counts = { added: 0, updated: 0, unchanged: 0 };
    let cardsAdded = 0;
    let reviewsAdded = 0;
    const noteTypesAdded: string[] = [];
    const noteTypesUpdated = new Set<string>();
    let cardsRemoved = 0;
    const deckPaths = new Set<string>();

    return inTransaction(ctx.db, async () => {
      // Note types: built-in ones by design, the rest as custom types matched by their Anki id.
      const typeIds = new Map<number, number>();
      for (const p of prepared) {
        if (typeIds.has(p.type.id)) continue;
        if (p.kind !== 'custom') {
          typeIds.set(p.type.id, BUILT_IN_NOTE_TYPES[p.kind]);
          continue;
        }
        const templates = cadenceTemplates(p.type).map((t) => ({ name: t.name, front: rewrite(t.front), back: rewrite(t.back) }));
        const made = writer.ensureCustomNoteType(sourceKey(p.type), p.type.name.slice(0, 200), p.type.fields, templates, rewrite(p.type.css), p.type, now);
        typeIds.set(p.type.id, made.id);
        if (made.created) noteTypesAdded.push(p.type.name);
        if (made.updated) noteTypesUpdated.add(p.type.name);
      }

      // Decks by Anki id, created on first use with their whole path.
      const deckIds = new Map<number, number>();
      const deckFor = (card: AnkiCard): number => {
        const ankiId = card.odid || card.did;
        let id = deckIds.get(ankiId);
        if (id === undefined) {
          const deck = col.decks.get(ankiId);
          const path = deck && !deck.filtered ? tidyDeckPath(deck.name, 'Default', deep) : 'Default';
          id = decks.ensurePath(path, now);
          deckIds.set(ankiId, id);
          deckPaths.add(path);
        }
        return id;
      };

      // New cards go after the ones already here, in the file's order; siblings share a position.
      let nextPosition = writer.maxNewPosition() + 1;
      const order = prepared
        .filter((p) => p.cards.some((c) => c.schedule.state === 0))
        .map((p) => ({ p, pos: Math.min(...p.cards.filter((c) => c.schedule.state === 0).map((c) => c.schedule.newPosition)) }))
        .sort((a, b) => a.pos - b.pos || a.p.note.id - b.p.note.id);
      const positions = new Map<PreparedNote, number>(order.map(({ p }) => [p, nextPosition++]));

      for (let i = 0; i < prepared.length; i++) {
        const p = prepared[i]!;
        const typeId = typeIds.get(p.type.id)!;
        const sortField = plainText(p.fields[0] ?? '', p.kind === 'cloze');
        const updatedAt = plausibleTime(p.note.mod * 1000, now) ?? now;
        const existing = writer.noteByGuid(p.note.guid);
        let noteId: number;
        if (!existing) {
          noteId = writer.insertNote(p.note.guid, typeId, p.fields, 'html', sortField, p.tags, p.createdAt, updatedAt);
          counts.added++;
        } else if (existing.note_type_id !== typeId) {
          // The file's design of this note changed since it came here (findTypeChanges).
          if (p.typeChange !== 'compatible' && choice !== 'newType') {
            skipped.add(`The deck changed the design of its note type "${p.type.name.slice(0, 60)}"; your note was kept as it is`, sortField);
            continue;
          }
          noteId = existing.id;
          const ords = mapOrdinals(templateNames(noteTypes.get(existing.note_type_id)), p.type.templates.map((t) => t.name), [...writer.cardOrds(noteId)]);
          cardsRemoved += writer.moveNote(noteId, typeId, (ord) => ords.get(ord) ?? null, now);
          // Fields follow the file when it is newer, and always when their layout changed.
          const keep = p.typeChange === 'compatible' && updatedAt <= existing.updated_at;
          const fields = keep ? (JSON.parse(existing.fields) as string[]) : p.fields;
          writer.updateNote(noteId, fields, keep ? existing.format : 'html', plainText(fields[0] ?? '', p.kind === 'cloze'), p.tags, Math.max(updatedAt, existing.updated_at));
          noteTypesUpdated.add(p.type.name);
          counts.updated++;
        } else {
          noteId = existing.id;
          const sameText = existing.fields === JSON.stringify(p.fields) || sameFields(JSON.parse(existing.fields) as string[], existing.format, p.fields);
          if (sameText && existing.tags === joinTags(p.tags)) counts.unchanged++;
          else if (updatedAt > existing.updated_at) {
            writer.updateNote(noteId, p.fields, 'html', sortField, p.tags, updatedAt);
            counts.updated++;
          } else {
            skipped.add('Your copy was changed more recently than the one in the file, so it was kept', sortField);
          }
        }

        const have = existing ? writer.cardOrds(noteId) : new Set<number>();
        for (const c of p.cards) {
          if (have.has(c.card.ord)) continue;
          const s = c.schedule;
          const cardId = writer.insertCard({
            noteId,
            deckId: deckFor(c.card),
            ord: c.card.ord,
            state: s.state,
            due: s.due,
            stability: s.stability,
            difficulty: s.difficulty,
            scheduled_days: s.scheduledDays,
            learning_steps: s.learningSteps,
            reps: s.reps,
            lapses: s.lapses,
            last_review: s.lastReview,
            newPosition: s.state === 0 ? (positions.get(p) ?? nextPosition) : 0,
            suspended: s.suspended,
            buriedDay: s.buried ? buriedDay : null,
            createdAt: c.createdAt,
            // Kept for exports back to Anki (Cadence schedules with FSRS and does not use it).
            easeFactor: c.card.factor > 0 && c.card.factor < 100_000 ? Math.round(c.card.factor) : 0,
          });
          have.add(c.card.ord);
          cardsAdded++;
          for (const r of c.history) {
            writer.insertReview({ cardId, reviewedAt: r.reviewedAt, rating: r.rating, durationMs: r.durationMs, before: r.before, after: r.after });
            reviewsAdded++;
          }
        }
        if (i % CHUNK === CHUNK - 1) await job.step('writing', i + 1, prepared.length);
      }
      session.record(now);
      // FSRS parameters the package's presets carried: offered in Settings for the presets these decks use.
      recordImportedParams(ctx.db, col.fsrsParams, deckIds, 'An imported Anki package', now);
      await job.step('writing', prepared.length, prepared.length);
      return {
        notes: { ...counts, skipped: skipped.total() },
        cardsAdded,
        reviewsAdded,
        decks: [...deckPaths].sort(),
        // A note type made to hold a design the user's notes moved to is told as an update, not as new.
        noteTypesAdded: noteTypesAdded.filter((name) => !noteTypesUpdated.has(name)),
        noteTypesUpdated: [...noteTypesUpdated],
        cardsRemoved,
      };
    });
  }

  return { importPackage };
}
