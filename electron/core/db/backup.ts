import fs from 'node:fs';
import path from 'node:path';
import { format, getISOWeek, getISOWeekYear } from 'date-fns';
import type { Db } from '../context';
import type { BackupInfo } from '../../../shared/contract/app';

export type BackupKind = BackupInfo['kind'];

const NAME = /^cadence-(daily|pre-migration|manual)-[\dT-]+-(\d+)\.sqlite$/;
const KEEP_DAILY = 7;
const KEEP_WEEKLY = 4;
const KEEP_PRE_MIGRATION = 3;

/** Snapshot of the live database through SQLite's online backup API (consistent while in use). */
export async function createBackup(db: Db, dir: string, kind: BackupKind, now: number): Promise<BackupInfo> {
  fs.mkdirSync(dir, { recursive: true });
  const file = `cadence-${kind}-${format(now, "yyyy-MM-dd'T'HH-mm-ss")}-${now}.sqlite`;
  const final = path.join(dir, file);
  const partial = `${final}.partial`;
  await db.backup(partial);
  // Only whole backups ever carry the final name, so a crash mid-backup never leaves a bad "good" file.
  fs.renameSync(partial, final);
  return { file: final, createdAt: now, sizeBytes: fs.statSync(final).size, kind };
}

/** Backups in `dir`, newest first. Files that do not look like ours are ignored. */
export function listBackups(dir: string): BackupInfo[] {
  if (!fs.existsSync(dir)) return [];
  const out: BackupInfo[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    out.push({ file, kind: m[1] as BackupKind, createdAt: Number(m[2]), sizeBytes: fs.statSync(file).size });
  }
  return out.sort((a, b) => b.createdAt - a.createdAt);
}

/** True when a daily or manual backup was made on the same local calendar day as `now`. */
export function hasBackupToday(dir: string, now: number): boolean {
  const today = format(now, 'yyyy-MM-dd');
  return listBackups(dir).some((b) => b.kind !== 'pre-migration' && format(b.createdAt, 'yyyy-MM-dd') === today);
}

/**
 * Keeps the newest backup of each of the last 7 days that have one, then the newest of each of the
 * 4 weeks before those, and the 3 newest pre-migration backups; deletes the rest. Returns what it deleted.
 */
export function rotateBackups(dir: string): string[] {
  const all = listBackups(dir);
  const keep = new Set<string>();
  const keptDays = new Set<string>();
  const coveredWeeks = new Set<string>();
  let weeklyKept = 0;
  for (const b of all) {
    if (b.kind === 'pre-migration') continue;
    const day = format(b.createdAt, 'yyyy-MM-dd');
    const week = `${getISOWeekYear(b.createdAt)}-W${getISOWeek(b.createdAt)}`;
    if (keptDays.has(day)) continue; // an older backup of a day already kept
    if (keptDays.size < KEEP_DAILY) {
      keptDays.add(day);
      coveredWeeks.add(week);
      keep.add(b.file);
    } else if (weeklyKept < KEEP_WEEKLY && !coveredWeeks.has(week)) {
      keptDays.add(day);
      coveredWeeks.add(week);
      weeklyKept++;
      keep.add(b.file);
    }
  }
  all
    .filter((b) => b.kind === 'pre-migration')
    .slice(0, KEEP_PRE_MIGRATION)
    .forEach((b) => keep.add(b.file));
  const deleted: string[] = [];
  for (const b of all) {
    if (keep.has(b.file)) continue;
    fs.rmSync(b.file, { force: true });
    deleted.push(b.file);
  }
  return deleted;
}
