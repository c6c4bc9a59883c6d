import fs from 'node:fs';
import path from 'node:path';
import { format } from 'date-fns';
import { AppError } from '../../../shared/errors';
import type { Notice } from '../../../shared/contract/app';
import type { Clock, Db, Logger, Paths } from '../context';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './migrate';
import { openSqlite } from './sqlite';
import { createBackup, listBackups } from './backup';

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

/**
 * Opens the collection and reads its schema: a file that is not a database or whose header or schema
 * is damaged fails here. The full integrity_check of every page runs in the background at startup
 * (maintenance.ts), because on a large collection it takes seconds; when it finds damage it leaves a
 * marker so the next start recovers. Returns null when the file is damaged.
 */
function openReadable(file: string, marker: string): Db | null {
  if (fs.existsSync(file) && fs.existsSync(marker)) return null;
  let db: Db | undefined;
  try {
    db = openSqlite(file);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.pragma('user_version');
    return db;
  } catch (err) {
    db?.close();
    if (isCorruption(err)) return null;
    throw err;
  }
}

/** True when the file passes a full integrity_check (used for backups before one is restored). */
function isHealthy(file: string): boolean {
  let db: Db | undefined;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.length === 1 && rows[0]?.integrity_check === 'ok';
  } catch (err) {
    if (isCorruption(err)) return false;
    throw err;
  } finally {
    db?.close();
  }
}

function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  // NORMAL: a commit survives Cadence being killed at once, and a power cut from the next checkpoint on
  // (a few seconds, app.ts); a power cut before that drops whole transactions, never half of one. Writes
  // that must be on disk before something acts on them use durableTransaction (durable.ts).
  db.pragma('synchronous = NORMAL');
  // Checkpoints run when Cadence is idle (see app.ts), never inside an answer's commit.
  db.pragma('wal_autocheckpoint = 0');
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
    if (!isHealthy(backup.file)) {
      log.warn(`Backup ${backup.file} is damaged too; trying an older one`);
      continue;
    }
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

/** Left by a background integrity check that found damage: the next start recovers from a backup. */
export function recoveryMarker(paths: Paths): string {
  return path.join(paths.dataDir, 'needs-recovery');
}

/**
 * Opens (creating if needed) the collection in paths.dataDir: recovers from the newest good backup when
 * the file is damaged (or a background check marked it so), refuses a database made by a newer
 * Cadence, backs up before migrating, and migrates. The daily integrity check and backup run after
 * opening (maintenance.ts).
 */
export async function openCollection({ paths, clock, log, appVersion }: OpenOptions): Promise<OpenedCollection> {
  fs.mkdirSync(paths.dataDir, { recursive: true });
  fs.mkdirSync(paths.backupsDir, { recursive: true });
  const notices: Notice[] = [];
  const now = clock.now();

  const marker = recoveryMarker(paths);
  let db = openReadable(paths.dbFile, marker);
  if (!db) {
    const aside = moveAside(paths.dbFile, now);
    fs.rmSync(marker, { force: true });
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
    db = openReadable(paths.dbFile, marker);
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
    // Which Cadence last wrote this file, for the "made by a newer Cadence" message (written only on change).
    if (readMeta(db, 'app_version') !== appVersion) {
      db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run('app_version', appVersion);
    }
    return { db, notices };
  } catch (err) {
    db.close();
    throw err;
  }
}
