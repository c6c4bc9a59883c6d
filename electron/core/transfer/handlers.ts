// Import, export, backup and restore channels. Each long job runs through `jobs` (one at a time,
// progress events, cancel); staged files are read here and discarded once imported.
import fs from 'node:fs';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../handlerTypes';
import type { transferChannels } from '../../../shared/contract/transfer';
import { discardStaged, stagedPath, writeExport } from '../files';
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

  return {
    'import.anki': ({ stagedId, jobId }) =>
      jobs.run(jobId, 'import', async (job) => {
        const summary = await anki.importPackage(readStaged(stagedId), job);
        ctx.emit('data.changed', { topics: IMPORT_TOPICS });
        discardStaged(ctx.paths, stagedId);
        return summary;
      }),

    'import.csvPreview': ({ stagedId, separator, html }) => csv.preview(readStaged(stagedId), { separator, html }),

    'import.csv': (input) =>
      jobs.run(input.jobId, 'import', async (job) => {
        const summary = await csv.importFile(readStaged(input.stagedId), input, job);
        ctx.emit('data.changed', { topics: IMPORT_TOPICS });
        discardStaged(ctx.paths, input.stagedId);
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
        const result = await backups.restore(readStaged(stagedId), job);
        discardStaged(ctx.paths, stagedId);
        ctx.emit('collection.restored', { safetyBackup: result.safetyBackup });
        ctx.emit('data.changed', { topics: ALL_TOPICS });
        return { restored: true as const, ...result };
      }),

    'transfer.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
  };
}
