import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

describe('decks', () => {
  it('creates nested decks and lists them in tree order with full paths', async () => {
    core = await makeTestCore();
    const pm = await core.call('decks.create', { name: 'Product' });
    const okrs = await core.call('decks.create', { name: 'OKRs', parentId: pm.id });
    await core.call('decks.create', { name: 'Agile' });
    const { decks } = await core.call('decks.list');
    expect(decks.map((d) => d.path)).toEqual(['Agile', 'Product', 'Product::OKRs']);
    expect(decks.find((d) => d.id === okrs.id)?.depth).toBe(1);
  });

  it('refuses a duplicate sibling name, case-insensitively, and changes nothing', async () => {
    core = await makeTestCore();
    await core.call('decks.create', { name: 'Scrum' });
    const err = await core.fail('decks.create', { name: 'scrum' });
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('already exists');
    expect((await core.call('decks.list')).decks).toHaveLength(1);
  });

  it('renames and moves, and refuses moving a deck under its own subdeck', async () => {
    core = await makeTestCore();
    const a = await core.call('decks.create', { name: 'A' });
    const b = await core.call('decks.create', { name: 'B', parentId: a.id });
    expect((await core.call('decks.rename', { id: b.id, name: 'Beta' })).path).toBe('A::Beta');
    const err = await core.fail('decks.move', { id: a.id, parentId: b.id });
    expect(err.code).toBe('conflict');
    expect((await core.call('decks.move', { id: b.id, parentId: null })).path).toBe('Beta');
  });

  it('deletes a deck with its subdecks and says how many cards went with it', async () => {
    core = await makeTestCore();
    const a = await core.call('decks.create', { name: 'A' });
    const b = await core.call('decks.create', { name: 'B', parentId: a.id });
    const now = core.clock.now();
    const note = core.ctx.db
      .prepare("INSERT INTO notes (guid, note_type_id, fields, created_at, updated_at) VALUES ('g1', 1, '[\"q\",\"a\"]', ?, ?)")
      .run(now, now);
    core.ctx.db
      .prepare('INSERT INTO cards (note_id, deck_id, ord, due, created_at, updated_at) VALUES (?, ?, 0, ?, ?, ?)')
      .run(note.lastInsertRowid, b.id, now, now, now);
    expect(await core.call('decks.deletePreview', { id: a.id })).toEqual({ decks: 2, cards: 1, notes: 1 });
    const list = (await core.call('decks.list')).decks;
    expect(list.find((d) => d.id === a.id)?.counts.total).toBe(1);
    await core.call('decks.delete', { id: a.id });
    expect((await core.call('decks.list')).decks).toEqual([]);
    expect(core.ctx.db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 0 });
  });

  it('rejects malformed names with a readable message', async () => {
    core = await makeTestCore();
    expect((await core.fail('decks.create', { name: '   ' })).message).toBe('Name must not be empty.');
    expect((await core.fail('decks.create', { name: 'A::B' })).code).toBe('invalid_input');
    expect((await core.fail('decks.create', { name: 'x'.repeat(101) })).code).toBe('invalid_input');
    expect((await core.fail('decks.rename', { id: -1, name: 'x' })).message).toContain('id');
  });
});

describe('deck depth', () => {
  it('nests at most 20 levels, whether created, moved or given as a path', async () => {
    core = await makeTestCore();
    let parentId: number | null = null;
    for (let i = 1; i <= 20; i++) parentId = (await core.call('decks.create', { name: `L${i}`, parentId })).id;
    expect((await core.fail('decks.create', { name: 'L21', parentId })).message).toMatch(/at most 20 levels/);
    const other = await core.call('decks.create', { name: 'Other' });
    await core.call('decks.create', { name: 'Child', parentId: other.id });
    const l19 = (await core.call('decks.list')).decks.find((d) => d.name === 'L19')!;
    expect((await core.fail('decks.move', { id: other.id, parentId: l19.id })).code).toBe('conflict');
    const { makeDeckStore } = await import('../../electron/core/flashcards/decks');
    expect(() => makeDeckStore(core.ctx.db).ensurePath(Array.from({ length: 21 }, (_, i) => `P${i}`).join('::'), 0)).toThrow(/at most 20/);
    expect((await core.call('decks.list')).decks).toHaveLength(22);
  });
});
