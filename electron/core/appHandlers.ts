import path from 'node:path';
import type { appChannels } from '../../shared/contract/app';
import { AppError } from '../../shared/errors';
import type { CoreContext } from './context';
import type { HandlersOf } from './handlerTypes';
import { backupInBackground, countBackup, countCollection, listBackups, rotateBackups } from './db/backup';
import { announceKept } from './db/maintenance';
import { schemaVersion } from './db/migrate';
import { makeSettingsStore } from './settings';
import { stageFile } from './files';

/** A backup listed in the backups folder, by its file name; not_found once rotation or the user removed it. */
export function listedBackup(ctx: CoreContext, name: string) {
  const backup = listBackups(ctx.paths.backupsDir).find((b) => path.basename(b.file) === name);
  if (!backup) throw new AppError('not_found', 'That backup is no longer in the backups folder. Choose another one from the list.');
  return backup;
}

export function makeAppHandlers(ctx: CoreContext): HandlersOf<typeof appChannels> {
  const settings = makeSettingsStore(ctx.db);
  return {
    'app.info': () => ({
      name: 'Cadence',
      version: ctx.appVersion,
      schemaVersion: schemaVersion(ctx.db),
      mode: ctx.mode,
      dataDir: ctx.paths.dataDir,
      backupsDir: ctx.paths.backupsDir,
      notices: ctx.notices,
    }),
    'app.ping': () => ({ ok: true as const }),
    'app.health': () => ({ ...ctx.health.status(), newestBackupAt: listBackups(ctx.paths.backupsDir)[0]?.createdAt ?? null }),
    'collection.recover': () => {
      if (!ctx.health.isDamaged()) throw new AppError('conflict', 'Your collection is not damaged, so there is nothing to recover. To go back to a backup, restore it from the list instead.');
      return ctx.recover();
    },
    'files.stage': ({ name, bytes }) => stageFile(ctx.paths, name, bytes),
    'settings.get': () => settings.get(),
    'settings.update': (patch) => {
      const next = settings.update(patch);
      ctx.emit('data.changed', { topics: ['settings'] });
      return next;
    },
    'backups.list': () => ({ backups: listBackups(ctx.paths.backupsDir) }),
    'backups.create': async () => {
      if (ctx.health.isDamaged()) throw new AppError('damaged', 'Your collection file is damaged, so a backup of it would not help. Recover it first (the message at the top of the window).');
      // Checked, and on its own connection in a worker, so an import's open transaction or a long copy
      // never blocks or joins it; a damaged file is never copied over the good backups.
      const made = await backupInBackground(ctx.paths.dbFile, ctx.paths.backupsDir, 'manual', ctx.clock.now(), 'full');
      if (made.problem !== null) {
        ctx.health.markDamaged(made.problem, 'the backup check');
        throw new AppError('damaged', 'The backup was not made: Cadence found damage in your collection file. Recover it from your newest good backup (the message at the top of the window).');
      }
      const rotation = rotateBackups(ctx.paths.backupsDir, made.counts);
      announceKept(ctx, rotation);
      ctx.emit('data.changed', { topics: ['backups'] });
      return { backup: made.backup, holds: made.counts, keptLarger: rotation.keptLarger };
    },
    'backups.inspect': ({ name }) => {
      const backup = listedBackup(ctx, name);
      const holds = countBackup(backup.file);
      if (!holds) throw new AppError('unsupported', 'That backup cannot be read: it is damaged or is not a Cadence collection. Choose another one.');
      return { backup, holds, current: countCollection(ctx.db) };
    },
  };
}
