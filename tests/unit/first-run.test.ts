import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, tempDir, type TestCore } from './testCore';

let core: TestCore | undefined;
afterEach(() => core?.close());

describe('first run', () => {
  it('loads the starter decks once into a "Starter" tree, and respects their deletion', async () => {
    const dataDir = tempDir();
    core = await makeTestCore({ dataDir, starterDecks: true });
    const first = (await core.call('decks.list')).decks;
    const starter = first.find((d) => d.path === 'Starter');
    expect(starter).toBeDefined();
    expect(first.map((d) => d.path)).toEqual(expect.arrayContaining(['Starter::Scrum Guide 2020', 'Starter::Product Management', 'Starter::Technical Project Management']));
    expect(starter!.counts.total).toBeGreaterThan(180);
    core.close();

    core = await makeTestCore({ dataDir, starterDecks: true });
    expect((await core.call('decks.list')).decks.find((d) => d.path === 'Starter')!.counts.total).toBe(starter!.counts.total);
    await core.call('decks.delete', { id: starter!.id });
    core.close();

    core = await makeTestCore({ dataDir, starterDecks: true });
    expect((await core.call('decks.list')).decks).toEqual([]);
  });
});
