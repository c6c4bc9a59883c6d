// The collection's health while Cadence runs: every failure of a request, a timer or a worker is
// reported here (after faults.ts named it), so the user hears about a fault once, in one place (the
// banner at the top of the window), and hears when it is over.
//
// - Damage (a damaged page met by any request or check) stops every write to the file at once
//   (PRAGMA query_only), leaves a marker so the next start recovers even if the user never chooses to,
//   and offers recovery now (app.ts recover()).
// - A full disk, a read-only folder or a disk error: writes fail with their sentence, reads go on;
//   the background loop (walKeeper.ts) probes every few seconds and clears the state by itself once a
//   write goes through again.
import fs from 'node:fs';
import type { HealthStatus } from '../../shared/contract/app';
import type { ErrorShape } from '../../shared/errors';
import type { Db, Emit, Logger, Paths } from './context';
import { FAULT_MESSAGES, faultOf, type FaultCode } from './faults';
import { recoveryMarker } from './db/open';

/** What the banner says for each lasting fault (a request's own error says what happened to it). */
const BANNERS: Record<Exclude<FaultCode, 'busy'>, string> = {
  damaged:
    'Cadence found damage in your collection file and has stopped saving changes to it, so nothing more can be lost. ' +
    'Recover now to set the damaged file aside and restore your newest good backup.',
  disk_full:
    'Your disk is full, so Cadence cannot save changes. What is already saved is safe and you can keep reading; ' +
    'free some space and Cadence carries on by itself.',
  read_only: 'Cadence cannot save changes because its data folder or collection file has become read-only. Make it writable again, then restart Cadence.',
  io_error: 'The disk reported errors while Cadence wrote to it. Check that the disk is connected and healthy; Cadence tries again every few seconds.',
};

export interface Health {
  status(): HealthStatus;
  isDamaged(): boolean;
  /** True while a full disk, read-only folder or disk error keeps writes from going through. */
  isFaulty(): boolean;
  /**
   * A request or background task failed with `err`: a fault is remembered (and announced once), damage
   * stops writes. Returns the error shape a request should answer with, or null when `err` is no fault.
   */
  failed(err: unknown, where: string): ErrorShape | null;
  /** Damage found by a check (not an exception): stops writes and announces it. */
  markDamaged(detail: string, where: string): void;
  /** A write went through again after a fault: the banner goes. */
  recovered(): void;
  /** Runs background work that must never throw: failures are reported here and logged. */
  background<T>(where: string, work: () => T | Promise<T>): Promise<T | undefined>;
}

const OK: HealthStatus = { state: 'ok', message: null, since: null };

export function makeHealth(deps: { db: Db; paths: Paths; log: Logger; emit: Emit; now: () => number }): Health {
  let status: HealthStatus = OK;
  /** Background failures already logged, so a timer failing every 2 s logs once, not forever. */
  const logged = new Set<string>();

  function set(next: HealthStatus): void {
    status = next;
    deps.emit('app.health', next);
  }

  function enterDamaged(detail: string, where: string): void {
    if (status.state === 'damaged') return;
    deps.log.error(`Damage found by ${where}: ${detail}`);
    try {
      if (deps.db.open) deps.db.pragma('query_only = ON');
    } catch {
      // The connection refuses even that: every write fails anyway.
    }
    try {
      fs.writeFileSync(recoveryMarker(deps.paths), `${new Date(deps.now()).toISOString()} ${where}: ${detail}\n`);
    } catch {
      // A full or read-only disk: writes are stopped and the user is told; the marker only helps a restart.
    }
    set({ state: 'damaged', message: BANNERS.damaged, since: deps.now() });
  }

  const health: Health = {
    status: () => status,
    isDamaged: () => status.state === 'damaged',
    isFaulty: () => status.state !== 'ok' && status.state !== 'damaged',
    failed(err, where) {
      // After damage every failure is the damage's doing (writes fail as read-only under query_only).
      if (status.state === 'damaged') return { code: 'damaged', message: FAULT_MESSAGES.damaged };
      const fault = faultOf(err, deps.paths.dataDir);
      if (!fault) return null;
      if (fault === 'damaged') {
        enterDamaged(String((err as Error).message ?? err), where);
        return { code: 'damaged', message: FAULT_MESSAGES.damaged };
      }
      if (fault !== 'busy' && status.state !== fault) {
        deps.log.warn(`${where} failed: ${String((err as Error).message ?? err)}`);
        set({ state: fault, message: BANNERS[fault], since: deps.now() });
      }
      return { code: fault, message: FAULT_MESSAGES[fault] };
    },
    markDamaged: enterDamaged,
    recovered() {
      if (status.state === 'ok' || status.state === 'damaged') return;
      deps.log.info(`Writes go through again after: ${status.state}`);
      logged.clear();
      set(OK);
    },
    async background(where, work) {
      try {
        return await work();
      } catch (err) {
        if (health.failed(err, where) === null) {
          const key = `${where}: ${String((err as Error)?.message ?? err)}`;
          if (!logged.has(key)) {
            logged.add(key);
            deps.log.error(`${where} failed`, err);
          }
        }
        return undefined;
      }
    },
  };
  return health;
}
