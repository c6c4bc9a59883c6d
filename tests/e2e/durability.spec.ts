import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, startApp, stopApp, test } from './fixtures';

test('killing Cadence mid-write keeps every write that returned success, and the file stays healthy', async () => {
  const app = await startApp();
  const confirmed: string[] = [];
  const errors: string[] = [];
  let stop = false;
  let killed = false;
  // Four writers keep requests in flight so the kill lands in the middle of writes.
  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const name = `w${w}-${i}`;
      try {
        await app.call('decks.create', { name });
        confirmed.push(name);
      } catch (err) {
        if (!killed) errors.push(String(err)); // before the kill every write must succeed
        return;
      }
    }
  };
  let running = 4;
  const writers = [0, 1, 2, 3].map((w) => writer(w).finally(() => running--));
  while (confirmed.length < 200 && running > 0) await new Promise((r) => setTimeout(r, 5));
  expect(errors).toEqual([]);
  killed = true;
  app.process.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  if (app.process.exitCode === null && app.process.signalCode === null) await new Promise((r) => app.process.once('exit', r));

  const db = new Database(path.join(app.dataDir, 'cadence.sqlite'));
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  const stored = new Set((db.prepare('SELECT name FROM decks').all() as { name: string }[]).map((r) => r.name));
  db.close();
  expect(confirmed.filter((n) => !stored.has(n))).toEqual([]);
  expect(stored.size).toBeGreaterThanOrEqual(confirmed.length);

  // And Cadence opens it again.
  const again = await startApp(app.dataDir);
  const { decks } = await again.call<{ decks: unknown[] }>('decks.list');
  expect(decks.length).toBe(stored.size);
  await stopApp(again);
});
