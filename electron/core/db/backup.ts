import fs from 'node:fs';
import path from 'node:path';
import { format, getISOWeek, getISOWeekYear } from 'date-fns';
import type { Db } from '../context';
import { BACKUP_FILE_NAME, type BackupInfo } from '../../../shared/contract/app';
import { checkAndCopyInBackground, type CheckKind, type CollectionCounts } from './integrity';
import { openSqlite } from './sqlite';
import { isDamageCode } from '../faults';

export type BackupKind = BackupInfo['kind'];

const KEEP_DAILY = 7;
const KEEP_WEEKLY = 4;
const KEEP_PRE_MIGRATION = 3;
/** "Back up now" copies are the user's own: the newest few stay whatever day they were made. */
const KEEP_MANUAL = 5;

function backupName(dir: string, kind: BackupKind, now: number): string {
  return path.join(dir, `cadence-${kind}-${format(now, "yyyy-MM-dd'T'HH-mm-ss")}-${now}.sqlite`);
}

/** Gives a finished copy its final name: only whole backups ever carry it, so a crash never leaves a bad "good" file. */
function finish(partial: string, final: string, kind: BackupKind, now: number): BackupInfo {
  fs.renameSync(partial, final);
  return { file: final, createdAt: now, sizeBytes: fs.statSync(final).size, kind };
}

/** Runs `write` on a partial file; on any failure the partial file goes too, so a full disk is not kept full. */
async function writingPartial<T>(partial: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

/**
 * Snapshot through SQLite's online backup API on the app's own connection: for the moment before a
 * migration, when nothing else is running.
 */
export async function createBackup(db: Db, dir: string, kind: BackupKind, now: number): Promise<BackupInfo> {
  fs.mkdirSync(dir, { recursive: true });
  const final = backupName(dir, kind, now);
  const partial = `${final}.partial`;
  return writingPartial(partial, async () => {
    await db.backup(partial);
    return finish(partial, final, kind, now);
  });
}

/** What a backup made in the background holds: null `problem` and the copy, or the check's finding. */
export type BackgroundBackup = { backup: BackupInfo; counts: CollectionCounts; problem: null } | { backup: null; counts: null; problem: string };

/**
 * Snapshot of the collection file made in a worker thread on its own connection (VACUUM INTO), while
 * the app keeps answering; with `check`, only after that check passed. Resolves with the check's
 * finding when the file is damaged; a copy that could not be written (a full disk) is removed and
 * thrown as the fault it is.
 */
export async function backupInBackground(dbFile: string, dir: string, kind: BackupKind, now: number, check: CheckKind): Promise<BackgroundBackup> {
  fs.mkdirSync(dir, { recursive: true });
  const final = backupName(dir, kind, now);
  const partial = `${final}.partial`;
  fs.rmSync(partial, { force: true });
  return writingPartial(partial, async () => {
    const result = await checkAndCopyInBackground(dbFile, partial, check);
    if (!result.ok) {
      fs.rmSync(partial, { force: true });
      if (check && isDamageCode(result.code)) return { backup: null, counts: null, problem: result.detail };
      throw Object.assign(new Error(`The backup could not be written: ${result.detail}`), { code: result.code });
    }
    return { backup: finish(partial, final, kind, now), counts: result.counts!, problem: null };
  });
}

/** Notes, cards and reviews in a backup file, or null when it cannot be read. */
export function countBackup(file: string): CollectionCounts | null {
  let db: Db | undefined;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    return countCollection(db);
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

export function countCollection(db: Db): CollectionCounts {
  const n = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { notes: n('notes'), cards: n('cards'), reviews: n('revlog') };
}

/** Backups in `dir`, newest first. Files that do not look like ours are ignored. */
export function listBackups(dir: string): BackupInfo[] {
  if (!fs.existsSync(dir)) return [];
  const out: BackupInfo[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = BACKUP_FILE_NAME.exec(name);
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

export interface Rotation {
  deleted: string[];
  /** Backups past their time that were kept because they hold more than the collection does now. */
  keptLarger: (BackupInfo & CollectionCounts)[];
}

/**
 * Keeps the newest backup of each of the last 7 days that have one, then the newest of each of the
 * 4 weeks before those, the 5 newest "Back up now" copies and the 3 newest pre-migration backups;
 * deletes the rest, except a backup holding more notes or reviews than `current` (the collection as it
 * is now): that may be the last good copy of what went missing, so it stays and is reported.
 */
export function rotateBackups(dir: string, current: CollectionCounts | null = null): Rotation {
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
  for (const [kind, count] of [['pre-migration', KEEP_PRE_MIGRATION], ['manual', KEEP_MANUAL]] as const) {
    all
      .filter((b) => b.kind === kind)
      .slice(0, count)
      .forEach((b) => keep.add(b.file));
  }
  const rotation: Rotation = { deleted: [], keptLarger: [] };
  for (const b of all) {
    if (keep.has(b.file)) continue;
    const held = current ? countBackup(b.file) : null;
    if (held && current && (held.notes > current.notes || held.reviews > current.reviews)) {
      rotation.keptLarger.push({ ...b, ...held });
      continue;
    }
    fs.rmSync(b.file, { force: true });
    rotation.deleted.push(b.file);
  }
  return rotation;
}
