// CSV/TSV import: a preview that suggests how columns map to fields, tags, deck, note type and note id,
// and the import that applies a mapping. New notes are checked with the editor's rules and written in
// bulk (a file may hold 100,000 rows); changed notes go through the note store, so their cards follow
// their fields as in the editor. A row that fails a check is skipped with its reason. Existing notes
// are found by note id (guid column) or, like Anki, by first field within the note type.
import type { CsvColumn, CsvImportInput, CsvPreview, ImportSummary } from '../../../../shared/contract/transfer';
import type { NoteType } from '../../../../shared/contract/flashcards';
import { fieldAsHtml, sameFields, type NoteFormat } from '../../../../shared/noteFormat';
import { AppError } from '../../../../shared/errors';
import type { CoreContext } from '../../context';
import { makeDeckStore } from '../../flashcards/decks';
import { makeNoteStore, plainText } from '../../flashcards/notes';
import { joinTags, splitTags } from '../../flashcards/tags';
import { CHUNK, inTransaction, makeDeepDeckTally, makeSkipTally, tidyDeckPath } from '../importCommon';
import type { Job } from '../jobs';
import { newGuid } from '../../flashcards/guid';
import { sortFieldHash } from '../../flashcards/sortFieldHash';
import { rewriteMediaReferences, type MediaStore } from '../media';
import { checkNewNote, tidyTags, type CollectionWriter } from '../writer';
import { decodeUtf8, parseCsv, type CsvFile } from './parse';

const PREVIEW_ROWS = 5;
const MAX_BAD_LINES_LISTED = 200;
const DEFAULT_DECK = 'Imported';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The error for a file with nothing to import: no rows at all, or no row that can be read. */
function noRows(file: CsvFile): AppError {
  if (file.badRows.length === 0) return new AppError('invalid_input', 'The file has no rows to import (only header lines, comments or nothing at all).');
  return new AppError(
    'invalid_input',
    `None of the file's lines can be read with this separator: ${file.problems.slice(0, 2).join(' ')} Try another separator, or fix the file; nothing was imported.`,
  );
}

