import fs from 'node:fs';
import path from 'node:path';
import { format } from 'date-fns';
import { AppError } from '../../../shared/errors';
import type { Notice } from '../../../shared/contract/app';
import type { Clock, Db, Logger, Paths } from '../context';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './migrate';
import { openSqlite } from './sqlite';
import { createBackup, hasBackupToday, listBackups, rotateBackups } from './backup';

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

/** SQLite result codes that mean "this file is not a healthy database". */
const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_INDEX']);

function isCorruption(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return typeof code === 'string' && CORRUPTION_CODES.has(code);
}

/** Opens a file and runs integrity_check; returns null when the file is damaged. */
function openChecked(file: string, readonly = false): Db | null {
  let db: Db | undefined;
  try {
    db = openSqlite(file, { readonly, fileMustExist: readonly });
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    if (rows.length === 1 && rows[0]?.integrity_check === 'ok') return db;
    db.close();
    return null;
  } catch (err) {
    db?.close();
    if (isCorruption(err)) return null;
    throw err;
  }
}

function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  // FULL: a write that returned success survives a power cut or a killed process.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/** Moves a damaged database (and its WAL/SHM files) aside; never deletes it. Returns the new name. */
function moveAside(file: string, now: number): string {
  const aside = `${file}.damaged-${format(now, "yyyy-MM-dd'T'HH-mm-ss")}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

/** Copies the newest backup that passes integrity_check into place. Returns it, or null when none is good. */
function restoreNewestGoodBackup(paths: Paths, log: Logger): { createdAt: number } | null {
  for (const backup of listBackups(paths.backupsDir)) {
    const db = openChecked(backup.file, true);
    if (!db) {
      log.warn(`Backup ${backup.file} is damaged too; trying an older one`);
      continue;
    }
    db.close();
    fs.copyFileSync(backup.file, paths.dbFile);
    return backup;
  }
  return null;
}

function readMeta(db: Db, key: string): string | undefined {
  try {
    const row = db.prepare('SELECT value FROM app_meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  } catch {
    return undefined;
  }
}

/**
 * Opens (creating if needed) the collection in paths.dataDir: checks its integrity and recovers from
 * the newest good backup when it is damaged, refuses a database made by a newer Cadence, backs up
 * before migrating, migrates, and makes the day's backup.
 */
export async function openCollection({ paths, clock, log, appVersion }: OpenOptions): Promise<OpenedCollection> {
  fs.mkdirSync(paths.dataDir, { recursive: true });
  fs.mkdirSync(paths.backupsDir, { recursive: true });
  const notices: Notice[] = [];
  const now = clock.now();

  let db = openChecked(paths.dbFile);
  if (!db) {
    const aside = moveAside(paths.dbFile, now);
    const restored = restoreNewestGoodBackup(paths, log);
    const movedTo = path.basename(aside);
    notices.push({
      level: 'error',
      message: restored
        ? `Your collection was damaged and could not be opened. The damaged file was kept as ${movedTo} in your data folder, ` +
          `and the backup from ${format(restored.createdAt, 'd MMMM yyyy, HH:mm')} was restored. Changes made after that backup are missing.`
        : `Your collection was damaged and no good backup was found. The damaged file was kept as ${movedTo} in your data folder ` +
          `and Cadence started a new, empty collection.`,
    });
    log.error(`Damaged database moved to ${aside}; restored: ${restored ? restored.createdAt : 'nothing'}`);
    db = openChecked(paths.dbFile);
    if (!db) throw new AppError('internal', 'Cadence could not open or recreate its collection file.');
  }

  try {
    configure(db);
    const version = schemaVersion(db);
    if (version > LATEST_SCHEMA_VERSION) {
      const madeBy = readMeta(db, 'app_version');
      throw new AppError(
        'unsupported',
        `This collection was written by ${madeBy ? `Cadence ${madeBy}` : 'a newer Cadence'} (data format ${version}); ` +
          `this is Cadence ${appVersion}, which reads data formats up to ${LATEST_SCHEMA_VERSION}. ` +
          `Install Cadence ${madeBy ?? 'the newer version'} or later to open it; your data was not changed.`,
      );
    }
    if (version > 0 && version < LATEST_SCHEMA_VERSION) {
      await createBackup(db, paths.backupsDir, 'pre-migration', now);
    }
    migrate(db);
    db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
      'app_version',
      appVersion,
    );
    if (!hasBackupToday(paths.backupsDir, now)) {
      await createBackup(db, paths.backupsDir, 'daily', now);
      rotateBackups(paths.backupsDir);
    }
    return { db, notices };
  } catch (err) {
    db.close();
    throw err;
  }
}
