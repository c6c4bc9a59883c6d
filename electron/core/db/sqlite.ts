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
