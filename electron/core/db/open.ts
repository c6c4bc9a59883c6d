import fs from 'node:fs';
import path from 'node:path';
import { format } from 'date-fns';
import { AppError } from '../../../shared/errors';
import type { Notice } from '../../../shared/contract/app';
import type { Clock, Db, Logger, Paths } from '../context';
import { LATEST_SCHEMA_VERSION, migrate } from './migrate';
import { openSqlite } from './sqlite';
import { createBackup, listBackups } from './backup';
import { CADENCE_APP_ID, compareVersions, hasCadenceTables, tableNames } from './identity';
import { isDamage } from '../faults';

export interface OpenOptions {
  paths: Paths;
  clock: Clock;
  log: Logger;
  appVersion: string;
}

export interface OpenedCollection {
  db: Db;
  notices: Notice[];
}

/** Left when damage was found while Cadence ran: the next start recovers even if the user never chose to. */
export function recoveryMarker(paths: Paths): string {
  return path.join(paths.dataDir, 'needs-recovery');
}

/** Creates the data and backups folders; a folder Cadence cannot write to is refused in a sentence. */
export function ensureDataFolder(paths: Paths): void {
  for (const dir of [paths.dataDir, paths.backupsDir]) {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw folderProblem(dir, err);
    }
  }
  try {
    fs.accessSync(paths.dataDir, fs.constants.W_OK);
  } catch (err) {
    throw folderProblem(paths.dataDir, err);
  }
}

function folderProblem(dir: string, err: unknown): AppError {
  const code = (err as { code?: string }).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return new AppError('unsupported', `Cadence keeps its data in the folder ${dir}, but something on that path is a file, not a folder. Move or rename that file, then start Cadence again.`);
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('disk_full', `Your disk is full, so Cadence could not create its data folder ${dir}. Free some space, then start Cadence again.`);
  }
  return new AppError(
    'read_only',
    `Cadence cannot write to its data folder ${dir}${code === 'EROFS' ? ' (the disk it is on is read-only)' : ''}, so nothing could be saved. ` +
      'Give your user account permission to write there, or start Cadence with another data folder (set CADENCE_DATA_DIR, or --data-dir in browser mode).',
  );
}

/** What sits at the collection's path, found without writing a byte to it. */
type Found =
  | { kind: 'collection'; version: number }
  | { kind: 'new' }
  | { kind: 'damaged'; why: 'damaged' | 'empty' | 'missing' };

function existing(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw err;
  }
}

function writable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Looks at the collection file before anything is written to it: a folder, a read-only file, another
 * program's database or one of a newer data format is refused as it is (never switched to WAL, never
 * given Cadence's tables); an empty or missing file next to existing backups is damage, not a new user.
 */
function inspect(paths: Paths, appVersion: string): Found {
  const file = paths.dbFile;
  const stat = existing(file);
  if (stat?.isDirectory()) {
    throw new AppError('unsupported', `Cadence's collection should be a file, but ${file} is a folder. Move or rename that folder, then start Cadence again.`);
  }
  if (stat && !stat.isFile()) {
    throw new AppError('unsupported', `Cadence's collection ${file} is not an ordinary file. Move it away, then start Cadence again.`);
  }
  const wal = existing(`${file}-wal`);
  // The log can hold a whole young collection whose file was never written yet: that is not empty.
  const empty = !stat || (stat.size === 0 && (wal?.size ?? 0) === 0);
  if (empty) {
    if (listBackups(paths.backupsDir).length === 0) return { kind: 'new' };
    return { kind: 'damaged', why: stat ? 'empty' : 'missing' };
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (existing(f) && !writable(f)) {
      throw new AppError(
        'read_only',
        `Cadence's collection file ${f} is read-only, so nothing you study could be saved. Make it writable again (in its properties, or with chmod u+w), ` +
          'then start Cadence again. Nothing was changed.',
      );
    }
  }
  if (fs.existsSync(recoveryMarker(paths))) return { kind: 'damaged', why: 'damaged' };

  let db: Db | undefined;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = tableNames(db);
    if (appId !== CADENCE_APP_ID && (appId !== 0 || (tables.size > 0 && !hasCadenceTables(tables)))) {
      throw new AppError(
        'unsupported',
        `The file ${file} is a database of another program, not a Cadence collection, so Cadence left it untouched. ` +
          'Move it somewhere else (it may belong to an app you use), then start Cadence again to begin a new collection, or restore a Cadence backup.',
      );
    }
    if (version > LATEST_SCHEMA_VERSION) {
      const madeBy = tables.has('app_meta') ? readMeta(db, 'app_version') : undefined;
      // Name the writer only when it really is newer: a file can carry an older name beside a newer format.
      const newer = madeBy && compareVersions(madeBy, appVersion) > 0 ? madeBy : undefined;
      throw new AppError(
        'unsupported',
        `This collection was written by ${newer ? `Cadence ${newer}` : 'a newer version of Cadence'} (data format ${version}); ` +
          `this is Cadence ${appVersion}, which reads data formats up to ${LATEST_SCHEMA_VERSION}. ` +
          `Install ${newer ? `Cadence ${newer}` : 'the newer Cadence'} or later to open it. Your data was not changed.`,
      );
    }
    return { kind: 'collection', version };
  } catch (err) {
    if (isDamage(err)) return { kind: 'damaged', why: 'damaged' };
    throw err;
  } finally {
    db?.close();
  }
}

