// Channels and push events of the transfer feature: Anki packages, CSV/TSV text, whole-collection
// backups. Merged into the contract by shared/contract.ts.
//
// Files never cross as paths: the renderer stages bytes with 'files.stage' and passes the stagedId;
// exports come back as a downloadName served at /download/<name>. Long jobs take a jobId the renderer
// makes up, report 'transfer.progress' events under it and stop on 'transfer.cancel'.
import { z } from 'zod';
import { channel, id } from './define';
import { tagName } from './flashcards';
import { backupName } from './app';

const stagedId = z.string({ error: 'must be the id of a staged file' }).regex(/^[a-f0-9]{32}$/, 'must be the id of a staged file');

/** Names one import or export so progress events and cancel requests can refer to it. */
export const jobId = z
  .string({ error: 'must be text' })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "-" or "_"');

export const transferPhaseSchema = z.enum(['reading', 'media', 'scheduling', 'writing', 'packing']);
export type TransferPhase = z.output<typeof transferPhaseSchema>;

/** Why some notes were not imported, with a few examples (first fields) to find them by. */
export const skippedSchema = z.object({ reason: z.string(), count: z.number(), examples: z.array(z.string()) });

export const importSummarySchema = z.object({
  /** What kind of file it was, for the summary line ("Anki package (current format)"). */
  source: z.string(),
  notes: z.object({
    added: z.number(),
    /** Existing notes (same id) whose fields or tags changed. */
    updated: z.number(),
    /** Existing notes the file has exactly as they are. */
    unchanged: z.number(),
    skipped: z.number(),
  }),
  skipped: z.array(skippedSchema),
  cardsAdded: z.number(),
  /** Review history rows brought in. */
  reviewsAdded: z.number(),
  media: z.object({ added: z.number(), alreadyPresent: z.number() }),
  /** Deck paths the imported cards went to. */
  decks: z.array(z.string()),
  /** Note types created for the file's own card designs. */
  noteTypesAdded: z.array(z.string()),
  /** Things the user should know that did not stop the import (missing media, ...). */
  warnings: z.array(z.string()),
});
export type ImportSummary = z.output<typeof importSummarySchema>;

// CSV / TSV ----------------------------------------------------------------------------------------

export const csvSeparatorSchema = z.enum(['tab', 'comma', 'semicolon', 'pipe', 'colon', 'space']);
export type CsvSeparator = z.output<typeof csvSeparatorSchema>;

/** What one column of the file becomes. `field` is the position in the note type's fields. */
export const csvColumnSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('field'), field: z.number().int().min(0, 'must be a field position').max(99) }).strict(),
    z.object({ kind: z.literal('tags') }).strict(),
    z.object({ kind: z.literal('deck') }).strict(),
    z.object({ kind: z.literal('noteType') }).strict(),
    z.object({ kind: z.literal('guid') }).strict(),
    z.object({ kind: z.literal('ignore') }).strict(),
  ],
  { error: 'must be one of field, tags, deck, noteType, guid or ignore' },
);
export type CsvColumn = z.output<typeof csvColumnSchema>;

const csvParse = {
  stagedId,
  /** Overrides the separator found in the file ('#separator:' header or auto-detection). */
  separator: csvSeparatorSchema.optional(),
  /** Overrides '#html:'. When false, '<' and '&' are kept as text rather than read as HTML. */
  html: z.boolean({ error: 'must be true or false' }).optional(),
};

const deckPath = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(1000, 'must be at most 1000 characters')
  .refine((s) => s.split('::').every((level) => level.trim() !== ''), 'must not have an empty level (check the "::")');

export const csvPreviewSchema = z.object({
  separator: csvSeparatorSchema,
  /** Where the separator came from. */
  separatorSource: z.enum(['header', 'detected', 'chosen']),
  html: z.boolean(),
  columnCount: z.number(),
  /** Data rows in the file (comment and header lines not counted). */
  rowCount: z.number(),
  /** The first rows, cells as text. */
  rows: z.array(z.array(z.string())),
  /** Column names from '#columns:' (or null). */
  columnNames: z.array(z.string()).nullable(),
  /** Settings the file's header lines gave. */
  header: z.object({
    deck: z.string().nullable(),
    noteType: z.string().nullable(),
    tags: z.array(z.string()),
  }),
  /** A ready mapping the user can adjust. */
  suggested: z.object({
    noteTypeId: z.number(),
    deckPath: z.string(),
    columns: z.array(csvColumnSchema),
    skipFirstRow: z.boolean(),
  }),
  /** Note types to map onto: id, name and field names. */
  noteTypes: z.array(z.object({ id: z.number(), name: z.string(), fields: z.array(z.string()) })),
  /** Problems that would stop the import with this separator (ragged rows, ...). */
  problems: z.array(z.string()),
});
export type CsvPreview = z.output<typeof csvPreviewSchema>;

