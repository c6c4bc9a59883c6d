// The server going away in the middle of a large sync (its connections cut mid-replication, as a
// crashed or restarted CouchDB does): a clear error, nothing lost here, and the next sync completes.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { SyncTarget } from '../../electron/core/sync/target';
import { deckWithNotes } from './testCore';
import { collectionOf, syncSuite } from './syncEngine';

const suite = syncSuite('interrupted');

/** A TCP relay in front of the server that drops every connection, and stops listening, at the Nth bulk write. */
async function cuttableRelay(serverPort: number, cutAtBulkWrite: number) {
  const sockets = new Set<net.Socket>();
  let bulkWrites = 0;
  let cut = false;
  const relay = net.createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = net.connect(serverPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (chunk.includes('POST') && chunk.includes('/_bulk_docs') && ++bulkWrites === cutAtBulkWrite) down();
    });
    client.pipe(upstream).pipe(client);
    for (const s of [client, upstream]) s.on('error', () => {}).on('close', () => sockets.delete(s));
  });
  function down(): void {
    cut = true;
    relay.close();
    for (const s of sockets) s.destroy();
  }
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const port = (relay.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    wasCut: () => cut,
    /** Listens again on the same port (the server is back). */
    up: () =>
      new Promise<void>((resolve) => {
        cut = false;
        relay.listen(port, '127.0.0.1', resolve);
      }),
    close: () => relay.close(),
  };
}

async function docCount(target: SyncTarget): Promise<number> {
  return ((await (await fetch(`${target.url}/${target.database}`)).json()) as { doc_count: number }).doc_count;
}

describe('sync when the server goes away mid-replication', () => {
  it(
    'says so in plain words, loses nothing, and the next sync completes with every review there once',
    async () => {
      const direct = await suite.target();
      const relay = await cuttableRelay(suite.server().port, 3);
      const target = { url: relay.url, database: direct.database };
      try {
        const a = await suite.machine(20);
        const b = await suite.machine(20);
        const { cardIds } = await deckWithNotes(a.core, 'Programme management', 60);
        for (const id of cardIds) await a.core.call('study.answer', { cardId: id, rating: 3, durationMs: 2000 });
        const before = collectionOf(a);

        await expect(a.sync.syncNow(target)).rejects.toThrow(/^Cadence could not reach the sync server at 127\.0\.0\.1:\d+\. Check that it is running/);
        expect(relay.wasCut()).toBe(true);
        const arrived = await docCount(direct);
        expect(arrived).toBeGreaterThan(0); // part of the collection got there
        expect(arrived).toBeLessThan(62);
        expect(collectionOf(a)).toEqual(before);
        expect(a.sync.store.state().last_error).toMatch(/could not reach the sync server/);

        await relay.up();
        await a.sync.syncNow(target);
        expect(await docCount(direct)).toBe(62); // a deck, 60 notes, and the 60 reviews in one batch
        expect(a.sync.store.state().last_error).toBeNull();
        await b.sync.syncNow(target);
        expect(collectionOf(b)).toEqual(collectionOf(a));
        expect(collectionOf(b).reviews).toHaveLength(60);
      } finally {
        relay.close();
      }
    },
    90_000,
  );
});