export function makeCsvImporter(ctx: CoreContext, writer: CollectionWriter, media: MediaStore) {
  const notes = makeNoteStore(ctx.db);
  const decks = makeDeckStore(ctx.db);
  const noteCount = ctx.db.prepare<[], number>('SELECT count(*) FROM notes').pluck();
  const allSortHashes = ctx.db.prepare<[], number>('SELECT sort_field_hash FROM notes').pluck();
  const bySortField = ctx.db
    .prepare<[number, string, number], number>('SELECT id FROM notes WHERE sort_field_hash = ? AND sort_field = ? AND note_type_id = ? ORDER BY id LIMIT 1')
    .pluck();
  const selectNote = ctx.db.prepare<[number], { fields: string; format: NoteFormat; tags: string }>('SELECT fields, format, tags FROM notes WHERE id = ?');

  function findType(types: NoteType[], name: string | null): NoteType | undefined {
    if (!name) return undefined;
    const key = name.trim().toLowerCase();
    return types.find((t) => t.name.toLowerCase() === key) ?? types.find((t) => String(t.id) === key);
  }

  function suggestColumns(file: CsvFile, type: NoteType): { columns: CsvColumn[]; skipFirstRow: boolean } {
    const h = file.header;
    const names = h.columns ?? [];
    const special = new Map<number, CsvColumn>();
    if (h.noteTypeColumn !== null) special.set(h.noteTypeColumn, { kind: 'noteType' });
    if (h.deckColumn !== null) special.set(h.deckColumn, { kind: 'deck' });
    if (h.tagsColumn !== null) special.set(h.tagsColumn, { kind: 'tags' });
    if (h.guidColumn !== null) special.set(h.guidColumn, { kind: 'guid' });
    const fieldIndex = (name: string) => type.fields.findIndex((f) => f.toLowerCase() === name.trim().toLowerCase());
    const columns: CsvColumn[] = [];
    let nextField = 0;
    for (let c = 0; c < file.columnCount; c++) {
      const named = names[c]?.toLowerCase();
      const s = special.get(c);
      if (s) columns.push(s);
      else if (named === 'tags') columns.push({ kind: 'tags' });
      else if (named === 'deck') columns.push({ kind: 'deck' });
      else if (named === 'guid') columns.push({ kind: 'guid' });
      else if (named === 'notetype' || named === 'note type') columns.push({ kind: 'noteType' });
      else if (named !== undefined && fieldIndex(named) >= 0) columns.push({ kind: 'field', field: fieldIndex(named) });
      else if (nextField < type.fields.length && (names.length === 0 || named === undefined || named === '')) columns.push({ kind: 'field', field: nextField++ });
      else if (c === file.columnCount - 1 && nextField >= type.fields.length && !columns.some((x) => x.kind === 'tags')) columns.push({ kind: 'tags' });
      else columns.push({ kind: 'ignore' });
      const last = columns[columns.length - 1]!;
      if (last.kind === 'field') nextField = Math.max(nextField, last.field + 1);
    }
    // A first row that spells out the field names is a title row, not a note.
    const first = file.rows[0]?.cells.map((c) => c.trim().toLowerCase()) ?? [];
    const titles = new Set([...type.fields.map((f) => f.toLowerCase()), 'tags', 'deck', 'guid', 'notetype', 'note type']);
    const skipFirstRow = !h.columns && first.length > 0 && first.filter((c) => titles.has(c)).length >= Math.min(2, first.length);
    return { columns, skipFirstRow };
  }

  function preview(bytes: Uint8Array, options: { separator?: CsvImportInput['separator']; html?: boolean }): CsvPreview {
    const file = parseCsv(decodeUtf8(bytes), options);
    if (file.rows.length === 0) throw noRows(file);
    const types = notes.noteTypes.list();
    const firstCells = file.rows[0]?.cells ?? [];
    const type =
      findType(types, file.header.noteType) ?? (firstCells.some((c) => /\{\{c\d+::/.test(c)) ? types.find((t) => t.kind === 'cloze') : undefined) ?? types[0]!;
    const { columns, skipFirstRow } = suggestColumns(file, type);
    const shown = file.rows.slice(0, PREVIEW_ROWS + (skipFirstRow ? 1 : 0));
    return {
      separator: file.separator,
      separatorSource: file.separatorSource,
      html: file.html,
      columnCount: file.columnCount,
      rowCount: file.rows.length,
      rows: shown.map((r) => r.cells),
      columnNames: file.header.columns,
      header: { deck: file.header.deck, noteType: file.header.noteType, tags: file.header.tags },
      suggested: { noteTypeId: type.id, deckPath: tidyDeckPath(file.header.deck ?? DEFAULT_DECK, DEFAULT_DECK), columns, skipFirstRow },
      noteTypes: types.map((t) => ({ id: t.id, name: t.name, fields: t.fields })),
      problems: file.problems,
    };
  }

  async function importFile(bytes: Uint8Array, input: CsvImportInput, job: Job): Promise<ImportSummary> {
    const now = ctx.clock.now();
    await job.step('reading', 0, 1);
    const file = parseCsv(decodeUtf8(bytes), { separator: input.separator, html: input.html });
    if (file.rows.length === 0) throw noRows(file);
    if (input.columns.length !== file.columnCount) {
      throw new AppError('invalid_input', `The mapping covers ${input.columns.length} columns, but the file has ${file.columnCount}. Map every column (or mark it ignored).`);
    }
    const types = notes.noteTypes.list();
    const defaultType = types.find((t) => t.id === input.noteTypeId);
    if (!defaultType) throw new AppError('not_found', `Note type ${input.noteTypeId} does not exist. Choose another one.`);
    const col = (kind: CsvColumn['kind']) => input.columns.findIndex((c) => c.kind === kind);
    const typeCol = col('noteType');
    const deckCol = col('deck');
    const tagsCol = col('tags');
    const guidCol = col('guid');
    if (!input.columns.some((c) => c.kind === 'field')) throw new AppError('invalid_input', 'Map at least one column to a field.');
    // Fields no column fills: a new note leaves them empty, an existing note keeps what they hold (as Anki).
    const mappedFields = new Set(input.columns.flatMap((c) => (c.kind === 'field' ? [c.field] : [])));
    const extraTags = [...file.header.tags, ...input.tags];
    // Media in Anki's syntax (as exports write it) point at the files already here, when there are such.
    const findStored = media.storedNameFinder();
    const withStoredMedia = (html: string) =>
      html.includes('src') || html.includes('[sound:') || html.includes('url(') ? rewriteMediaReferences(html, findStored) : html;
    const rows = input.skipFirstRow ? file.rows.slice(1) : file.rows;
    // A big file repeats a handful of tags in many combinations: each distinct tags cell is tidied once,
    // each distinct word in it checked once, and a row's tags are those, without repeats (ignoring case,
    // first spelling kept) as tidyTags does. Rows share the cached lists, so nothing may change them.
    const tidiedWords = new Map<string, string[]>();
    const tidyWord = (word: string): string[] => {
      let tidied = tidiedWords.get(word);
      if (!tidied) {
        tidied = tidyTags([word]);
        tidiedWords.set(word, tidied);
      }
      return tidied;
    };
    const tagsByCell = new Map<string, readonly string[]>();
    const tagsFor = (cell: string): readonly string[] => {
      const known = tagsByCell.get(cell);
      if (known) return known;
      const tags: string[] = [];
      const seen = new Set<string>();
      for (const word of [...cell.split(/\s+/), ...extraTags]) {
        if (word === '') continue;
        for (const tag of tidyWord(word)) {
          const key = tag.toLowerCase();
          if (!seen.has(key)) {
            seen.add(key);
            tags.push(tag);
          }
        }
      }
      tagsByCell.set(cell, tags);
      return tags;
    };
    // Most files name one deck (or a few) on every row.
    const deckByText = new Map<string, { path: string; id: number }>();
    const deep = makeDeepDeckTally();
    const deckFor = (text: string) => {
      let deck = deckByText.get(text);
      if (!deck) {
        const path = tidyDeckPath(text, DEFAULT_DECK, deep);
        deck = { path, id: decks.ensurePath(path, now) };
        deckByText.set(text, deck);
      }
      return deck;
    };
    await job.step('reading', 1, 1);

    const skipped = makeSkipTally();
    // Lines that are not a row of the file (wrong column count, a quote never closed) are left out and
    // listed with their line numbers; every other row is imported.
    for (const bad of file.badRows) skipped.add('Its line is not a row of the file (see the lines listed below)', `line ${bad.line}`);
    const counts = { added: 0, updated: 0, unchanged: 0 };
    let cardsAdded = 0;
    const deckPaths = new Set<string>();

    const summary = await inTransaction(ctx.db, async () => {
      // All cards of a note share one position, so siblings are introduced together, in file order.
      let nextPosition = writer.maxNewPosition() + 1;
      // A file with at least a quarter as many rows as the collection has notes checks first fields
      // against the set of every note's sort field hash, read once from its index, and looks up only
      // rows whose hash is in it; a smaller file looks up every row (reading one hash costs about a
      // quarter of a lookup).
      const sortHashes = rows.length * 4 >= noteCount.get()! ? new Set(allSortHashes.all()) : null;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const cells = row.cells;
        // What a skipped row is shown as; worked out only for rows that are skipped.
        const label = () => plainText(cells.find((_, c) => input.columns[c]?.kind === 'field') ?? `line ${row.line}`);
        const typeName = typeCol >= 0 ? (cells[typeCol] ?? '').trim() : '';
        const type = typeName ? findType(types, typeName) : defaultType;
        if (!type) {
          skipped.add(`Unknown note type "${typeName.slice(0, 60)}"`, label());
          continue;
        }
        const fields = type.fields.map(() => '');
        input.columns.forEach((c, index) => {
          if (c.kind === 'field' && c.field < fields.length) fields[c.field] = file.html ? withStoredMedia(cells[index] ?? '') : escapeHtml(cells[index] ?? '');
        });
        let tags: readonly string[];
        try {
          tags = tagsFor(tagsCol >= 0 ? (cells[tagsCol] ?? '') : '');
        } catch (err) {
          skipped.add((err as Error).message, label());
          continue;
        }
        const { path, id: deckId } = deckFor(deckCol >= 0 && (cells[deckCol] ?? '').trim() ? cells[deckCol]! : input.deckPath);
        const guid = guidCol >= 0 ? (cells[guidCol] ?? '').trim() : '';

        // The note this row is, if it is here already: by id, else by first field within the note type.
        const sortField = plainText(fields[0] ?? '', type.kind === 'cloze');
        const sortHash = sortFieldHash(sortField);
        let existingId: number | undefined;
        if (guid) {
          const byGuid = writer.noteByGuid(guid);
          if (byGuid && byGuid.note_type_id !== type.id) {
            skipped.add('A note with the same id is already here with a different note type', label());
            continue;
          }
          existingId = byGuid?.id;
        } else if (input.duplicates !== 'duplicate') {
          existingId = sortField && (sortHashes?.has(sortHash) ?? true) ? bySortField.get(sortHash, sortField, type.id) : undefined;
        }

        try {
          if (existingId === undefined) {
            const ords = checkNewNote(type, fields);
            const noteId = writer.insertNote(guid || newGuid(), type.id, fields, 'html', sortField, tags, now, now, sortHash);
            writer.insertNewCards(noteId, deckId, ords, nextPosition++, now);
            sortHashes?.add(sortHash);
            counts.added++;
            cardsAdded += ords.length;
            deckPaths.add(path);
          } else {
            const current = selectNote.get(existingId)!;
            const currentFields = JSON.parse(current.fields) as string[];
            // The note becomes HTML like the file; a field it keeps is converted if it was Markdown.
            const nextFields = fields.map((value, f) => (mappedFields.has(f) ? value : fieldAsHtml(currentFields[f] ?? '', current.format)));
            // Without a tags column the note keeps its tags (plus any added to every row).
            const nextTags = tagsCol >= 0 ? tags : tidyTags([...splitTags(current.tags), ...tags]);
            const sameText = current.fields === JSON.stringify(nextFields) || sameFields(currentFields, current.format, nextFields);
            if (sameText && current.tags === joinTags(nextTags)) counts.unchanged++;
            else if (input.duplicates === 'keep') skipped.add('A note with the same first field is already here (kept as it is)', label());
            else {
              const saved = notes.updateNote(existingId, { fields: nextFields, tags: nextTags, format: 'html' }, now);
              sortHashes?.add(sortHash); // found by its id, the note may have had another first field
              counts.updated++;
              cardsAdded += saved.addedCards;
            }
          }
        } catch (err) {
          if (!(err instanceof AppError) || err.code === 'internal') throw err;
          skipped.add(err.message, label());
        }
        if (i % CHUNK === CHUNK - 1) await job.step('writing', i + 1, rows.length);
      }
      await job.step('writing', rows.length, rows.length);
      return { notes: { ...counts, skipped: skipped.total() }, cardsAdded };
    });

    return {
      source: `${file.separator === 'tab' ? 'TSV' : 'CSV'} file`,
      ...summary,
      skipped: skipped.list(),
      reviewsAdded: 0,
      media: { added: 0, alreadyPresent: 0 },
      decks: [...deckPaths].sort(),
      noteTypesAdded: [],
      noteTypesUpdated: [],
      badLines: file.badRows.slice(0, MAX_BAD_LINES_LISTED),
      warnings: [
        deep.warning(),
        file.badRows.length > MAX_BAD_LINES_LISTED ? `${file.badRows.length} lines could not be read; the first ${MAX_BAD_LINES_LISTED} are listed.` : null,
      ].filter((w): w is string => w !== null),
    };
  }

  return { preview, importFile };
}
