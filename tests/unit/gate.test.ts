import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

describe('long jobs have the collection to themselves', () => {
  it('a write made while an import-like job runs waits for it, so a rollback of the job never undoes it', async () => {
    core = await makeTestCore();
    const order: string[] = [];
    let finishJob!: () => void;
    const jobDone = core.ctx.gate.exclusive(async () => {
      core.ctx.db.exec('BEGIN IMMEDIATE');
      core.ctx.db.prepare("INSERT INTO decks (name, created_at, updated_at) VALUES ('From the job', 0, 0)").run();
      await new Promise<void>((resolve) => (finishJob = resolve));
      core.ctx.db.exec('ROLLBACK'); // the job is cancelled
      order.push('job rolled back');
    });
    const write = core.call('decks.create', { name: 'Made meanwhile' }).then(() => order.push('write returned'));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]); // the write is waiting at the gate
    finishJob();
    await Promise.all([jobDone, write]);
    expect(order).toEqual(['job rolled back', 'write returned']);
    expect((await core.call('decks.list')).decks.map((d) => d.name)).toEqual(['Made meanwhile']);
  });

  it('a cancel still gets through while the job runs', async () => {
    core = await makeTestCore();
    let finishJob!: () => void;
    const jobDone = core.ctx.gate.exclusive(() => new Promise<void>((resolve) => (finishJob = resolve)));
    await expect(core.call('transfer.cancel', { jobId: 'nothing-running' })).resolves.toBeDefined();
    finishJob();
    await jobDone;
  });

  it('a backup made while a job holds an open transaction succeeds and holds only committed data', async () => {
    core = await makeTestCore();
    await core.call('decks.create', { name: 'Committed' });
    let finishJob!: () => void;
    const jobDone = core.ctx.gate.exclusive(async () => {
      core.ctx.db.exec('BEGIN IMMEDIATE');
      core.ctx.db.prepare("INSERT INTO decks (name, created_at, updated_at) VALUES ('Uncommitted', 0, 0)").run();
      await new Promise<void>((resolve) => (finishJob = resolve));
      core.ctx.db.exec('ROLLBACK');
    });
    expect(core.ctx.gate.busy()).toBe(true);
    const made = await core.handlers['backups.create'](undefined);
    finishJob();
    await jobDone;
    const copy = new Database(made.backup.file, { readonly: true });
    expect(copy.prepare('SELECT name FROM decks ORDER BY name').all()).toEqual([{ name: 'Committed' }]);
    copy.close();
  });
});
