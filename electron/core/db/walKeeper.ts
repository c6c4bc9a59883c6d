// The write-ahead log's housekeeping, every 2 seconds between requests:
// - a passive checkpoint folds the log into the database (automatic checkpoints are off so that no
//   answer pays for one). It flushes the log to disk first, so this is also how long a commit can wait
//   to survive a power cut;
// - the log's file is kept small: cut to nothing after a few idle seconds, and at once when it passes
//   WAL_CAP_BYTES (SQLite reuses the file but never shrinks it by itself, so a burst of writes would
//   otherwise leave it large until Cadence closes);
// - while a fault keeps writes from going through (a full disk), a tiny write is tried instead, and the
//   fault is declared over as soon as one succeeds, so Cadence recovers by itself when space is freed.
// Nothing here throws: failures go to the health (health.ts), which names them once.
import fs from 'node:fs';
import type { Db } from '../context';
import type { Health } from '../health';

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
      if (faulty) health.recovered();
    });
  }

  const timer = setInterval(tick, CHECKPOINT_EVERY_MS);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
