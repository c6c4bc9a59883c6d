// Sync as Settings → Sync uses it: through the contract, with the password kept in a 0600 file.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deckWithNotes, type TestCore } from './testCore';
import { syncSuite } from './syncEngine';

const suite = syncSuite('contract');
/** A core on its own (the sync service inside it syncs through the contract). */
const core = async (): Promise<TestCore> => (await suite.machine()).core;

describe('sync through the contract', () => {
  it('refuses a plain-http server that is not this computer, and keeps nothing', async () => {
    const c = await core();
    const error = await c.fail('sync.configure', { url: 'http://couch.example.org:5984', database: 'cadence', username: 'ana', password: 'secret' });
    expect(error.message).toMatch(/must be reached over HTTPS/);
    const status = await c.call('sync.status');
    expect(status.configured).toBe(false);
    expect(status.hasPassword).toBe(false);
    expect(fs.existsSync(path.join(c.dataDir, 'sync-password'))).toBe(false);
    expect((await c.fail('sync.now', {})).message).toBe('Set up sync first: enter your server address and database in Settings → Sync.');
  });

  it('keeps the password in a file only this user can read, never in the collection or the status', async () => {
    const c = await core();
    const status = await c.call('sync.configure', { url: 'https://couch.example.org:6984/', database: 'cadence', username: 'ana', password: 'correct horse' });
    expect(status).toMatchObject({ configured: true, url: 'https://couch.example.org:6984', database: 'cadence', username: 'ana', hasPassword: true, passwordStore: 'file' });
    expect(JSON.stringify(status)).not.toContain('correct horse');
    const file = path.join(c.dataDir, 'sync-password');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe('correct horse');
    // Left out: kept. Empty: removed.
    expect((await c.call('sync.configure', { url: 'https://couch.example.org:6984', database: 'cadence', username: 'ana' })).hasPassword).toBe(true);
    expect((await c.call('sync.configure', { url: 'https://couch.example.org:6984', database: 'cadence', username: 'ana', password: '' })).hasPassword).toBe(false);
  });

  it('syncs now, reports it, and lets the user bring back the version that lost a conflict on either machine', async () => {
    const { url, database } = await suite.target();
    const a = await core();
    const b = await core();
    for (const c of [a, b]) await c.call('sync.configure', { url, database, username: '' });
    await deckWithNotes(a, 'Scrum roles', 1);
    expect(await a.call('sync.now')).toMatchObject({ sent: 2, status: { lastSyncAt: a.clock.now(), lastError: null, pending: 0 } });
    await b.call('sync.now');
    const noteA = a.ctx.db.prepare('SELECT id FROM notes').pluck().get() as number;
    const noteB = b.ctx.db.prepare('SELECT id FROM notes').pluck().get() as number;

    a.clock.set('2026-03-03T10:00:00Z');
    await a.call('notes.update', { id: noteA, fields: ['Who orders the Product Backlog?', 'The Product Owner'] });
    b.clock.set('2026-03-03T11:00:00Z');
    await b.call('notes.update', { id: noteB, fields: ['Who orders the Product Backlog?', 'The stakeholders'] });
    expect((await a.call('sync.status')).pending).toBe(1);
    await a.call('sync.now');
    await b.call('sync.now');
    await a.call('sync.now');

    const listed = (await a.call('sync.conflicts')).conflicts;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ label: 'Note “Who orders the Product Backlog?”', lines: ['Who orders the Product Backlog?', 'The Product Owner'], deleted: false });
    expect((await b.call('sync.conflicts')).conflicts.map((c) => c.id)).toEqual([listed[0]!.id]);

    // Restored on A: the Product Owner answer is back on both machines, and the conflict is gone from both lists.
    a.clock.set('2026-03-03T12:00:00Z');
    await a.call('sync.restore', { id: listed[0]!.id });
    expect((await a.call('notes.get', { id: noteA })).fields[1]).toBe('The Product Owner');
    await a.call('sync.now');
    await b.call('sync.now');
    expect((await b.call('notes.get', { id: noteB })).fields[1]).toBe('The Product Owner');
    expect((await a.call('sync.conflicts')).conflicts).toEqual([]);
    expect((await b.call('sync.conflicts')).conflicts).toEqual([]);
    expect((await b.fail('sync.dismiss', { id: listed[0]!.id })).message).toMatch(/no longer listed/);
  }, 90_000);
});
