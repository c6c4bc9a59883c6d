import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeStarterDecks, RETIRED_TAG, seedStarterDecks } from '../../electron/core/flashcards/starterDecks';
import type { CoreContext } from '../../electron/core/context';
import { starterDecksRevision1 } from './starterRevision1';
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

describe('starter deck upgrades', () => {
  /** The decks as the first release shipped them (revision 1), written to a folder of their own. */
  function firstReleaseAssets(): string {
    const assets = tempDir('cadence-assets-v1-');
    fs.mkdirSync(path.join(assets, 'decks'));
    for (const [name, file] of Object.entries(starterDecksRevision1())) {
      // That release had no note sources; the schema of this one wants them, the collection will not keep them.
      for (const note of file.notes) note.source = 'first release';
      fs.writeFileSync(path.join(assets, 'decks', name), JSON.stringify(file));
    }
    return assets;
  }

  const note = (c: TestCore, guid: string) =>
    c.ctx.db.prepare('SELECT id, note_type_id, fields, tags, source FROM notes WHERE guid = ?').get(`starter:${guid}`) as
      | { id: number; note_type_id: number; fields: string; tags: string; source: string }
      | undefined;
  const cards = (c: TestCore, noteId: number) =>
    c.ctx.db.prepare('SELECT id, ord, suspended FROM cards WHERE note_id = ? ORDER BY ord').all(noteId) as { id: number; ord: number; suspended: number }[];
  const reviews = (c: TestCore, noteId: number) =>
    (c.ctx.db.prepare('SELECT count(*) AS n FROM revlog r JOIN cards c ON c.id = r.card_id WHERE c.note_id = ?').get(noteId) as { n: number }).n;

  async function review(c: TestCore, noteId: number) {
    for (const card of cards(c, noteId)) await c.call('study.answer', { cardId: card.id, rating: 3, durationMs: 4000 });
  }

  it('updates changed notes in place with their history, keeps the user’s edits, suspends retired notes and tells the user once', async () => {
    core = await makeTestCore();
    const v1 = withAssets(core.ctx, firstReleaseAssets());
    seedStarterDecks(v1);
    // As a collection from before note sources existed.
    core.ctx.db.prepare("UPDATE notes SET source = ''").run();

    const changed = note(core, 'sg2020-004')!; // cloze renumbered so the Sprint answer is no longer visible
    const forwardOnly = note(core, 'cert-007')!; // reversed SEU card, now forward-only
    const retired = note(core, 'cert-022')!; // taught an uncertainty
    const edited = note(core, 'pm-030')!; // corrected MVP definition, but the user had rewritten it
    for (const n of [changed, forwardOnly, retired, edited]) await review(core, n.id);
    const editedFields = ['Minimum viable product (MVP)', 'My own words about the MVP.'];
    await core.call('notes.update', { id: edited.id, fields: editedFields });
    const deletedByUser = note(core, 'sg2020-010')!;
    await core.call('notes.delete', { ids: [deletedByUser.id] });
    // A subdeck the user deleted stays deleted: the notes new to it in this revision are not added.
    const requirements = (await core.call('decks.list')).decks.find((d) => d.path === 'Starter::Product Management::Requirements')!;
    await core.call('decks.delete', { id: requirements.id });
    const cardsBefore = cards(core, changed.id);
    const notesBefore = count(core, 'notes');

    core.ctx.notices.length = 0;
    seedStarterDecks(core.ctx);

    // Changed in place: same note, same cards, review history kept, new text and its source.
    const after = note(core, 'sg2020-004')!;
    expect(after.id).toBe(changed.id);
    expect(after.fields).toContain('{{c3::Increment}} during a {{c4::Sprint}}');
    expect(after.source).toContain('The Scrum Guide 2020');
    expect(cards(core, changed.id).map((c) => c.id)).toEqual(cardsBefore.map((c) => c.id));
    expect(reviews(core, changed.id)).toBe(cardsBefore.length);

    // Made forward-only: now a Basic note; its reverse card is suspended, not deleted, history kept.
    const seu = note(core, 'cert-007')!;
    expect(seu.note_type_id).toBe(1);
    expect(cards(core, seu.id).map((c) => [c.ord, c.suspended])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(reviews(core, seu.id)).toBe(2);

    // Retired: still there with its history, suspended and tagged.
    const gone = note(core, 'cert-022')!;
    expect(gone.tags).toContain(RETIRED_TAG);
    expect(cards(core, gone.id).every((c) => c.suspended === 1)).toBe(true);
    expect(reviews(core, gone.id)).toBe(1);

    // The user's wording wins; the note still learns its source.
    const mine = note(core, 'pm-030')!;
    expect(JSON.parse(mine.fields)).toEqual(editedFields);
    expect(mine.source).toContain('Eric Ries');

    // Notes new in this revision arrive; the one the user deleted stays deleted.
    expect(note(core, 'tpm-134')).toBeDefined(); // quality assurance vs quality control
    expect(note(core, 'sg2020-010')).toBeUndefined();
    const addedInRevision2 = ['sg2020-110', 'sg2020-111', 'sg2020-112', 'cert-037', 'tpm-134', 'tpm-135', 'tpm-136', 'tpm-137', 'tpm-138'];
    expect(count(core, 'notes')).toBe(notesBefore + addedInRevision2.length);
    expect(note(core, 'pm-093')).toBeUndefined();
    expect((await core.call('decks.list')).decks.some((d) => d.path === 'Starter::Product Management::Requirements')).toBe(false);
    // Every starter note still in the decks now shows where its facts come from.
    const unsourced = core.ctx.db.prepare("SELECT count(*) AS n FROM notes WHERE guid LIKE 'starter:%' AND source = '' AND tags NOT LIKE ?").get(`% ${RETIRED_TAG} %`);
    expect(unsourced).toEqual({ n: 0 });

    // Told once, in words.
    expect(core.ctx.notices).toHaveLength(1);
    expect(core.ctx.notices[0]!.message).toMatch(/^The starter decks were updated\. /);
    expect(core.ctx.notices[0]!.message).toContain('Certification Renewal: ');
    expect(core.ctx.notices[0]!.message).toContain('4 retired');
    expect(core.ctx.notices[0]!.message).toContain('1 note you had edited left as you wrote it');
    expect(core.ctx.notices[0]!.message).toContain(`"${RETIRED_TAG}"`);

    // Idempotent: the next start changes nothing and says nothing.
    const snapshot = core.ctx.db.prepare('SELECT id, note_type_id, fields, tags, source, updated_at FROM notes ORDER BY id').all();
    core.ctx.notices.length = 0;
    seedStarterDecks(core.ctx);
    expect(core.ctx.db.prepare('SELECT id, note_type_id, fields, tags, source, updated_at FROM notes ORDER BY id').all()).toEqual(snapshot);
    expect(core.ctx.notices).toEqual([]);
  });

  it('a new collection gets the current revision straight away, with nothing to tell', async () => {
    core = await makeTestCore();
    seedStarterDecks(core.ctx);
    expect(core.ctx.notices).toEqual([]);
    expect(note(core, 'cert-022')).toBeUndefined();
    expect(note(core, 'tpm-134')!.source).toContain('PMBOK Guide, 6th edition');
    const revisions = core.ctx.db.prepare('SELECT file_id, revision FROM starter_decks ORDER BY file_id').all();
    expect(revisions).toEqual(deckFiles.map((f) => ({ file_id: f.slice(0, -5), revision: 2 })));
  });
});
