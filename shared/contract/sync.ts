// Channels of sync between the learner's computers (Settings → Sync): where to sync, syncing now, how it
// went, and the versions that lost a conflict, to bring back or dismiss.
// Merged into the contract by shared/contract.ts.
import { z } from 'zod';
import { channel, noInput, ok } from './define';

export const syncStatusSchema = z.object({
  /** A server and database are set. */
  configured: z.boolean(),
  url: z.string(),
  database: z.string(),
  username: z.string(),
  /** A password is kept (never sent back to the page). */
  hasPassword: z.boolean(),
  /** Where the password is kept: the system keychain (desktop) or a file only this user can read. */
  passwordStore: z.enum(['keychain', 'file']),
  running: z.boolean(),
  lastSyncAt: z.number().nullable(),
  /** Why the last sync failed, in words; null when it worked. */
  lastError: z.string().nullable(),
  /** Changes made here waiting to be sent. */
  pending: z.number(),
  conflicts: z.number(),
  /** "Sync automatically" is on (a setting): on start, after changes and periodically. */
  automatic: z.boolean(),
  /** When the next automatic sync is planned; null when none is. */
  nextSyncAt: z.number().nullable(),
  /** Why the last sync failed, in a few words for a status line ("the server did not answer"). */
  problem: z.string().nullable(),
  /** The last sync finished, but set some changes aside (lastError names them): not a failure. */
  partial: z.boolean(),
  /** Documents are encrypted end to end: a passphrase is kept (never sent back to the page). */
  encrypted: z.boolean(),
  /** How far the sync running now got, after each batch; `total` where it is known. */
  progress: z
    .object({
      phase: z.enum(['sending', 'uploading', 'downloading', 'applying']),
      done: z.number(),
      total: z.number().nullable(),
    })
    .nullable(),
});
export type SyncStatus = z.output<typeof syncStatusSchema>;

export const syncConflictSchema = z.object({
  id: z.string(),
  kind: z.string(),
  /** What it is, in words: Note “…”, Deck “…”. */
  label: z.string(),
  /** When the losing version was made, and the version that won. */
  editedAt: z.number(),
  winnerEditedAt: z.number(),
  /** The losing version's text: a note's fields, or a deck's name. */
  lines: z.array(z.string()),
  deleted: z.boolean(),
});
export type SyncConflict = z.output<typeof syncConflictSchema>;

const text = (what: string, max: number) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .max(max, `${what} is too long (at most ${max} characters)`);

export const syncChannels = {
  'sync.status': channel(noInput, syncStatusSchema),
  /** Sets where to sync. The password is kept when left out; an empty one removes it. */
  'sync.configure': channel(
    z
      .object({
        url: text('The server address', 500).min(1, 'Enter the server address, like https://couch.example.org:6984'),
        database: text('The database name', 200).min(1, 'Enter the name of the database on the server'),
        username: text('The user name', 200),
        password: z.string().max(1000, 'The password is too long').optional(),
        /** End-to-end encryption's passphrase: kept when left out; an empty one turns encryption off. */
        passphrase: z
          .string()
          .max(1000, 'The passphrase is too long')
          .refine((p) => p === '' || p.length >= 8, 'Choose a passphrase of at least 8 characters (a few words you will remember work well)')
          .optional(),
      })
      .strict(),
    syncStatusSchema,
  ),
  /** Syncs with the server now: sends what changed here, applies what changed elsewhere. */
  'sync.now': channel(noInput, z.object({ sent: z.number(), received: z.number(), conflicts: z.number(), status: syncStatusSchema })),
  'sync.conflicts': channel(noInput, z.object({ conflicts: z.array(syncConflictSchema) })),
  /** Brings a losing version back as a new edit (sent at the next sync). */
  'sync.restore': channel(z.object({ id: z.string().min(1).max(2000) }).strict(), ok),
  /** Takes a conflict off the list on every machine, changing nothing else. */
  'sync.dismiss': channel(z.object({ id: z.string().min(1).max(2000) }).strict(), ok),
};

export const syncEvents = {};
