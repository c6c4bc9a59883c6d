// Import, export, backup and restore channels. Each long job runs through `jobs` (one at a time,
// progress events, cancel); staged files are read here and discarded once an import or restore has run,
// whether it worked or not, unless the page retries with the same file (see `consuming`). A CSV preview
// keeps its file for the import that follows.
import fs from 'node:fs';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../handlerTypes';
import type { transferChannels } from '../../../shared/contract/transfer';
import { discardStaged, stagedPath, writeExport } from '../files';
import { listedBackup } from '../appHandlers';
import { makeAnkiImporter } from './anki/importAnki';
import { makeBackupFiles } from './backupFile';
import { makeCsvImporter } from './csv/importCsv';
import { makeApkgExporter } from './export/exportApkg';
import { makeCsvExporter } from './export/exportCsv';
import { makeJobs } from './jobs';
import { makeMediaStore } from './media';
import { makeCollectionWriter } from './writer';

/** Everything an import can change, for pages to re-read. */
const IMPORT_TOPICS = ['decks', 'notes', 'cards', 'study', 'stats'];
/** Failures after which the same staged file is used again. */
const RETRY_AFTER_CANCEL: ReadonlySet<string> = new Set(['cancelled']);
const RETRY_CSV: ReadonlySet<string> = new Set(['cancelled', 'invalid_input']);
const ALL_TOPICS = ['decks', 'notes', 'cards', 'study', 'stats', 'settings', 'backups', 'certifications', 'curriculum', 'reminders'];

export function makeTransferHandlers(ctx: CoreContext): HandlersOf<typeof transferChannels> {
  const jobs = makeJobs(ctx);
  const writer = makeCollectionWriter(ctx.db);
  const media = makeMediaStore(ctx.db, ctx.paths.mediaDir);
  const anki = makeAnkiImporter({ ctx, writer, media });
  const csv = makeCsvImporter(ctx, writer);
  const apkgExport = makeApkgExporter(ctx, media);
  const csvExport = makeCsvExporter(ctx);
  const backups = makeBackupFiles(ctx);
  const readStaged = (stagedId: string) => fs.readFileSync(stagedPath(ctx.paths, stagedId));

  /**
   * Runs `work` on a staged file and discards the file when it ends, however it ends, except after a
   * failure the page offers to retry with the same file (`keepFor` says which: a cancel, and for CSV a
   * mapping the user corrects on the same screen).
   */
  async function consuming<T>(stagedId: string, work: () => Promise<T>, keepFor: ReadonlySet<string>): Promise<T> {
    let keep = false;
    try {
      return await work();
    } catch (err) {
      keep = err instanceof AppError && keepFor.has(err.code);
      throw err;
    } finally {
      if (!keep) discardStaged(ctx.paths, stagedId);
    }
  }

  return {
    'import.anki': ({ stagedId, jobId }) =>
      jobs.run(jobId, 'import', async (job) => {
        const summary = await consuming(stagedId, () => anki.importPackage(readStaged(stagedId), job), RETRY_AFTER_CANCEL);
        ctx.emit('data.changed', { topics: IMPORT_TOPICS });
        return summary;
      }),

    'import.csvPreview': ({ stagedId, separator, html }) => csv.preview(readStaged(stagedId), { separator, html }),

    'import.csv': (input) =>
      jobs.run(input.jobId, 'import', async (job) => {
        const summary = await consuming(input.stagedId, () => csv.importFile(readStaged(input.stagedId), input, job), RETRY_CSV);
        ctx.emit('data.changed', { topics: IMPORT_TOPICS });
        return summary;
      }),

    'export.apkg': ({ deckId, includeScheduling, includeMedia, jobId }) =>
      jobs.run(jobId, 'export', async (job) => {
        const made = await apkgExport.exportDeck(deckId, { includeScheduling, includeMedia }, job);
        const { downloadName } = writeExport(ctx.paths, made.fileName, made.bytes);
        return { downloadName, fileName: made.fileName, notes: made.notes, cards: made.cards, media: made.media };
      }),

    'export.csv': ({ deckId }) => {
      const made = csvExport.exportDeck(deckId);
      const { downloadName } = writeExport(ctx.paths, made.fileName, made.text);
      return { downloadName, fileName: made.fileName, notes: made.notes, cards: made.cards };
    },

    'collection.export': ({ jobId }) =>
      jobs.run(jobId, 'back up', async (job) => {
        const made = await backups.exportCollection(job);
        const { downloadName } = writeExport(ctx.paths, made.fileName, made.bytes);
        return { downloadName, fileName: made.fileName, sizeBytes: made.bytes.length, mediaFiles: made.mediaFiles };
      }),

    'collection.inspectBackup': ({ stagedId }) => backups.inspect(readStaged(stagedId)),

    'collection.restore': ({ stagedId }) =>
      jobs.run(undefined, 'restore', async (job) => {
        const result = await consuming(stagedId, () => backups.restore(readStaged(stagedId), job), RETRY_AFTER_CANCEL);
        ctx.emit('collection.restored', { safetyBackup: result.safetyBackup });
        ctx.emit('data.changed', { topics: ALL_TOPICS });
        return { restored: true as const, ...result };
      }),

    'backups.restore': ({ name }) =>
      jobs.run(undefined, 'restore', async (job) => {
        const backup = listedBackup(ctx, name);
        const result = await backups.restoreListed(backup.file, job);
        ctx.emit('collection.restored', { safetyBackup: result.safetyBackup });
        ctx.emit('data.changed', { topics: ALL_TOPICS });
        return { restoredFrom: backup.createdAt, safetyBackup: result.safetyBackup };
      }),

    'transfer.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
  };
}
