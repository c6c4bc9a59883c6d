import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
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

async function importInto(core: TestCore, bytes: Uint8Array, name = 'deck.apkg') {
  const { stagedId } = await core.call('files.stage', { name, bytes: new Uint8Array(bytes) });
  return core.call('import.anki', { stagedId, jobId: `imp-${Math.random().toString(36).slice(2)}` });
}

function rootDeck(core: TestCore, name: string): number {
  return (core.ctx.db.prepare('SELECT id FROM decks WHERE name = ? AND parent_id IS NULL').get(name) as { id: number }).id;
}

function readExport(core: TestCore, downloadName: string): Uint8Array {
  return fs.readFileSync(path.join(core.ctx.paths.exportsDir, downloadName));
}

/** Notes, cards and schedules of the PM deck tree, keyed by note id (guid) and card ordinal. */
function pmSnapshot(core: TestCore) {
  return core.ctx.db
    .prepare(
      `WITH RECURSIVE tree(id, path) AS (SELECT id, name FROM decks WHERE name = 'PM' AND parent_id IS NULL
         UNION ALL SELECT d.id, tree.path || '::' || d.name FROM decks d JOIN tree ON d.parent_id = tree.id)
       SELECT n.guid, n.fields, n.tags, t.name AS type, t.kind, t.fields AS typeFields, t.templates, tree.path AS deck,
              c.ord, c.state, c.due, c.stability, c.difficulty, c.scheduled_days, c.learning_steps, c.reps, c.lapses, c.last_review,
              c.suspended, c.buried_day IS NOT NULL AS buried,
              (SELECT group_concat(r.rating || '@' || r.reviewed_at, ',') FROM revlog r WHERE r.card_id = c.id) AS history
         FROM cards c JOIN tree ON tree.id = c.deck_id JOIN notes n ON n.id = c.note_id JOIN note_types t ON t.id = n.note_type_id
        ORDER BY n.guid, c.ord`,
    )
    .all();
}

