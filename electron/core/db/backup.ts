import fs from 'node:fs';
import path from 'node:path';
import { format, getISOWeek, getISOWeekYear } from 'date-fns';
import type { Db } from '../context';
import type { BackupInfo } from '../../../shared/contract/app';
import { checkAndCopyInBackground } from './integrity';

export type BackupKind = BackupInfo['kind'];

const NAME = /^cadence-(daily|pre-migration|manual)-[\dT-]+-(\d+)\.sqlite$/;
const KEEP_DAILY = 7;
const KEEP_WEEKLY = 4;
const KEEP_PRE_MIGRATION = 3;

function backupName(dir: string, kind: BackupKind, now: number): string {
  return path.join(dir, `cadence-${kind}-${format(now, "yyyy-MM-dd'T'HH-mm-ss")}-${now}.sqlite`);
}

/** Gives a finished copy its final name: only whole backups ever carry it, so a crash never leaves a bad "good" file. */
function finish(partial: string, final: string, kind: BackupKind, now: number): BackupInfo {
  fs.renameSync(partial, final);
  return { file: final, createdAt: now, sizeBytes: fs.statSync(final).size, kind };
}

/**
 * Snapshot through SQLite's online backup API on the app's own connection: for the moment before a
 * migration, when nothing else is running.
 */
export async function createBackup(db: Db, dir: string, kind: BackupKind, now: number): Promise<BackupInfo> {
  fs.mkdirSync(dir, { recursive: true });
  const final = backupName(dir, kind, now);
  await db.backup(`${final}.partial`);
  return finish(`${final}.partial`, final, kind, now);
}

/**
 * Snapshot of the collection file made in a worker thread on its own connection (VACUUM INTO), while
 * the app keeps answering; with `check`, only after a full integrity_check passed. Resolves null with
 * the check's finding when the file is damaged.
 */
export async function backupInBackground(
  dbFile: string,
  dir: string,
  kind: BackupKind,
  now: number,
  check: boolean,
): Promise<{ backup: BackupInfo | null; problem: string | null }> {
  fs.mkdirSync(dir, { recursive: true });
  const final = backupName(dir, kind, now);
  const partial = `${final}.partial`;
  fs.rmSync(partial, { force: true });
  const result = await checkAndCopyInBackground(dbFile, partial, check);
  if (!result.ok) {
    fs.rmSync(partial, { force: true });
    if (check && result.code !== 'SQLITE_FULL' && result.code !== 'SQLITE_IOERR') return { backup: null, problem: result.detail };
    throw new Error(`The backup could not be written: ${result.detail}`);
  }
  return { backup: finish(partial, final, kind, now), problem: null };
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
