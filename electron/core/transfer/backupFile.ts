// The whole collection as one file the user keeps: a zip with the database (a consistent snapshot from
// SQLite's backup API), every media file, and manifest.json listing each file's size and SHA-256.
//
// Restoring checks everything before it touches anything: every checksum, the database's integrity,
// that it is a Cadence collection no newer than this build. Then it saves the current collection as a
// backup of the same kind in the backups folder, adds the backup's media files (names are content
// hashes, so nothing is overwritten) and copies the database into the live one with SQLite's backup API
// in one step: the open connection sees the restored collection at once (SQLite re-prepares statements
// after a schema change). The backup's schema must match what Cadence builds at its version (no planted
// triggers or views), and older formats are migrated in the private copy before it is copied, so a
// failure midway leaves the current collection as it was. No reopen is needed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'date-fns';
import { zipSync, type Zippable } from 'fflate';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { CoreContext, Db } from '../context';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from '../db/migrate';
import { openSqlite } from '../db/sqlite';
import { CADENCE_APP_ID, hasCadenceTables, tableNames } from '../db/identity';
import type { Job } from './jobs';
import { writeFileWhole } from '../files';
import { openDatabaseBytes } from './sqliteBytes';
import { DEFAULT_ZIP_LIMITS, ZipArchive, type ZipLimits } from './zip';

const WHAT = 'The backup file';
const DB_ENTRY = 'collection.sqlite';
const MEDIA_NAME = /^[\w.-]{1,128}$/;

const manifestSchema = z.object({
  format: z.literal('cadence-backup'),
  version: z.literal(1),
  createdAt: z.number(),
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  files: z.array(z.object({ path: z.string(), size: z.number().int().nonnegative(), sha256: z.string().regex(/^[a-f0-9]{64}$/) })),
});
type Manifest = z.output<typeof manifestSchema>;

const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');

function counts(db: Db) {
  const n = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { notes: n('notes'), cards: n('cards'), decks: n('decks') };
}

interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** Everything in a schema a file could have planted: tables, indexes, views, triggers (SQLite's own aside). */
function schemaObjects(db: Db): Map<string, SchemaObject> {
  const rows = db
    .prepare<[], SchemaObject>("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    .all();
  return new Map(rows.map((r) => [`${r.type} ${r.name}`, r]));
}

const sameSql = (a: string | null, b: string | null) => (a ?? '').replace(/\s+/g, ' ').trim() === (b ?? '').replace(/\s+/g, ' ').trim();

/**
 * The backup's schema must be exactly the one Cadence itself builds at the backup's version: a table,
 * index, view or trigger more, or one with other SQL (a trigger that deletes notes, say), would be
 * copied into the live collection and run there. Compared against a fresh collection built in memory.
 */
function refuseForeignSchema(db: Db, version: number): void {
  const fresh = openSqlite(':memory:');
  let expected: Map<string, SchemaObject>;
  try {
    migrate(fresh, version);
    expected = schemaObjects(fresh);
  } finally {
    fresh.close();
  }
  const actual = schemaObjects(db);
  const strange: string[] = [];
  for (const [key, obj] of actual) {
    const want = expected.get(key);
    if (!want || want.tbl_name !== obj.tbl_name || !sameSql(want.sql, obj.sql)) strange.push(`${obj.type} "${obj.name.slice(0, 60)}"`);
  }
  for (const [key, obj] of expected) if (!actual.has(key)) strange.push(`${obj.type} "${obj.name}" (missing)`);
  if (strange.length) {
    throw new AppError(
      'unsupported',
      `${WHAT} holds a database whose structure Cadence did not make (${strange.slice(0, 3).join(', ')}${strange.length > 3 ? `, and ${strange.length - 3} more` : ''}). It may be damaged or tampered with, so it was not restored. Nothing was changed.`,
    );
  }
}

/**
 * Opens a collection database from a backup (a file's bytes, privately in memory) and checks that it is
 * whole, Cadence's, of a format this build reads and of exactly the structure Cadence builds. `what`
 * names it in messages; `madeBy` is the Cadence version the backup says made it. The caller closes it.
 */
function checkCollection(bytes: Uint8Array, what: string, madeBy: string | null): Db {
  const db = openDatabaseBytes(bytes, `The collection in ${what.replace(/^The /, 'the ')}`);
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    if ((appId !== 0 && appId !== CADENCE_APP_ID) || !hasCadenceTables(tableNames(db))) {
      throw new AppError('unsupported', `${what} does not hold a Cadence collection. Nothing was changed.`);
    }
    const version = schemaVersion(db);
    if (version > LATEST_SCHEMA_VERSION) {
      throw new AppError(
        'unsupported',
        `${what} was made by a newer Cadence (${madeBy ? `${madeBy}, ` : ''}data format ${version}); this one reads formats up to ${LATEST_SCHEMA_VERSION}. Update Cadence first. Nothing was changed.`,
      );
    }
    refuseForeignSchema(db, version);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export interface CheckedBackup {
  manifest: Manifest;
  db: Db;
  media: { name: string; bytes: () => Uint8Array }[];
}

export function makeBackupFiles(ctx: CoreContext, limits: ZipLimits = DEFAULT_ZIP_LIMITS) {
  /** The current collection as a backup zip; `withMedia` false for the safety copy made before a restore. */
  async function build(withMedia: boolean, job?: Job): Promise<{ bytes: Uint8Array; mediaFiles: number; createdAt: number }> {
    const createdAt = ctx.clock.now();
    fs.mkdirSync(ctx.paths.stagingDir, { recursive: true });
    const snapshot = path.join(ctx.paths.stagingDir, `snapshot-${crypto.randomBytes(8).toString('hex')}.sqlite`);
    let dbBytes: Uint8Array;
    try {
      await ctx.db.backup(snapshot);
      dbBytes = fs.readFileSync(snapshot);
      // The snapshot is complete in itself; marking it as a rollback-journal database (header bytes
      // 18-19) lets any SQLite tool open it without looking for a WAL file beside it.
      dbBytes[18] = 1;
      dbBytes[19] = 1;
    } finally {
      fs.rmSync(snapshot, { force: true });
    }
    const files: Zippable = { [DB_ENTRY]: dbBytes };
    const listed: Manifest['files'] = [{ path: DB_ENTRY, size: dbBytes.length, sha256: sha256(dbBytes) }];
    const names = withMedia && fs.existsSync(ctx.paths.mediaDir) ? fs.readdirSync(ctx.paths.mediaDir).filter((n) => MEDIA_NAME.test(n) && !n.endsWith('.partial') && fs.lstatSync(path.join(ctx.paths.mediaDir, n)).isFile()) : [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const bytes = fs.readFileSync(path.join(ctx.paths.mediaDir, name));
      files[`media/${name}`] = [bytes, { level: 0 }];
      listed.push({ path: `media/${name}`, size: bytes.length, sha256: sha256(bytes) });
      if (job && (i % 50 === 49 || i === names.length - 1)) await job.step('packing', i + 1, names.length);
    }
    const manifest: Manifest = {
      format: 'cadence-backup',
      version: 1,
      createdAt,
      appVersion: ctx.appVersion,
      schemaVersion: schemaVersion(ctx.db),
      files: listed,
    };
    files['manifest.json'] = new TextEncoder().encode(JSON.stringify(manifest, null, 2));
    return { bytes: zipSync(files, { level: 6 }), mediaFiles: names.length, createdAt };
  }

  async function exportCollection(job: Job) {
    await job.step('packing', 0, 1);
    const built = await build(true, job);
    return { ...built, fileName: `cadence-backup-${format(built.createdAt, "yyyy-MM-dd'T'HH-mm")}.zip` };
  }

  /** Reads and checks a backup file completely. The caller closes `db`. */
  function check(bytes: Uint8Array): CheckedBackup {
    const zip = ZipArchive.open(bytes, WHAT, limits);
    if (!zip.has('manifest.json')) {
      throw new AppError('unsupported', `${WHAT} is not a Cadence backup (it has no manifest). Choose a file made with "Download backup".`);
    }
    let manifest: Manifest;
    try {
      manifest = manifestSchema.parse(JSON.parse(new TextDecoder().decode(zip.read('manifest.json'))));
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('unsupported', `${WHAT} has a manifest Cadence cannot read. Choose a file made with "Download backup".`);
    }
    const read = (entry: Manifest['files'][number]) => {
      if (!zip.has(entry.path)) throw new AppError('unsupported', `${WHAT} is incomplete: "${entry.path}" is missing. Nothing was changed.`);
      const data = zip.read(entry.path);
      if (data.length !== entry.size || sha256(data) !== entry.sha256) {
        throw new AppError('unsupported', `${WHAT} is damaged: "${entry.path}" does not match its checksum. Nothing was changed.`);
      }
      return data;
    };
    const dbEntry = manifest.files.find((f) => f.path === DB_ENTRY);
    if (!dbEntry) throw new AppError('unsupported', `${WHAT} has no collection in it. Nothing was changed.`);
    const media: CheckedBackup['media'] = [];
    for (const f of manifest.files) {
      if (f.path === DB_ENTRY) continue;
      const name = f.path.startsWith('media/') ? f.path.slice('media/'.length) : '';
      if (!MEDIA_NAME.test(name)) {
        throw new AppError('unsupported', `${WHAT} lists a file "${f.path.slice(0, 80)}" outside its media folder; Cadence refused it. Nothing was changed.`);
      }
      read(f); // every checksum is verified before anything is restored
      media.push({ name, bytes: () => zip.read(f.path) });
    }
    const db = checkCollection(read(dbEntry), WHAT, manifest.appVersion);
    return { manifest, db, media };
  }

  function inspect(bytes: Uint8Array) {
    const checked = check(bytes);
    try {
      return {
        createdAt: checked.manifest.createdAt,
        appVersion: checked.manifest.appVersion,
        schemaVersion: schemaVersion(checked.db),
        ...counts(checked.db),
        mediaFiles: checked.media.length,
      };
    } finally {
      checked.db.close();
    }
  }

  async function restore(bytes: Uint8Array, job: Job): Promise<{ safetyBackup: string; mediaAdded: number }> {
    await job.step('reading', 0, 1);
    return restoreChecked(check(bytes), job);
  }

  /** Restores one of the automatic backups listed in the backups folder (a database file, no media). */
  async function restoreListed(file: string, job: Job): Promise<{ safetyBackup: string; mediaAdded: number }> {
    await job.step('reading', 0, 1);
    const db = checkCollection(fs.readFileSync(file), 'That backup', null);
    return restoreChecked({ db, media: [] }, job);
  }

  /**
   * Puts a checked collection in place of the live one: brought to the current format in its private
   * copy, the live collection saved first, media added, then copied in with SQLite's backup API.
   */
  async function restoreChecked(checked: Pick<CheckedBackup, 'db' | 'media'>, job: Job): Promise<{ safetyBackup: string; mediaAdded: number }> {
    const added: string[] = [];
    // Once the database is copied in, the media added for it belong to the live collection: they stay.
    let copied = false;
    try {
      // The schema is now known to be exactly Cadence's own, so its triggers (search, stats) may run
      // while the copy is brought to the current format, before it goes anywhere near the live file:
      // a migration that fails leaves the live collection untouched.
      checked.db.pragma('trusted_schema = ON');
      migrate(checked.db);
      await job.step('reading', 1, 1);
      // The current collection first, as a backup file of the same kind (never rotated away).
      const safety = await build(false);
      fs.mkdirSync(ctx.paths.backupsDir, { recursive: true });
      const safetyName = `cadence-before-restore-${format(safety.createdAt, "yyyy-MM-dd'T'HH-mm-ss")}.zip`;
      writeFileWhole(path.join(ctx.paths.backupsDir, safetyName), safety.bytes);

      fs.mkdirSync(ctx.paths.mediaDir, { recursive: true });
      for (let i = 0; i < checked.media.length; i++) {
        const m = checked.media[i]!;
        const file = path.join(ctx.paths.mediaDir, m.name);
        if (!fs.existsSync(file)) {
          writeFileWhole(file, m.bytes());
          added.push(file);
        }
        if (i % 50 === 49 || i === checked.media.length - 1) await job.step('media', i + 1, checked.media.length);
      }

      // The page size must match the live database's for SQLite to copy into it in WAL mode.
      const pageSize = ctx.db.pragma('page_size', { simple: true }) as number;
      if (checked.db.pragma('page_size', { simple: true }) !== pageSize) {
        checked.db.pragma(`page_size = ${pageSize}`);
        checked.db.exec('VACUUM');
      }
      job.checkCancelled();
      await checked.db.backup(ctx.paths.dbFile, { progress: () => 1_000_000_000 });
      copied = true;
      // This connection still holds the replaced file's schema in memory, and DDL is checked against
      // that before anything is read; a read notices the file changed and loads the restored schema.
      ctx.db.prepare('SELECT count(*) FROM sqlite_master').get();
      migrate(ctx.db); // already current; kept so a live file somehow behind is still brought up to date
      ctx.db
        .prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run('app_version', ctx.appVersion);
      return { safetyBackup: safetyName, mediaAdded: added.length };
    } catch (err) {
      if (!copied) for (const file of added) fs.rmSync(file, { force: true });
      throw err;
    } finally {
      checked.db.close();
    }
  }

  return { exportCollection, inspect, restore, restoreListed };
}
