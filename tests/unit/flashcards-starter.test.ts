import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeStarterDecks, seedStarterDecks } from '../../electron/core/flashcards/starterDecks';
import type { CoreContext } from '../../electron/core/context';
import { ASSETS_DIR, makeTestCore, tempDir, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const deckFiles = fs.readdirSync(path.join(ASSETS_DIR, 'decks')).filter((f) => f.endsWith('.json'));
const noteTotal = deckFiles.reduce((n, f) => n + (JSON.parse(fs.readFileSync(path.join(ASSETS_DIR, 'decks', f), 'utf8')) as { notes: unknown[] }).notes.length, 0);
const count = (c: TestCore, table: string) => (c.ctx.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

function withAssets(ctx: CoreContext, assetsDir: string): CoreContext {
  return { ...ctx, paths: { ...ctx.paths, assetsDir } };
}

describe('starter decks', () => {
  it('loads every starter file once into the Starter tree, and respects what the user deletes', async () => {
    core = await makeTestCore();
    seedStarterDecks(core.ctx);
    expect(count(core, 'notes')).toBe(noteTotal);
    const decks = (await core.call('decks.list')).decks;
    const top = decks.filter((d) => d.depth === 1).map((d) => d.path);
    expect(top).toContain('Starter::Scrum Guide 2020');
    expect(top.length).toBe(deckFiles.length);
    const starter = decks.find((d) => d.path === 'Starter')!;
    expect(starter.counts.total).toBeGreaterThanOrEqual(noteTotal);
    expect(starter.counts.newDue).toBe(20); // the Default preset's new cards per day
    // Cloze starter notes study like any other: the question hides the deletion.
    const cloze = core.ctx.db.prepare("SELECT c.id, c.deck_id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.note_type_id = 3 LIMIT 1").get() as
      | { id: number; deck_id: number }
      | undefined;
    expect(cloze).toBeDefined();
    const next = await core.call('study.next', { deckId: cloze!.deck_id, cardId: cloze!.id });
    expect(next.card!.question).toContain('class="cloze"');

    // Opening the collection again loads nothing new; a deleted deck stays deleted.
    const scrum = decks.find((d) => d.path === 'Starter::Scrum Guide 2020')!;
    const removed = await core.call('decks.delete', { id: scrum.id });
    seedStarterDecks(core.ctx);
    expect(count(core, 'notes')).toBe(noteTotal - removed.notes);
    const listed = (await core.call('starter.list')).decks.find((d) => d.deck === 'Starter::Scrum Guide 2020')!;
    expect(listed.present).toBe(0);

    // Restore brings back exactly the missing notes, and nothing twice.
    expect(await core.call('starter.restore')).toEqual({ added: removed.notes });
    expect(count(core, 'notes')).toBe(noteTotal);
    expect(await core.call('starter.restore')).toEqual({ added: 0 });
    expect((await core.call('starter.list')).decks.every((d) => d.present === d.notes)).toBe(true);
  });

  it('skips a file that fails its schema and loads the valid ones', async () => {
    core = await makeTestCore();
    const assets = tempDir('cadence-assets-');
    fs.mkdirSync(path.join(assets, 'decks'));
    fs.copyFileSync(path.join(ASSETS_DIR, 'decks', 'scrum-guide-2020.json'), path.join(assets, 'decks', 'scrum-guide-2020.json'));
    fs.writeFileSync(path.join(assets, 'decks', 'broken.json'), JSON.stringify({ id: 'broken', deck: 'Starter::Broken', notes: [] }));
    fs.writeFileSync(path.join(assets, 'decks', 'garbage.json'), '{ not json');
    const errors: string[] = [];
    const ctx = { ...withAssets(core.ctx, assets), log: { ...core.ctx.log, error: (m: string) => errors.push(m) } };
    const added = makeStarterDecks(ctx).loadNew(core.clock.now());
    expect(added).toBeGreaterThanOrEqual(60);
    expect(errors.join('\n')).toContain('broken.json');
    expect(errors.join('\n')).toContain('garbage.json');
    expect((await core.call('decks.list')).decks.some((d) => d.path.includes('Broken'))).toBe(false);
  });
});
