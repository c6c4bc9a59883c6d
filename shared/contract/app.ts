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
  'backups.create': channel(noInput, backupSchema),
  'app.ping': channel(noInput, ok),
  /** Hands a file the user picked to Cadence; later channels (imports) refer to it by stagedId. */
  'files.stage': channel(
    z
      .object({
        name: z.string().trim().min(1, 'must not be empty').max(255),
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
};
