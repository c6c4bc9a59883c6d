// Imports leave the word index (plain words, phrases, tags) to a fill that runs after them, in short
// steps between requests (electron/core/flashcards/searchIndexFill.ts); meanwhile search tests the
// waiting notes the way the index reads text (wordMatch.ts). What a user notices: a word search finds
// the same cards right after an import, while the index is filled and after; edits and deletes
// meanwhile keep search right; a fill cut short by a quit carries on at the next start.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeWordFill } from '../../electron/core/flashcards/searchIndexFill';
import { indexWords, notesFtsPhraseMatches } from '../../electron/core/flashcards/wordMatch';
import { makeTestCore, type TestCore } from './testCore';
import { expectFronts, importTermsCsv, searchFronts } from './search-fixtures';

let core: TestCore;
afterEach(() => core?.close());

const importCsv = (text: string, jobId?: string) => importTermsCsv(core, text, jobId);
const search = (text: string) => searchFronts(core, text);
const waiting = () => core.ctx.db.prepare('SELECT count(*) FROM notes_fts_pending').pluck().get() as number;
const noteId = (sortField: string) => core.ctx.db.prepare('SELECT id FROM notes WHERE sort_field = ?').pluck().get(sortField) as number;
const inIndex = (match: string) => core.ctx.db.prepare('SELECT rowid FROM notes_fts WHERE notes_fts MATCH ? ORDER BY rowid').pluck().all(match) as number[];

/** 1,500 notes, more than one step of the fill, then a few to search for. */
const BULK = Array.from({ length: 1500 }, (_, i) => `Term ${i},Meaning number ${i} ${'with a longer explanation '.repeat(20)},bulk`);
const SPECIAL = [
  'Velocity,Work finished per sprint,agile scrum::metrics',
  'Burndown,Remaining effort over time,charts',
  'Café crème,Naïve <b>estimate</b> of the “product-owner” role,lean',
  'Ελληνικά,Ημέρα και νύχτα,greek',
  '看板,看板方法 workflow,kanban',
];

/** Word searches (the index, or the waiting notes' test), with what they find once the file above is imported. */
const EXPECTED: Record<string, string[]> = {
  sprint: ['Velocity'],
  'sprin*': ['Velocity'],
  spr: ['Velocity'],
  '"per sprint"': ['Velocity'],
  '"sprint per"': [],
  cafe: ['Café crème'],
  CRÈME: ['Café crème'],
  naive: ['Café crème'],
  'product-owner': ['Café crème'],
  '"owner role"': ['Café crème'],
  '"role owner"': [],
  ημερα: [],
  ημέρα: ['Ελληνικά'],
  看板方法: ['看板'],
  'tag:metrics': [],
  'tag:agile': ['Velocity'],
  'tag:scrum::metrics': ['Velocity'],
  'remaining -charts': [],
  'remaining or sprint': ['Burndown', 'Velocity'],
  '(sprint or effort) -tag:charts': ['Velocity'],
  'number 1499': ['Term 1499'],
  'term deck:Imported meaning 7 -explanation': [],
  retrospective: ['Retrospective'],
  'inspect adapt': ['Retrospective'],
};
const expectSearchesRight = (expected = EXPECTED) => expectFronts(core, expected);

