// The write-ahead log's housekeeping, every 2 seconds between requests:
// - a passive checkpoint folds the log into the database (automatic checkpoints are off so that no
//   answer pays for one). It flushes the log to disk first, so this is also how long a commit can wait
//   to survive a power cut;
// - the log's file is kept small: cut to nothing after a few idle seconds, and at once when it passes
//   WAL_CAP_BYTES (SQLite reuses the file but never shrinks it by itself, so a burst of writes would
//   otherwise leave it large until Cadence closes); a background check that holds it open past the
//   cap is stopped and runs again later (integrity.ts);
// - while a fault keeps writes from going through (a full disk), a tiny write is tried instead, and the
//   fault is declared over as soon as one succeeds, so Cadence recovers by itself when space is freed.
// Nothing here throws: failures go to the health (health.ts), which names them once.
import fs from 'node:fs';
import type { Db } from '../context';
import type { Health } from '../health';
import { stopReaders } from './integrity';

export const CHECKPOINT_EVERY_MS = 2_000;
/** Past this size the log is cut back at the next tick, even while writes go on. */
export const WAL_CAP_BYTES = 32 * 1024 * 1024;
/** This many ticks without a new frame count as idle: the log file is cut to nothing. */
const IDLE_TICKS = 3;

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface WalKeeper {
  /** One round now (tests drive it; the timer calls it every CHECKPOINT_EVERY_MS). */
  tick(): void;
  /**
   * Resolves once this connection has written nothing for `quietMs` (or after `maxWaitMs` regardless):
   * long background reads wait for a pause in the learner's work, so they do not hold the log open
   * while it grows.
   */
  whenQuiet(quietMs?: number, maxWaitMs?: number): Promise<void>;
  stop(): void;
}

export function keepWal(db: Db, dbFile: string, health: Health, now: () => number): WalKeeper {
  let lastLog = -1;
  let idleTicks = 0;
  const walSize = () => {
    try {
      return fs.statSync(`${dbFile}-wal`).size;
    } catch {
      return 0;
    }
  };
  const probe = db.prepare("INSERT INTO app_meta (key, value) VALUES ('last_write_check', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");

  /** TRUNCATE waits for readers through the busy handler: never here, where it would block requests. */
  function truncate(): void {
    const timeout = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  function tick(): void {
    if (!db.open || db.inTransaction || health.isDamaged()) return;
    void health.background('saving to disk', () => {
      const faulty = health.isFaulty();
      if (faulty) probe.run(String(now()));
      const [result] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
      if (result && result.log === lastLog && result.log === result.checkpointed) idleTicks++;
      else idleTicks = 0;
      lastLog = result?.log ?? -1;
      const size = walSize();
      if (size > 0 && (idleTicks >= IDLE_TICKS || size > WAL_CAP_BYTES)) truncate();
      // Still past the cap: a background check is holding the log open. It gives way (and runs again
      // later), so the next round can cut the log back.
      if (size > WAL_CAP_BYTES && walSize() > WAL_CAP_BYTES) stopReaders(dbFile);
      if (faulty) health.recovered();
    });
  }

  const changes = db.prepare('SELECT total_changes() AS n').pluck();
  const waits = new Set<NodeJS.Timeout>();
  function whenQuiet(quietMs = 2_000, maxWaitMs = 10 * 60_000): Promise<void> {
    return new Promise((resolve) => {
      const started = Date.now();
      let last = -1;
      let since = started;
      const poll = setInterval(() => {
        const n = db.open ? (changes.get() as number) : last;
        const t = Date.now();
        if (n !== last) {
          last = n;
          since = t;
        }
        if (!db.open || t - since >= quietMs || t - started >= maxWaitMs) {
          clearInterval(poll);
          waits.delete(poll);
          resolve();
        }
      }, 250);
      poll.unref();
      waits.add(poll);
    });
  }

  const timer = setInterval(tick, CHECKPOINT_EVERY_MS);
  timer.unref();
  return {
    tick,
    whenQuiet,
    stop: () => {
      clearInterval(timer);
      for (const poll of waits) clearInterval(poll);
      waits.clear();
    },
  };
}