describe('Anki package export', () => {
  it('writes a legacy schema-11 package with notes, cards, media and, if chosen, schedules and history', async () => {
    const core = await newCore();
    await importInto(core, modernPackage(sampleCollection()));
    const out = await core.call('export.apkg', { deckId: rootDeck(core, 'PM'), includeScheduling: true });
    expect(out).toMatchObject({ fileName: 'PM.apkg', notes: 7, cards: 10, media: 3 });
    const files = unzipSync(readExport(core, out.downloadName));
    expect(Object.keys(files).sort()).toEqual(['0', '1', '2', 'collection.anki2', 'media']);
    const map = JSON.parse(new TextDecoder().decode(files.media)) as Record<string, string>;
    expect(Object.values(map).sort()).toEqual(['_paper.png', 'bell.mp3', 'scrum.png']);
    const pngIndex = Object.entries(map).find(([, n]) => n === 'scrum.png')![0];
    expect(files[pngIndex]).toEqual(PNG);
    expect(files[Object.entries(map).find(([, n]) => n === 'bell.mp3')![0]]).toEqual(MP3);

    const db = new Database(Buffer.from(files['collection.anki2']!));
    try {
      const col = db.prepare('SELECT ver, crt, models, decks FROM col').get() as { ver: number; crt: number; models: string; decks: string };
      expect(col.ver).toBe(11);
      const deckNames = Object.values(JSON.parse(col.decks) as Record<string, { name: string }>).map((d) => d.name).sort();
      expect(deckNames).toEqual(['Default', 'PM', 'PM::Agile', 'PM::Agile::Scrum']);
      const models = Object.values(JSON.parse(col.models) as Record<string, { name: string; type: number; flds: { name: string }[] }>);
      expect(models.map((m) => [m.name, m.type, m.flds.map((f) => f.name)]).sort((x, y) => String(x[0]).localeCompare(String(y[0])))).toEqual([
        ['Basic', 0, ['Front', 'Back']],
        ['Basic (and reversed card)', 0, ['Front', 'Back']],
        ['Cloze', 1, ['Text', 'Extra']],
        ['PM Term', 0, ['Term', 'Definition', 'Example']],
      ]);
      // Fields point at package media names again; sounds are [sound:] tags.
      const flds = (db.prepare('SELECT flds FROM notes').all() as { flds: string }[]).map((r) => r.flds);
      expect(flds).toContain('What is a sprint?\x1fA time-box of one month or less <img src="scrum.png">');
      expect(flds).toContain('Who orders the backlog?\x1fThe Product Owner [sound:bell.mp3]');
      const cards = db.prepare('SELECT type, queue, ivl, data FROM cards ORDER BY id').all() as { type: number; queue: number; ivl: number; data: string }[];
      expect(cards.filter((c) => c.queue === -1)).toHaveLength(1);
      expect(cards.filter((c) => c.queue === -3)).toHaveLength(1); // buried today, as in Cadence
      expect(JSON.parse(cards.find((c) => c.type === 2 && c.ivl === 12)!.data)).toMatchObject({ s: 12.5, d: 6.2 });
      expect((db.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n).toBe(9);
    } finally {
      db.close();
    }

    // Without scheduling every card is new and there is no history.
    const plain = await core.call('export.apkg', { deckId: rootDeck(core, 'PM'), includeScheduling: false, includeMedia: false });
    expect(plain.media).toBe(0);
    const plainFiles = unzipSync(readExport(core, plain.downloadName));
    const plainDb = new Database(Buffer.from(plainFiles['collection.anki2']!));
    try {
      expect(plainDb.prepare('SELECT DISTINCT type, queue FROM cards').all()).toEqual([{ type: 0, queue: 0 }]);
      expect(plainDb.prepare('SELECT count(*) AS n FROM revlog').get()).toEqual({ n: 0 });
    } finally {
      plainDb.close();
    }
  });

  it('round trip: export a deck, import it into a fresh collection: same notes, cards, schedules, history and media', async () => {
    const a = await newCore();
    await importInto(a, modernPackage(sampleCollection()));
    // Study one card in Cadence first, so native review rows and a Cadence-made schedule travel too.
    const pm = rootDeck(a, 'PM');
    const next = await a.call('study.next', { deckId: pm });
    expect(next.card).not.toBeNull();
    await a.call('study.answer', { cardId: next.card!.id, rating: 3, durationMs: 5000 });

    const out = await a.call('export.apkg', { deckId: pm, includeScheduling: true });
    const b = await newCore();
    b.clock.set(a.clock.now());
    const summary = await importInto(b, readExport(a, out.downloadName));
    expect(summary.notes.added).toBe(7);
    expect(summary.cardsAdded).toBe(10);
    expect(summary.reviewsAdded).toBe(10);
    expect(summary.media.added).toBe(3);

    const before = pmSnapshot(a) as Record<string, unknown>[];
    const after = pmSnapshot(b) as Record<string, unknown>[];
    expect(after).toHaveLength(10);
    const comparable = (rows: Record<string, unknown>[]) =>
      rows.map((r) => ({ ...r, stability: Math.round((r.stability as number) * 1e4) / 1e4, difficulty: Math.round((r.difficulty as number) * 1e3) / 1e3 }));
    expect(comparable(after)).toEqual(comparable(before));

    // Media arrive under the same content names.
    for (const f of fs.readdirSync(a.ctx.paths.mediaDir)) expect(fs.existsSync(path.join(b.ctx.paths.mediaDir, f))).toBe(true);

    // And importing the same export again changes nothing.
    const again = await importInto(b, readExport(a, out.downloadName));
    expect(again.notes).toEqual({ added: 0, updated: 0, unchanged: 7, skipped: 0 });
    expect(again.cardsAdded).toBe(0);
  });

  it('refuses to export a deck that does not exist', async () => {
    const core = await newCore();
    const err = await core.fail('export.apkg', { deckId: 999 });
    expect(err.code).toBe('not_found');
    expect((await core.fail('export.csv', { deckId: 999 })).code).toBe('not_found');
  });
});

// Exports Anki opens as its own: media in Anki's syntax and names (also in CSV, whose GUID column makes
// Anki overwrite the user's notes), a note type's LaTeX header and footer, each card's ease, one deck
// per name, Markdown notes as HTML; and a round trip Cadence -> .apkg -> Cadence -> .apkg that changes
// nothing in fields, templates, CSS, deck names, tags, media or review history. Packages are read back
// with the independent reader in transfer-fixtures.ts.

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
    const text = Buffer.from(readExport(core, out.downloadName)).toString('utf8');
    expect(text).toContain('A time-box of one month or less <img src=""scrum.png"">');
    expect(text).toContain('The Product Owner [sound:bell.mp3]');
    expect(text).not.toContain('media/');
    expect(text).not.toContain('<audio');
  });

  it('apkg export keeps the LaTeX header and footer, Anki ease factors and distinct deck names', async () => {
    const core = await newCore();
    await importInto(core, modernPackage(latexSample()));
    const pkg = readLegacyPackage(readExport(core, (await core.call('export.apkg', { deckId: rootDeck(core, 'PM'), includeScheduling: true })).downloadName));
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
    const def = readLegacyPackage(readExport(core, (await core.call('export.apkg', { deckId: deck.id })).downloadName));
    expect(def.decks.map((d) => d.name)).toEqual(['Default']);
    expect(def.cards.map((c) => c.did)).toEqual([1]);
  });

  it('notes written in Markdown go out as the HTML Anki shows, with their math as written', async () => {
    const core = await newCore();
    const deck = await core.call('decks.create', { name: 'Written' });
    await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['**Bold** and \\(x_1 + x_2\\)', '- one\n- two'] });
    const pkg = readLegacyPackage(readExport(core, (await core.call('export.apkg', { deckId: deck.id })).downloadName));
    expect(pkg.notes[0]!.flds).toEqual(['<strong>Bold</strong> and \\(x_1 + x_2\\)', '<ul>\n<li>one</li>\n<li>two</li>\n</ul>']);
    const csv = Buffer.from(readExport(core, (await core.call('export.csv', { deckId: deck.id })).downloadName)).toString('utf8');
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

    const first = readExport(a, (await a.call('export.apkg', { deckId: pm, includeScheduling: true })).downloadName);
    const b = await newCore();
    b.clock.set(a.clock.now());
    await importInto(b, first);
    const second = readExport(b, (await b.call('export.apkg', { deckId: rootDeck(b, 'PM'), includeScheduling: true })).downloadName);

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