describe('the word index after an import', () => {
  it('finds imported notes at once, while the index is filled and after; edits and deletes meanwhile keep search right', async () => {
    core = await makeTestCore({ searchFill: false });
    const deckId = (await core.call('decks.create', { name: 'Mine', parentId: null })).id;
    await core.call('notes.create', { noteTypeId: 1, deckId, fields: ['Retrospective', 'Inspect and adapt'], tags: [] });

    const summary = await importCsv([...BULK, ...SPECIAL].join('\n'));
    expect(summary.notes.added).toBe(1505);
    // The import's transaction listed its notes as waiting instead of indexing them.
    expect(waiting()).toBe(1505);
    expect(inIndex('sprint')).toEqual([]);
    expect(inIndex('inspect')).toEqual([noteId('Retrospective')]);
    expect((await core.call('browse.search', { text: 'meaning' })).total).toBe(1500);
    await expectSearchesRight();

    // Part of the way: the first notes indexed, the rest (the special ones among them) still waiting.
    const fill = makeWordFill(core.ctx.db);
    const first = fill.step();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(1500);
    expect(waiting()).toBe(1505 - first);
    expect(inIndex('"number 0"')).toEqual([noteId('Term 0')]);
    await expectSearchesRight();

    // Edited and deleted while waiting: found by the new text only, and not at all.
    await core.call('notes.update', { id: noteId('Burndown'), fields: ['Burndown', 'Work left over time'] });
    await core.call('notes.delete', { ids: [noteId('Velocity')] });
    const afterEdits = {
      ...EXPECTED,
      sprint: [],
      'sprin*': [],
      spr: [],
      '"per sprint"': [],
      'tag:metrics': [],
      'tag:agile': [],
      'tag:scrum::metrics': [],
      left: ['Burndown'],
      'remaining or sprint': [],
      '(sprint or effort) -tag:charts': [],
    };
    await expectSearchesRight(afterEdits);

    await core.searchIndexed();
    expect(waiting()).toBe(0);
    expect(inIndex('left')).toEqual([noteId('Burndown')]);
    expect(inIndex('remaining')).toEqual([]);
    expect(inIndex('sprint')).toEqual([]);
    expect(inIndex('"number 1499"')).toEqual([noteId('Term 1499')]);
    await expectSearchesRight(afterEdits);
    expect(core.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('carries on after a quit in the middle of the fill, and fills by itself', async () => {
    core = await makeTestCore({ searchFill: false });
    const dataDir = core.dataDir;
    await importCsv([...BULK, ...SPECIAL].join('\n'));
    makeWordFill(core.ctx.db).step();
    expect(waiting()).toBeGreaterThan(0);
    core.close();

    core = await makeTestCore({ dataDir });
    expect(await search('"per sprint"')).toEqual(['Velocity']);
    await vi.waitFor(() => expect(waiting()).toBe(0), { timeout: 20_000, interval: 20 });
    expect(inIndex('"per sprint"')).toEqual([noteId('Velocity')]);
    await expectSearchesRight({ ...EXPECTED, retrospective: [], 'inspect adapt': [] });
  });
});

describe('reading text as the word index does', () => {
  it('tests a note stored with escaped letters by what they stand for', () => {
    // JSON written elsewhere may escape letters (\u00e9 for é): the stored text is ASCII, the words are not.
    const stored = JSON.stringify(['Caf\u00e9 cr\u00e8me', 'x']).replace(/é/g, '\\u00e9').replace(/è/g, '\\u00e8');
    expect(stored).toBe('["Caf\\u00e9 cr\\u00e8me","x"]');
    expect(notesFtsPhraseMatches(stored, '', 'cafe', true)).toBe(true);
    expect(notesFtsPhraseMatches(stored, '', 'creme', false)).toBe(true);
    expect(notesFtsPhraseMatches(stored, '', 'u00e9', true)).toBe(false);
  });

  it('reads a damaged row of fields (not a JSON array) as it stands, instead of failing the search', () => {
    expect(notesFtsPhraseMatches('["Sprint review', '', 'review', false)).toBe(true);
    expect(notesFtsPhraseMatches('{"a":"Backlog"}', '', 'backlog', true)).toBe(true);
    expect(notesFtsPhraseMatches('"Kanban"', '', 'scrum', true)).toBe(false);
  });


  /** The words FTS5 itself stores for each text (unicode61, remove_diacritics 2, as notes_fts is made). */
  function indexed(texts: string[]): string[][] {
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE t USING fts5 (a, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
      CREATE VIRTUAL TABLE v USING fts5vocab (t, instance);`);
    const insert = db.prepare('INSERT INTO t (rowid, a) VALUES (?, ?)');
    texts.forEach((text, i) => insert.run(i + 1, text));
    const words: string[][] = texts.map(() => []);
    for (const row of db.prepare('SELECT doc, term FROM v ORDER BY doc, offset').all() as { doc: number; term: string }[]) words[row.doc - 1]!.push(row.term);
    db.close();
    return words;
  }

  it('splits, folds and drops accents exactly as the index, in the scripts learners write', () => {
    const texts = [
      'Café crème brûlée',
      'Cafe\u0301 cre\u0300me', // accents as separate combining characters
      'İstanbul ıspanak ISTANBUL',
      'Straße STRASSE ẞ',
      'Łódź Øresund Æsir đuro ħ ǿ',
      'ǖ Ṩ ǅungla ĳ ﬁne ½ ² Ⅻ',
      'Ελληνικά ΆΈΉ ς σ µ ſ',
      'ПРИВЕТ мир й Ёлка',
      '日本語テキスト 看板方法',
      '١٢٣ arabic عربى',
      'hindi हिन्दी',
      'עברית',
      'naïve_<b>x</b> it’s co-op e-mail 3.14 C++ #tag @me',
      '😀smile tab\tsep\nline',
      'x\u0308y a\u0363b e\u20dd',
      'Ｆｕｌｌ ｗｉｄｔｈ',
    ];
    // And random mixes of those characters, to catch what joins or splits words.
    const alphabet = [...'aZé\u0301\u0308\u0363 -_.,İıßØǖЙй日ά1٣½\u200d\u00ad\u2019\'"<>/&;😀ﬁÅå\u030aǅ\t\nς'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 3000; i++) texts.push(Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    const expected = indexed(texts);
    texts.forEach((text, i) => expect(indexWords(text), JSON.stringify(text)).toEqual(expected[i]));
  });
});
