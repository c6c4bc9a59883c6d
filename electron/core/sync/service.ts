// Sync as the app offers it (Settings → Sync, Today's status line): where to sync, sync now and
// automatically, how it is going, end-to-end encryption's passphrase, and the conflicts list.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EventName } from '../../../shared/contract';
import type { SyncConflict, SyncStatus } from '../../../shared/contract/sync';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { makeSettingsStore } from '../settings';
import { DEFAULT_TIMING, makeAutoSync, realTimer, type AutoSyncTiming, type SetTimer } from './auto';
import { makeCredentials } from './credentials';
import { makeSyncEngine, type SyncProgress } from './engine';
import { remoteUrlOf, type SyncTarget } from './target';
import type { SyncBody } from './docs';
import { isRefusedSummary } from './refused';

export interface SyncServiceOptions {
  timing?: AutoSyncTiming;
  setTimer?: SetTimer;
}

/** What records arriving from other computers (or a conflict version brought back) may have changed. */
const SYNCED_TOPICS = ['decks', 'notes', 'cards', 'study', 'stats', 'presets', 'fsrs', 'certifications', 'reminders', 'curricula', 'checkins', 'exams'];

/** Topics whose changes never wait to be sent (sync's own, and settings kept on this computer only). */
const LOCAL_TOPICS = new Set(['sync', 'settings', 'backups']);