describe('importing its own exports back', () => {
  it('changes nothing, for Markdown notes and pictures too (CSV and .apkg)', async () => {
    const core = await newCore();
    await importInto(core, modernPackage(sampleCollection()));
    const agile = (core.ctx.db.prepare("SELECT id FROM decks WHERE name = 'Agile'").get() as { id: number }).id;
    const stored = (core.ctx.db.prepare("SELECT name FROM media WHERE original_name = 'scrum.png'").get() as { name: string }).name;
    await core.call('notes.create', { noteTypeId: 1, deckId: agile, fields: [`The **sprint** chart ![chart](media/${stored})`, 'Plain'] });
    const notes = () => core.ctx.db.prepare("SELECT guid, fields, format, tags FROM notes WHERE guid NOT LIKE 'starter:%' ORDER BY id").all();
    const before = notes();
    const pm = rootDeck(core, 'PM');

    const csv = await core.call('export.csv', { deckId: pm });
    const { stagedId } = await core.call('files.stage', { name: 'pm.csv', bytes: new Uint8Array(readExport(core, csv.downloadName)) });
    const preview = await core.call('import.csvPreview', { stagedId });
    const fromCsv = await core.call('import.csv', { stagedId, jobId: 'csv-back', noteTypeId: 1, deckPath: 'X', columns: preview.suggested.columns });
    expect(fromCsv.notes).toEqual({ added: 0, updated: 0, unchanged: 8, skipped: 0 });

    const apkg = await core.call('export.apkg', { deckId: pm, includeScheduling: true });
    const fromApkg = await importInto(core, readExport(core, apkg.downloadName));
    expect(fromApkg.notes).toEqual({ added: 0, updated: 0, unchanged: 8, skipped: 0 });
    expect(notes()).toEqual(before);
  });

  it('a CSV row edited elsewhere keeps pointing at the pictures already here', async () => {
    const core = await newCore();
    await importInto(core, modernPackage(sampleCollection()));
    const csv = await core.call('export.csv', { deckId: rootDeck(core, 'PM') });
    const text = Buffer.from(readExport(core, csv.downloadName)).toString('utf8').replace('A time-box of one month or less', 'At most one month');
    const { stagedId } = await core.call('files.stage', { name: 'pm.csv', bytes: new TextEncoder().encode(text) });
    const preview = await core.call('import.csvPreview', { stagedId });
    const summary = await core.call('import.csv', { stagedId, jobId: 'edit', noteTypeId: 1, deckPath: 'X', columns: preview.suggested.columns });
    expect(summary.notes.updated).toBe(1);
    const stored = (core.ctx.db.prepare("SELECT name FROM media WHERE original_name = 'scrum.png'").get() as { name: string }).name;
    const fields = JSON.parse((core.ctx.db.prepare("SELECT fields FROM notes WHERE guid = 'gSprint01'").get() as { fields: string }).fields) as string[];
    expect(fields[1]).toBe(`At most one month <img src="media/${stored}">`);
  });
});
