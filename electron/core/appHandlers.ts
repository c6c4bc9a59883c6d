import type { appChannels } from '../../shared/contract/app';
import type { CoreContext } from './context';
import type { HandlersOf } from './handlerTypes';
import { backupInBackground, listBackups, rotateBackups } from './db/backup';
import { schemaVersion } from './db/migrate';
import { makeSettingsStore } from './settings';
import { stageFile } from './files';

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
    'files.stage': ({ name, bytes }) => stageFile(ctx.paths, name, bytes),
    'settings.get': () => settings.get(),
    'settings.update': (patch) => {
      const next = settings.update(patch);
      ctx.emit('data.changed', { topics: ['settings'] });
      return next;
    },
    'backups.list': () => ({ backups: listBackups(ctx.paths.backupsDir) }),
    'backups.create': async () => {
      // On its own connection in a worker, so an import's open transaction or a long copy never blocks or joins it.
      const { backup } = await backupInBackground(ctx.paths.dbFile, ctx.paths.backupsDir, 'manual', ctx.clock.now(), false);
      rotateBackups(ctx.paths.backupsDir);
      return backup!;
    },
  };
}
