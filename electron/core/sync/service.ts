// Sync as the app offers it (Settings → Sync): where to sync, sync now, status, and the conflicts list.
import path from 'node:path';
import type { SyncConflict, SyncStatus } from '../../../shared/contract/sync';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { makeCredentials } from './credentials';
import { makeSyncEngine } from './engine';
import { remoteUrlOf, type SyncTarget } from './target';
import type { SyncBody } from './docs';

export function makeSyncService(ctx: CoreContext) {
  const engine = makeSyncEngine({
    db: ctx.db,
    clock: ctx.clock,
    log: ctx.log,
    replicaDir: path.join(ctx.paths.dataDir, 'sync-replica'),
    mediaDir: ctx.paths.mediaDir,
  });
  const store = engine.store;
  const credentials = makeCredentials(ctx.paths.dataDir, ctx.secrets);

  function status(): SyncStatus {
    const config = store.config();
    const state = store.state();
    return {
      configured: Boolean(config.server_url && config.database),
      url: config.server_url ?? '',
      database: config.database ?? '',
      username: config.username ?? '',
      hasPassword: credentials.has(),
      passwordStore: credentials.store,
      running: engine.running(),
      lastSyncAt: state.last_sync_at,
      lastError: state.last_error,
      pending: state.track ? store.pending() : 0,
      conflicts: store.conflicts().length,
    };
  }

  function target(): SyncTarget {
    const config = store.config();
    if (!config.server_url || !config.database) throw new AppError('conflict', 'Set up sync first: enter your server address and database in Settings → Sync.');
    const password = credentials.read();
    return {
      url: config.server_url,
      database: config.database,
      ...(config.username ? { username: config.username, password: password ?? '' } : {}),
    };
  }

  function configure(input: { url: string; database: string; username: string; password?: string }): SyncStatus {
    // Checked before anything is kept: HTTPS (or this computer), a usable database name.
    remoteUrlOf({ url: input.url, database: input.database });
    store.configure(input.url.replace(/\/+$/, ''), input.database, input.username || null);
    ctx.emit('data.changed', { topics: ['sync'] });
    if (input.password !== undefined) {
      if (input.password === '') credentials.remove();
      else credentials.write(input.password);
    }
    return status();
  }

  async function syncNow() {
    const syncTarget = target();
    ctx.emit('data.changed', { topics: ['sync'] });
    try {
      const result = await engine.syncNow(syncTarget);
      // What arrived from the other machines shows on every page.
      if (result.received > 0) ctx.emit('data.changed', { topics: ['decks', 'notes', 'cards', 'study', 'stats'] });
      return { ...result, status: status() };
    } finally {
      ctx.emit('data.changed', { topics: ['sync'] });
    }
  }

  function linesOf(body: SyncBody): string[] {
    if (body.deleted) return [];
    if (body.type === 'note') return body.fields;
    if (body.type === 'deck') return [body.name];
    return [];
  }

  function conflicts(): { conflicts: SyncConflict[] } {
    return {
      conflicts: store.conflicts().map((c) => ({
        id: c.id,
        kind: c.kind,
        label: c.label,
        editedAt: c.editedAt,
        winnerEditedAt: c.winnerEditedAt,
        lines: linesOf(c.body),
        deleted: Boolean(c.body.deleted),
      })),
    };
  }

  const gone = () => new AppError('not_found', 'That conflict is no longer listed: it was restored or dismissed, here or on another computer.');

  return {
    status,
    configure,
    syncNow,
    conflicts,
    restore(id: string) {
      if (!store.restoreVersion(id, ctx.clock.now())) throw gone();
      ctx.emit('data.changed', { topics: ['sync', 'decks', 'notes', 'cards'] });
      return { ok: true as const };
    },
    dismiss(id: string) {
      if (!store.dismiss(id, ctx.clock.now())) throw gone();
      ctx.emit('data.changed', { topics: ['sync'] });
      return { ok: true as const };
    },
  };
}
