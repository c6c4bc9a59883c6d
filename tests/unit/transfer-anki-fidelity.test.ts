// Exports Anki can open as its own: media in Anki's syntax and names (also in CSV, whose GUID column
// makes Anki overwrite the user's notes), a note type's LaTeX header and footer, each card's ease,
// one deck per name, Markdown notes as HTML. And a round trip Cadence -> .apkg -> Cadence -> .apkg
// that changes nothing in fields, templates, CSS, deck names, tags, media or review history. Packages
// are read back with the independent reader in transfer-fixtures.ts.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from './testCore';
import { MP3, NT, PNG, modernPackage, readLegacyPackage, sampleCollection, type FxCollection, type ReadPackage } from './transfer-fixtures';

const cores: TestCore[] = [];
afterEach(() => {
  while (cores.length) cores.pop()!.close();
});
async function newCore() {
  const core = await makeTestCore();
  cores.push(core);
  return core;
}
async function importInto(core: TestCore, bytes: Uint8Array) {
  const { stagedId } = await core.call('files.stage', { name: 'deck.apkg', bytes: new Uint8Array(bytes) });
  return core.call('import.anki', { stagedId, jobId: `imp-${Math.random().toString(36).slice(2)}` });
}
const rootDeck = (core: TestCore, name: string) => (core.ctx.db.prepare('SELECT id FROM decks WHERE name = ? AND parent_id IS NULL').get(name) as { id: number }).id;
const exported = (core: TestCore, downloadName: string) => fs.readFileSync(path.join(core.ctx.paths.exportsDir, downloadName));

const LATEX_PRE = '\\documentclass[12pt]{article}\n\\usepackage{amsmath,mathtools}\n\\begin{document}\n';
const LATEX_POST = '\n\\end{document}';

/** The sample with its custom note type carrying its own LaTeX header and footer. */
function latexSample(): FxCollection {
  const col = sampleCollection();
  const term = col.noteTypes.find((t) => t.id === NT.custom)!;
  term.latexPre = LATEX_PRE;
  term.latexPost = LATEX_POST;
  return col;
}

describe('exports Anki opens cleanly', () => {
  it("CSV export writes Anki's media syntax and the files' own names, never Cadence's stored names", async () => {
    const core = await newCore();
    await importInto(core, modernPackage(sampleCollection()));
    const out = await core.call('export.csv', { deckId: rootDeck(core, 'PM') });
    const text = exported(core, out.downloadName).toString('utf8');
    expect(text).toContain('A time-box of one month or less <img src=""scrum.png"">');
    expect(text).toContain('The Product Owner [sound:bell.mp3]');
    expect(text).not.toContain('media/');
    expect(text).not.toContain('<audio');
  });

  it('apkg export keeps the LaTeX header and footer, Anki ease factors and distinct deck names', async () => {
    const core = await newCore();
    await importInto(core, modernPackage(latexSample()));
    const pkg = readLegacyPackage(exported(core, (await core.call('export.apkg', { deckId: rootDeck(core, 'PM'), includeScheduling: true })).downloadName));
    const term = pkg.noteTypes.find((t) => t.name === 'PM Term')!;
    expect([term.latexPre, term.latexPost]).toEqual([LATEX_PRE, LATEX_POST]);
    // Built-in designs get a working header too, never an empty one.
    expect(pkg.noteTypes.find((t) => t.name === 'Basic')!.latexPre).toContain('\\begin{document}');
    // The suspended review card came from Anki with ease 230 %; the others with 250 %.
    const backlog = pkg.notes.find((n) => n.guid === 'gBacklog2')!;
    expect(pkg.cards.find((c) => c.nid === backlog.id)!.factor).toBe(2300);

    // A deck of Cadence's own named "Default" is Anki's deck 1, not a second "Default".
    const deck = await core.call('decks.create', { name: 'Default' });
    await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Q', 'A'] });
    const def = readLegacyPackage(exported(core, (await core.call('export.apkg', { deckId: deck.id })).downloadName));
    expect(def.decks.map((d) => d.name)).toEqual(['Default']);
    expect(def.cards.map((c) => c.did)).toEqual([1]);
  });

  it('notes written in Markdown go out as the HTML Anki shows, with their math as written', async () => {
    const core = await newCore();
    const deck = await core.call('decks.create', { name: 'Written' });
    await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['**Bold** and \\(x_1 + x_2\\)', '- one\n- two'] });
    const pkg = readLegacyPackage(exported(core, (await core.call('export.apkg', { deckId: deck.id })).downloadName));
    expect(pkg.notes[0]!.flds).toEqual(['<strong>Bold</strong> and \\(x_1 + x_2\\)', '<ul>\n<li>one</li>\n<li>two</li>\n</ul>']);
    const csv = exported(core, (await core.call('export.csv', { deckId: deck.id })).downloadName).toString('utf8');
    expect(csv).toContain('<strong>Bold</strong> and \\(x_1 + x_2\\)');
  });
});

