import { z } from 'zod';
import { channel, noInput, ok } from './define';
import { settingsSchema, settingsPatchSchema } from '../settings';

export const noticeSchema = z.object({
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});
export type Notice = z.output<typeof noticeSchema>;

export const backupSchema = z.object({
  file: z.string(),
  createdAt: z.number(),
  sizeBytes: z.number(),
  kind: z.enum(['daily', 'pre-migration', 'manual']),
});
export type BackupInfo = z.output<typeof backupSchema>;

const countsSchema = z.object({ notes: z.number(), cards: z.number(), reviews: z.number() });

/** How Cadence names its backups: kind, local time for people, epoch ms for sorting. */
export const BACKUP_FILE_NAME = /^cadence-(daily|pre-migration|manual)-[\dT-]+-(\d+)\.sqlite$/;

/** A backup in the backups folder, named by its file name (never a path). */
export const backupName = z.string().regex(BACKUP_FILE_NAME, 'Choose one of the backups listed in Settings.');

/**
 * How the collection is doing while Cadence runs. 'damaged': writes are stopped until it is recovered;
 * 'disk_full', 'read_only', 'io_error': writes fail until the problem is gone (Cadence notices by itself).
 */
export const healthStatusSchema = z.object({
  state: z.enum(['ok', 'damaged', 'disk_full', 'read_only', 'io_error']),
  /** The banner's sentence; null when all is well. */
  message: z.string().nullable(),
  since: z.number().nullable(),
});
export type HealthStatus = z.output<typeof healthStatusSchema>;

/** The name of a file the user hands over (shown back to them; never used as a path). */
export const stagedFileName = z.string().trim().min(1, 'must not be empty').max(255);

export const appChannels = {
  'app.info': channel(
    noInput,
    z.object({
      name: z.string(),
      version: z.string(),
      schemaVersion: z.number(),
      mode: z.enum(['desktop', 'browser']),
      dataDir: z.string(),
      backupsDir: z.string(),
      /** What happened at startup that the user must know (recovered database, missed reminders, ...). */
      notices: z.array(noticeSchema),
    }),
  ),
  'settings.get': channel(noInput, settingsSchema),
  'settings.update': channel(settingsPatchSchema, settingsSchema),
  'backups.list': channel(noInput, z.object({ backups: z.array(backupSchema) })),
  /**
   * "Back up now": a checked copy of the collection in the backups folder. Says what it holds, and which
   * older backups rotation kept because they hold more than the collection does now.
   */
  'backups.create': channel(
    noInput,
    z.object({
      backup: backupSchema,
      holds: countsSchema,
      keptLarger: z.array(backupSchema.extend(countsSchema.shape)),
    }),
  ),
  /** What a listed backup holds beside the collection now, for the confirmation before restoring it. */
  'backups.inspect': channel(
    z.object({ name: backupName }).strict(),
    z.object({ backup: backupSchema, holds: countsSchema, current: countsSchema }),
  ),
  /** The collection's health (and the newest backup recovery would restore), for the banner. */
  'app.health': channel(noInput, healthStatusSchema.extend({ newestBackupAt: z.number().nullable() })),
  /**
   * After damage: sets the damaged file aside (never deleted), restores the newest backup that passes a
   * full check (or starts a new collection when none does) and reopens. Says what was restored.
   */
  'collection.recover': channel(
    noInput,
    z.object({ restoredFrom: z.number().nullable(), keptAs: z.string().nullable(), message: z.string() }),
  ),
  'app.ping': channel(noInput, ok),
  /** Hands a file the user picked to Cadence; later channels (imports) refer to it by stagedId. */
  'files.stage': channel(
    z
      .object({
        name: stagedFileName,
        bytes: z.instanceof(Uint8Array, { message: 'must be the file contents' }),
      })
      .strict(),
    z.object({ stagedId: z.string(), name: z.string(), size: z.number() }),
  ),
};

export const appEvents = {
  /** Something changed that other windows/pages should re-read. */
  'data.changed': z.object({ topics: z.array(z.string()) }),
  /** A message for the user (toast). */
  'app.notice': noticeSchema,
  /** The collection's health changed (damage found, disk full, all well again). */
  'app.health': healthStatusSchema,
};