export const csvImportInputSchema = z
  .object({
    ...csvParse,
    jobId,
    /** Note type for rows without a note type column. */
    noteTypeId: id,
    /** Deck for rows without a deck column ("A::B" is created when missing). */
    deckPath,
    columns: z.array(csvColumnSchema).min(1, 'must map at least one column').max(200),
    /** Tags added to every imported note. */
    tags: z.array(tagName).max(100, 'must have at most 100 tags').default([]),
    /** The first data row holds column titles, not a note. */
    skipFirstRow: z.boolean().default(false),
    /** A row whose first field (or guid) matches an existing note of the same type: update it, keep it, or add another. */
    duplicates: z.enum(['update', 'keep', 'duplicate']).default('update'),
  })
  .strict();
export type CsvImportInput = z.output<typeof csvImportInputSchema>;

// Export ------------------------------------------------------------------------------------------

const exported = z.object({ downloadName: z.string(), fileName: z.string(), notes: z.number(), cards: z.number() });

// Channels ----------------------------------------------------------------------------------------

export const transferChannels = {
  /** Imports an Anki .apkg or .colpkg (legacy or current format) into the collection, merging by note id. */
  'import.anki': channel(z.object({ stagedId, jobId }).strict(), importSummarySchema),
  /** Reads a staged CSV/TSV file: separator, header settings, first rows and a suggested mapping. */
  'import.csvPreview': channel(z.object(csvParse).strict(), csvPreviewSchema),
  'import.csv': channel(csvImportInputSchema, importSummarySchema),

  /** A deck and its subdecks as an Anki package (schema 11, readable by every Anki version). */
  'export.apkg': channel(
    z
      .object({
        deckId: id,
        /** Include each card's schedule and the review history; otherwise every card starts new. */
        includeScheduling: z.boolean().default(false),
        includeMedia: z.boolean().default(true),
        jobId: jobId.optional(),
      })
      .strict(),
    exported.extend({ media: z.number() }),
  ),
  /** A deck and its subdecks as CSV with Anki's header lines (guid, note type, deck and tags columns). */
  'export.csv': channel(z.object({ deckId: id }).strict(), exported),

  /** The whole collection (database snapshot and media) as one zip with a manifest and checksums. */
  'collection.export': channel(
    z.object({ jobId: jobId.optional() }).strict(),
    z.object({ downloadName: z.string(), fileName: z.string(), sizeBytes: z.number(), mediaFiles: z.number() }),
  ),
  /** What a staged backup holds, for the confirmation before restoring it. */
  'collection.inspectBackup': channel(
    z.object({ stagedId }).strict(),
    z.object({
      createdAt: z.number(),
      appVersion: z.string(),
      schemaVersion: z.number(),
      notes: z.number(),
      cards: z.number(),
      decks: z.number(),
      mediaFiles: z.number(),
    }),
  ),
  /**
   * Replaces the collection with a backup after checking every checksum and the database itself. The
   * current collection is first saved to the backups folder (`safetyBackup` names that file). The
   * switch happens in place, in one step; pages reload on the 'collection.restored' event.
   */
  'collection.restore': channel(
    z.object({ stagedId }).strict(),
    z.object({ restored: z.literal(true), safetyBackup: z.string(), mediaAdded: z.number() }),
  ),

  /**
   * Replaces the collection with one of the automatic backups listed in Settings, after the same checks
   * as a backup file; the current collection is saved first (`safetyBackup`). Pages reload everything.
   */
  'backups.restore': channel(z.object({ name: backupName }).strict(), z.object({ restoredFrom: z.number(), safetyBackup: z.string() })),

  /** Stops a running import or export; everything it did is undone. False when no such job runs. */
  'transfer.cancel': channel(z.object({ jobId }).strict(), z.object({ cancelled: z.boolean() })),
};

export const transferEvents = {
  /** Progress of a long import or export: `done` of `total` units in the current phase. */
  'transfer.progress': z.object({ jobId: z.string(), phase: transferPhaseSchema, done: z.number(), total: z.number() }),
  /** The collection was replaced from a backup: pages must reload everything. */
  'collection.restored': z.object({ safetyBackup: z.string() }),
};