/** What a package holds that a round trip must keep, keyed so that ids made on export do not matter. */
function comparable(pkg: ReadPackage) {
  const noteById = new Map(pkg.notes.map((n) => [n.id, n]));
  const cardById = new Map(pkg.cards.map((c) => [c.id, c]));
  const modelName = new Map(pkg.noteTypes.map((t) => [t.id, t.name]));
  const deckName = new Map(pkg.decks.map((d) => [d.id, d.name]));
  const cardKey = (c: ReadPackage['cards'][number]) => `${noteById.get(c.nid)!.guid}/${c.ord}`;
  return {
    noteTypes: pkg.noteTypes.map(({ id: _id, ...rest }) => rest).sort((a, b) => a.name.localeCompare(b.name)),
    decks: pkg.decks.map((d) => d.name).sort(),
    notes: pkg.notes.map((n) => ({ guid: n.guid, type: modelName.get(n.mid), fields: n.flds, tags: n.tags, mod: n.mod })).sort((a, b) => a.guid.localeCompare(b.guid)),
    cards: pkg.cards.map((c) => ({ card: cardKey(c), deck: deckName.get(c.did), type: c.type, queue: c.queue, due: c.due, ivl: c.ivl, factor: c.factor, reps: c.reps, lapses: c.lapses })).sort((a, b) => a.card.localeCompare(b.card)),
    revlog: pkg.revlog.map((r) => ({ card: cardKey(cardById.get(r.cid)!), id: r.id, ease: r.ease, ivl: r.ivl, lastIvl: r.lastIvl, factor: r.factor, time: r.time, type: r.type })),
    media: [...pkg.media].map(([name, bytes]) => [name, Buffer.from(bytes).toString('base64')]).sort(),
  };
}

describe('round trip Cadence -> .apkg -> Cadence -> .apkg', () => {
  it('is stable in fields, templates, CSS, deck names, tags, media and review history', async () => {
    const a = await newCore();
    await importInto(a, modernPackage(latexSample()));
    // A note written here in Markdown with a picture and math, and a review made here.
    const pm = rootDeck(a, 'PM');
    const written = (a.ctx.db.prepare("SELECT id FROM decks WHERE name = 'Agile'").get() as { id: number }).id;
    const stored = (a.ctx.db.prepare("SELECT name FROM media WHERE original_name = 'scrum.png'").get() as { name: string }).name;
    await a.call('notes.create', { noteTypeId: 1, deckId: written, fields: [`The **sprint** chart ![chart](media/${stored})`, '\\(v = w / t\\)'], tags: ['written::here'] });
    const next = await a.call('study.next', { deckId: pm });
    await a.call('study.answer', { cardId: next.card!.id, rating: 3, durationMs: 5000 });

    const first = exported(a, (await a.call('export.apkg', { deckId: pm, includeScheduling: true })).downloadName);
    const b = await newCore();
    b.clock.set(a.clock.now());
    await importInto(b, first);
    const second = exported(b, (await b.call('export.apkg', { deckId: rootDeck(b, 'PM'), includeScheduling: true })).downloadName);

    const one = comparable(readLegacyPackage(first));
    const two = comparable(readLegacyPackage(second));
    // What the first export holds, in Anki's own terms (a check that the comparison compares something).
    expect(one.notes.find((n) => n.fields[0]!.includes('sprint</strong>'))!.fields[0]).toBe('The <strong>sprint</strong> chart <img src="scrum.png" alt="chart">');
    expect(one.media).toEqual(
      [
        ['_paper.png', Buffer.from(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 42])).toString('base64')],
        ['bell.mp3', Buffer.from(MP3).toString('base64')],
        ['scrum.png', Buffer.from(PNG).toString('base64')],
      ].sort(),
    );
    expect(one.revlog).toHaveLength(10);
    expect(one.noteTypes.find((t) => t.name === 'PM Term')!.latexPre).toBe(LATEX_PRE);

    expect(two.noteTypes).toEqual(one.noteTypes);
    expect(two.decks).toEqual(one.decks);
    expect(two.notes).toEqual(one.notes);
    expect(two.media).toEqual(one.media);
    expect(two.revlog).toEqual(one.revlog);
    expect(two.cards).toEqual(one.cards);
  });
});
