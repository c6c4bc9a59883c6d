import type { CoreContext } from '../context';
import { backupInBackground, countCollection, hasBackupToday, rotateBackups, type Rotation } from './backup';
import { checkIntegrityInBackground } from './integrity';
import { sweepTransientFiles } from '../files';
import { isDamageCode, READER_STOPPED } from '../faults';
import { format } from 'date-fns';

/** A check that gave way to a busy session (integrity.ts stopReaders) tries again this much later. */
const RETRY_AFTER_MS = 5 * 60_000;

/**
 * After the collection opened, in worker threads: once a day a full integrity_check and the daily
 * backup, copied only from a healthy file so damage never rotates the good backups away; on every
 * other start a quick_check, so damage done while Cadence was closed (a crash, a bad disk, a sync tool)
 * is found within seconds rather than at the next daily check. Each starts when the learner pauses
 * (two seconds without a write), and one that gave way to a fast session runs again later. Damage
 * stops writes and offers recovery at once (health.ts). Never throws: a failure is reported to the
 * health and logged.
 */
export function startupMaintenance(ctx: CoreContext, whenQuiet: () => Promise<void>): Promise<void> {
  return ctx.health.background('the start-up check', async () => {
    for (;;) {
      // A check is one long read at a time, which holds the write-ahead log open: start it in a pause.
      await whenQuiet();
      if (!ctx.db.open) return;
      try {
        return await checkAndBackUp(ctx);
      } catch (err) {
        if ((err as { code?: string }).code !== READER_STOPPED) throw err;
        ctx.log.info('The start-up check gave way to a busy session; it runs again in a few minutes.');
        await new Promise<void>((resolve) => setTimeout(resolve, RETRY_AFTER_MS).unref());
        if (!ctx.db.open) return;
      }
    }
  });
}

async function checkAndBackUp(ctx: CoreContext): Promise<void> {
  const now = ctx.clock.now();
  sweepTransientFiles(ctx.paths, now);
  if (hasBackupToday(ctx.paths.backupsDir, now)) {
    const result = await checkIntegrityInBackground(ctx.paths.dbFile, 'quick');
    if (!result.ok) reportFinding(ctx, result.detail, result.code, 'the start-up check');
    return;
  }
  const made = await backupInBackground(ctx.paths.dbFile, ctx.paths.backupsDir, 'daily', now, 'full');
  if (made.problem !== null) {
    ctx.health.markDamaged(made.problem, 'the daily integrity check');
    return;
  }
  announceKept(ctx, rotateBackups(ctx.paths.backupsDir, countCollection(ctx.db)));
  ctx.emit('data.changed', { topics: ['backups'] });
}

function reportFinding(ctx: CoreContext, detail: string, code: string | undefined, where: string): void {
  // A check that could not run for a reason of its own (no memory, a busy disk) found nothing.
  if (isDamageCode(code)) ctx.health.markDamaged(detail, where);
  else ctx.log.warn(`${where} could not run: ${detail}`);
}

const ANNOUNCED_KEY = 'backups.kept_announced';

/** Tells the user, once per backup, that rotation kept an old backup holding more than the collection. */
export function announceKept(ctx: CoreContext, rotation: Rotation): void {
  if (!rotation.keptLarger.length) return;
  const row = ctx.db.prepare('SELECT value FROM app_meta WHERE key = ?').get(ANNOUNCED_KEY) as { value: string } | undefined;
  const announced = new Set<string>(row ? (JSON.parse(row.value) as string[]) : []);
  const fresh = rotation.keptLarger.filter((b) => !announced.has(b.file));
  if (!fresh.length) return;
  const newest = fresh[0]!;
  const message =
    `Cadence kept ${fresh.length === 1 ? 'an older backup' : `${fresh.length} older backups`} instead of deleting ${fresh.length === 1 ? 'it' : 'them'}: ` +
    `the one from ${format(newest.createdAt, 'd MMMM yyyy')} holds ${newest.notes.toLocaleString('en')} notes and ${newest.reviews.toLocaleString('en')} reviews, ` +
    'more than your collection has now. If you did not remove those on purpose, restore it from Settings → Your data.';
  ctx.notices.push({ level: 'warning', message });
  ctx.emit('app.notice', { level: 'warning', message });
  for (const b of fresh) announced.add(b.file);
  ctx.db
    .prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    .run(ANNOUNCED_KEY, JSON.stringify([...announced]));
}
