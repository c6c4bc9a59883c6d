import { createRequire } from 'node:module';
import Database from 'better-sqlite3';

/**
 * Every SQLite handle in Cadence is opened here. In the desktop app run from a checkout, Electron needs
 * its own build of better-sqlite3's native module (node_modules keeps the Node build for tests), so the
 * main process names it once with useSqliteBinding(); packaged apps and Node leave it unset.
 */
let nativeBinding: string | undefined;

export function useSqliteBinding(file: string | undefined): void {
  nativeBinding = file;
}

export function openSqlite(source: string | Buffer, options: Database.Options = {}): Database.Database {
  return new Database(source, nativeBinding ? { ...options, nativeBinding } : options);
}

/** What a worker thread needs to open SQLite the same way: the module's path and the binding in use. */
export function sqliteModuleForWorkers(): { module: string; nativeBinding: string | undefined } {
  return { module: createRequire(import.meta.url).resolve('better-sqlite3'), nativeBinding };
}
