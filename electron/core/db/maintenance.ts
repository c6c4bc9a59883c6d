import fs from 'node:fs';
import type { CoreContext } from '../context';
import { createBackup, hasBackupToday, rotateBackups } from './backup';
import { checkIntegrityInBackground } from './integrity';
import { recoveryMarker } from './open';

/**
 * Once a day, after the collection opened: a full integrity_check in a worker thread, then the daily
 * backup, but only of a healthy file, so damage never rotates the good backups away. Damage found
 * leaves a marker: the next start moves the file aside and restores the newest good backup.
 */
export async function dailyMaintenance(ctx: CoreContext): Promise<void> {
  const now = ctx.clock.now();
  if (hasBackupToday(ctx.paths.backupsDir, now)) return;
  const check = await checkIntegrityInBackground(ctx.paths.dbFile);
  if (!check.ok) {
    fs.writeFileSync(recoveryMarker(ctx.paths), `${new Date(now).toISOString()} ${check.detail}\n`);
    ctx.log.error(`Integrity check failed: ${check.detail}`);
    const notice = {
      level: 'error' as const,
      message:
        'Cadence found damage in your collection file. Quit and reopen Cadence: it will set the damaged file aside (it is never deleted) ' +
        'and restore your newest good backup. Until then, changes you make may not be kept.',
    };
    ctx.notices.push(notice);
    ctx.emit('app.notice', notice);
    return;
  }
  if (!ctx.db.open) return;
  await createBackup(ctx.db, ctx.paths.backupsDir, 'daily', now);
  rotateBackups(ctx.paths.backupsDir);
}