export function makeSyncService(ctx: CoreContext, options: SyncServiceOptions = {}) {
  const engine = makeSyncEngine({
    db: ctx.db,
    clock: ctx.clock,
    log: ctx.log,
    replicaDir: path.join(ctx.paths.dataDir, 'sync-replica'),
    mediaDir: ctx.paths.mediaDir,
  });
  const store = engine.store;
  const settings = makeSettingsStore(ctx.db);
  const credentials = makeCredentials(ctx.paths.dataDir, ctx.secrets);
  const passphrase = makeCredentials(ctx.paths.dataDir, ctx.secrets, 'sync-passphrase');
  let progress: SyncProgress | null = null;

  const configured = (): boolean => {
    const config = store.config();
    return Boolean(config.server_url && config.database);
  };
  const automaticOn = () => settings.get().syncAutomatically;
  const auto = makeAutoSync({
    enabled: () => ctx.db.open && configured() && automaticOn(),
    sync: async () => {
      await ctx.gate.wait();
      try {
        await syncNow();
      } catch (err) {
        // A server's or Cadence's refusal is in the status already; anything else is a fault to report.
        if (ctx.db.open && !(err instanceof AppError)) ctx.health.failed(err, 'automatic sync') ?? ctx.log.error('Automatic sync failed', err);
        throw err;
      }
    },
    now: () => ctx.clock.now(),
    setTimer: options.setTimer ?? realTimer,
    timing: options.timing ?? DEFAULT_TIMING,
  });
  let wasEnabled = false;
  /** What the first sync will send, counted once until something changes here (heard). */
  let waitingBeforeFirst: number | null = null;
  const firstSyncPending = () => (waitingBeforeFirst ??= store.firstSyncPending());

  function status(): SyncStatus {
    const config = store.config();
    const state = store.state();
    return {
      configured: configured(),
      url: config.server_url ?? '',
      database: config.database ?? '',
      username: config.username ?? '',
      hasPassword: credentials.has(),
      passwordStore: credentials.store,
      running: engine.running(),
      lastSyncAt: state.last_sync_at,
      lastError: state.last_error,
      pending: state.track ? store.pending() : configured() ? firstSyncPending() : 0,
      conflicts: store.conflicts().length,
      automatic: automaticOn(),
      nextSyncAt: auto.nextAt(),
      problem: state.last_error ? (state.last_problem ?? 'the last sync did not finish') : null,
      partial: isRefusedSummary(state.last_error),
      encrypted: passphrase.has(),
      progress: engine.running() ? progress : null,
    };
  }

  function target(): SyncTarget {
    const config = store.config();
    if (!config.server_url || !config.database) throw new AppError('conflict', 'Set up sync first: enter your server address and database in Settings → Sync.');
    const password = credentials.read();
    const secret = passphrase.read();
    return {
      url: config.server_url,
      database: config.database,
      ...(config.username ? { username: config.username, password: password ?? '' } : {}),
      ...(secret ? { passphrase: secret } : {}),
    };
  }

  function configure(input: { url: string; database: string; username: string; password?: string; passphrase?: string }): SyncStatus {
    // Checked before anything is kept: HTTPS (or this computer), a usable database name.
    remoteUrlOf({ url: input.url, database: input.database });
    store.configure(input.url.replace(/\/+$/, ''), input.database, input.username || null);
    ctx.emit('data.changed', { topics: ['sync'] });
    if (input.password !== undefined) {
      if (input.password === '') credentials.remove();
      else credentials.write(input.password);
    }
    if (input.passphrase !== undefined) {
      if (input.passphrase === '') passphrase.remove();
      else passphrase.write(input.passphrase);
    }
    // New settings, new chances: automatic sync starts afresh, soon (a wrong password's backoff is forgotten).
    startAutomatic();
    return status();
  }

  let lastTold = 0;
  /** After each batch; the page hears of it a few times a second at most. */
  function onProgress(p: SyncProgress): void {
    const phaseChanged = p.phase !== progress?.phase;
    progress = p;
    const now = performance.now(); // pacing the page's updates, not a time kept anywhere
    if (phaseChanged || now - lastTold >= 250 || (p.total !== null && p.done >= p.total)) {
      lastTold = now;
      ctx.emit('data.changed', { topics: ['sync'] });
    }
  }

  async function syncNow() {
    const syncTarget = target();
    if (!engine.running()) progress = null;
    ctx.emit('data.changed', { topics: ['sync'] });
    try {
      const result = await engine.syncNow(syncTarget, onProgress);
      // What arrived from the other machines shows on every page.
      if (result.received > 0) ctx.emit('data.changed', { topics: SYNCED_TOPICS });
      return { ...result, status: status() };
    } finally {
      progress = null;
      ctx.emit('data.changed', { topics: ['sync'] });
    }
  }

  function startAutomatic(): void {
    wasEnabled = auto.enabled();
    if (wasEnabled) auto.start();
  }

  /** Everything the core announces: a change made here waits to be sent; the setting turns it on or off. */
  function heard(name: EventName, payload: unknown): void {
    if (name !== 'data.changed' || !ctx.db.open) return;
    const topics = (payload as { topics: string[] }).topics;
    if (topics.includes('settings') && auto.enabled() !== wasEnabled) {
      if (wasEnabled) {
        wasEnabled = false;
        auto.pause();
      } else startAutomatic();
    }
    if (!topics.some((t) => !LOCAL_TOPICS.has(t))) return;
    waitingBeforeFirst = null;
    if (!store.state().track) return;
    // A deletion made now is timed now, not when it is sent (store.stampChanges). Heard after the change
    // was committed: a write failing here (a full disk) goes to the health, never to the change's caller.
    void ctx.health.background('timing a change for sync', () => store.stampChanges(ctx.clock.now()));
    if (wasEnabled && store.hasPending()) auto.changed();
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
    startAutomatic,
    heard,
    /** Stops automatic sync (the collection closes); resolves when a sync in progress has ended. */
    async stop(): Promise<void> {
      await auto.stop();
      await engine.close();
    },
    conflicts,
    restore(id: string) {
      if (!store.restoreVersion(id, ctx.clock.now())) throw gone();
      ctx.emit('data.changed', { topics: ['sync', ...SYNCED_TOPICS] });
      return { ok: true as const };
    },
    dismiss(id: string) {
      if (!store.dismiss(id, ctx.clock.now())) throw gone();
      ctx.emit('data.changed', { topics: ['sync'] });
      return { ok: true as const };
    },
  };
}
export type SyncService = ReturnType<typeof makeSyncService>;

const services = new WeakMap<CoreContext, SyncService>();

/**
 * The one sync service of an open collection: the handlers and the app's lifecycle (automatic sync's
 * start, the changes it hears of, its stop on close) share it. Options count on the first call.
 */
export function syncServiceFor(ctx: CoreContext, options?: SyncServiceOptions): SyncService {
  let service = services.get(ctx);
  if (!service) services.set(ctx, (service = makeSyncService(ctx, options)));
  return service;
}
