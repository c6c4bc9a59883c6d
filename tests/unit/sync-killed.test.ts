// Cadence killed (SIGKILL) while it applies what a sync brought in: reopened and synced again, the
// collection ends identical to the other machine's, with nothing applied twice.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { syncFor } from './syncEngine';
import { ASSETS_DIR, REPO_ROOT, deckWithNotes, fakeClock, makeTestCore, tempDir } from './testCore';
import { collectionOf, syncSuite } from './syncEngine';

const suite = syncSuite('killed');
// Inside the repository, so the bundle finds node_modules (better-sqlite3, PouchDB) as the app does.
const childDir = path.join(REPO_ROOT, 'out', 'test-sync-child');
const child = path.join(childDir, 'syncChild.mjs');

beforeAll(async () => {
  // Built the way browser mode is (Vite resolves the migrations' import.meta.glob); node_modules stay external.
  await build({
    configFile: false,
    logLevel: 'silent',
    root: REPO_ROOT,
    build: {
      ssr: path.join(REPO_ROOT, 'tests/unit/syncChild.ts'),
      outDir: childDir,
      emptyOutDir: true,
      target: 'node20',
      rollupOptions: { output: { format: 'esm', entryFileNames: 'syncChild.mjs' } },
    },
  });
}, 120_000);

describe('Cadence killed mid-apply', () => {
  it(
    'converges with nothing applied twice after it is reopened and syncs again',
    async () => {
      const target = await suite.target();
      const a = await suite.machine();
      const { cardIds } = await deckWithNotes(a.core, 'Portfolio', 80);
      for (const id of cardIds) await a.core.call('study.answer', { cardId: id, rating: 3, durationMs: 2000 });
      await a.sync.syncNow(target);

      // B's collection, made and closed here; the child opens it and syncs in batches of two.
      const dataDir = tempDir('cadence-killed-');
      (await makeTestCore({ dataDir })).close();
      const proc = spawn(process.execPath, [child, dataDir, target.url, target.database, '2', ASSETS_DIR], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

      // Watch B's file from outside; kill the child once some batches are in and before all are.
      const file = path.join(dataDir, 'cadence.sqlite');
      let killedAt = -1;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && proc.exitCode === null) {
        if (fs.existsSync(file)) {
          const peek = new Database(file, { readonly: true, fileMustExist: true });
          try {
            const notes = peek.prepare('SELECT count(*) FROM notes').pluck().get() as number;
            if (notes >= 10) {
              proc.kill('SIGKILL');
              killedAt = notes;
              break;
            }
          } catch {
            // the schema is not there yet
          } finally {
            peek.close();
          }
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      await exited;
      expect(output).not.toContain('synced');
      expect(killedAt).toBeGreaterThan(0);
      expect(killedAt).toBeLessThan(80);

      // Reopened (taking over the lock the killed process left) and synced again.
      const b = { core: await makeTestCore({ dataDir, clock: fakeClock('2026-03-02T12:00:00Z') }), sync: null as never as ReturnType<typeof syncFor> };
      b.sync = syncFor(b.core, 7);
      try {
        const partial = collectionOf(b);
        expect(partial.notes.length).toBeGreaterThanOrEqual(killedAt);
        expect(partial.notes.length).toBeLessThan(80);
        await b.sync.syncNow(target);
        await a.sync.syncNow(target);
        const onA = collectionOf(a);
        expect(collectionOf(b)).toEqual(onA);
        expect(onA.reviews).toHaveLength(80);
        expect(new Set(collectionOf(b).reviews).size).toBe(80);
      } finally {
        await b.sync.close();
        b.core.close();
      }
    },
    120_000,
  );
});