function readMeta(db: Db, key: string): string | undefined {
  try {
    const row = db.prepare('SELECT value FROM app_meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  } catch {
    return undefined;
  }
}

/** True when the file passes a full integrity_check and is a Cadence collection (for backups before one is restored). */
export function isGoodBackup(file: string): boolean {
  let db: Db | undefined;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const appId = db.pragma('application_id', { simple: true }) as number;
    return rows.length === 1 && rows[0]?.integrity_check === 'ok' && (appId === CADENCE_APP_ID || appId === 0) && hasCadenceTables(tableNames(db));
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/** Moves a damaged database (and its WAL/SHM files) aside; never deletes it. Returns the new name. */
function moveAside(file: string, now: number): string | null {
  if (!fs.existsSync(file) && !fs.existsSync(`${file}-wal`)) return null;
  const aside = `${file}.damaged-${format(now, "yyyy-MM-dd'T'HH-mm-ss")}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

export interface Recovery {
  notice: Notice;
  /** When the backup now in place was made; null when none was good and a new collection was started. */
  restoredFrom: number | null;
  /** The name the damaged file was kept under, in the data folder; null when there was no file. */
  keptAs: string | null;
}

const when = (t: number) => format(t, 'd MMMM yyyy, HH:mm');

/**
 * Sets the collection file aside (never deleting it) and puts the newest backup that passes a full
 * check in its place; with none, the next open starts a new collection. The connection must be closed.
 */
export function recoverFromBackup(paths: Paths, log: Logger, now: number, why: 'damaged' | 'empty' | 'missing'): Recovery {
  const aside = moveAside(paths.dbFile, now);
  fs.rmSync(recoveryMarker(paths), { force: true });
  const restored = listBackups(paths.backupsDir).find((b) => isGoodBackup(b.file)) ?? null;
  if (restored) {
    // Whole or not at all: a copy cut short by a full disk must never sit where the collection belongs.
    const partial = `${paths.dbFile}.partial`;
    try {
      fs.copyFileSync(restored.file, partial);
      fs.renameSync(partial, paths.dbFile);
    } catch (err) {
      // No collection file is left behind: the next start finds backups and no file, and restores again.
      fs.rmSync(partial, { force: true });
      throw err;
    }
  }
  const keptAs = aside ? path.basename(aside) : null;
  const what = {
    damaged: 'Your collection was damaged and could not be used.',
    empty: 'Your collection file was empty, although Cadence has backups of it (a disk, copy or sync problem can do this).',
    missing: `Your collection file was missing from ${paths.dataDir}, although Cadence has backups of it.`,
  }[why];
  const kept = keptAs ? ` The ${why === 'empty' ? 'empty' : 'damaged'} file was kept as ${keptAs} in your data folder.` : '';
  const message = restored
    ? `${what}${kept} The backup from ${when(restored.createdAt)} was restored: changes made after that are missing.`
    : `${what}${kept} No good backup was found, so Cadence started a new, empty collection.`;
  log.error(`Collection ${why}; kept as ${aside ?? 'nothing'}; restored: ${restored ? restored.file : 'nothing'}`);
  return { notice: { level: 'error', message }, restoredFrom: restored?.createdAt ?? null, keptAs };
}

/** Log pages after which a commit checkpoints by itself (32 MB of 4 KB pages). */
export const WAL_AUTOCHECKPOINT_PAGES = 8192;

function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  // NORMAL: a commit survives Cadence being killed at once, and a power cut from the next checkpoint on
  // (a few seconds, app.ts); a power cut before that drops whole transactions, never half of one. Writes
  // that must be on disk before something acts on them use durableTransaction (durable.ts).
  db.pragma('synchronous = NORMAL');
  // Checkpoints run between requests (walKeeper.ts, every 2 s), not inside an answer's commit. Only a
  // burst far faster than a person (an import, a script) reaches this many pages (32 MB) of log
  // between two of those; then the commit that crosses it folds the log in, so the log stays bounded.
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  // After a checkpoint lets the log start over, its file is cut back to this size, so a burst of
  // writes (an import, a fast session) does not leave a large file behind.
  db.pragma(`journal_size_limit = ${16 * 1024 * 1024}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/** Marks the file as Cadence's and records which Cadence last wrote it (each written only on change). */
function stamp(db: Db, appVersion: string): void {
  if (db.pragma('application_id', { simple: true }) !== CADENCE_APP_ID) db.pragma(`application_id = ${CADENCE_APP_ID}`);
  if (readMeta(db, 'app_version') !== appVersion) {
    db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run('app_version', appVersion);
  }
}

/**
 * Opens (creating if needed) the collection in paths.dataDir. Everything that could refuse the file is
 * decided before a byte of it is written (inspect); damage found at the door is recovered from the
 * newest good backup with a notice; an older data format is backed up, then migrated. The integrity
 * check of every page runs after opening, in the background (maintenance.ts).
 */
export async function openCollection({ paths, clock, log, appVersion }: OpenOptions): Promise<OpenedCollection> {
  ensureDataFolder(paths);
  const notices: Notice[] = [];
  const now = clock.now();

  let found = inspect(paths, appVersion);
  if (found.kind === 'damaged') {
    notices.push(recoverFromBackup(paths, log, now, found.why).notice);
    found = inspect(paths, appVersion);
    if (found.kind === 'damaged') throw new AppError('damaged', 'Cadence could not open or recreate its collection file.');
  }

  const db = openSqlite(paths.dbFile);
  try {
    configure(db);
    const version = found.kind === 'collection' ? found.version : 0;
    if (version > 0 && version < LATEST_SCHEMA_VERSION) await createBackup(db, paths.backupsDir, 'pre-migration', now);
    migrate(db);
    stamp(db, appVersion);
    return { db, notices };
  } catch (err) {
    db.close();
    throw err;
  }
}
