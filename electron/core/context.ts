import type Database from 'better-sqlite3';
import type { EventName, EventPayload } from '../../shared/contract';
import type { Notice } from '../../shared/contract/app';
import type { Gate } from './gate';
import type { Health } from './health';
import type { SecretSealer } from './sync/credentials';

export type Db = Database.Database;

/** Injected time source: tests move it, production reads the system clock. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/** Where Cadence keeps its files. Everything lives under dataDir. */
export interface Paths {
  dataDir: string;
  dbFile: string;
  backupsDir: string;
  mediaDir: string;
  /** Files the user handed to Cadence (uploads, picked files) waiting to be imported. */
  stagingDir: string;
  /** Files Cadence made for the user to save (exports, calendar files); served at /download/<name>. */
  exportsDir: string;
  /** Read-only seed content shipped with the app (decks, curricula, certification catalog). */
  assetsDir: string;
}

export type Emit = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface Logger {
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}
export const consoleLogger: Logger = {
  info: (m, d) => console.log(`[cadence] ${m}`, d ?? ''),
  warn: (m, d) => console.warn(`[cadence] ${m}`, d ?? ''),
  error: (m, d) => console.error(`[cadence] ${m}`, d ?? ''),
};
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** Everything a handler may use. Built once per opened collection. */
export interface CoreContext {
  db: Db;
  clock: Clock;
  paths: Paths;
  emit: Emit;
  log: Logger;
  appVersion: string;
  mode: 'desktop' | 'browser';
  /** Startup notices (recovered database, ...) shown once by the renderer. */
  notices: Notice[];
  /** Seals secrets (the sync password) with the system keychain; absent in browser mode (sync/credentials.ts). */
  secrets?: SecretSealer;
  /** Held by long jobs that need the collection to themselves (see gate.ts). */
  gate: Gate;
  /** How the collection is doing: faults met by requests and background work, damage (see health.ts). */
  health: Health;
  /**
   * After damage: sets the file aside, restores the newest good backup and reopens. The handlers and
   * this context are replaced by new ones (app.ts); the old ones must not be used after it resolves.
   */
  recover(): Promise<RecoverResult>;
}

export interface RecoverResult {
  restoredFrom: number | null;
  keptAs: string | null;
  message: string;
}
