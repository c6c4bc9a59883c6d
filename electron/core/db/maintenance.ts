import fs from 'node:fs';
import type { CoreContext } from '../context';
import { backupInBackground, hasBackupToday, rotateBackups } from './backup';
import { recoveryMarker } from './open';
import { sweepTransientFiles } from '../files';

/**
 * Once a day, after the collection opened: a full integrity_check in a worker thread, then the daily
 * backup, copied only from a healthy file so damage never rotates the good backups away. Damage found
 * leaves a marker: the next start moves the file aside and restores the newest good backup.
 */
export async function dailyMaintenance(ctx: CoreContext): Promise<void> {
  const now = ctx.clock.now();
  sweepTransientFiles(ctx.paths, now);
  if (hasBackupToday(ctx.paths.backupsDir, now)) return;
  const { problem } = await backupInBackground(ctx.paths.dbFile, ctx.paths.backupsDir, 'daily', now, true);
  if (problem !== null) {
    fs.writeFileSync(recoveryMarker(ctx.paths), `${new Date(now).toISOString()} ${problem}\n`);
    ctx.log.error(`Integrity check failed: ${problem}`);
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
  rotateBackups(ctx.paths.backupsDir);
}
