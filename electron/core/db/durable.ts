// Most writes commit without waiting for the disk (synchronous = NORMAL in WAL mode, see open.ts): a
// crash of Cadence loses nothing, and a power cut loses at most the last seconds before the next
// checkpoint, never half a transaction. Writes that something outside the database acts on at once
// (a reminder marked as fired just before its notification is shown, an import reported done) must
// survive a power cut too: they commit through here, with the log flushed to disk before the commit
// returns, which also makes every earlier write durable.
import type { Db } from '../context';

/** Makes every commit wait for the disk until the returned function puts the usual level back. */
export function flushEachCommit(db: Db): () => void {
  const level = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = FULL');
  return () => {
    if (db.open) db.pragma(`synchronous = ${level}`);
  };
}

/** Runs `fn` in one immediate transaction that is on disk when this returns. Not for use inside another transaction. */
export function durableTransaction<T>(db: Db, fn: () => T): T {
  const restore = flushEachCommit(db);
  try {
    return db.transaction(fn).immediate();
  } finally {
    restore();
  }
}
