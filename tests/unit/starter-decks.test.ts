import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { starterDeckSchema, type StarterDeck } from '../../electron/core/flashcards/starterDeckSchema';

const DECKS_DIR = path.resolve(__dirname, '../../assets/decks');

/** Every starter deck the app ships must be present with at least this many notes. */
const MIN_NOTES: Record<string, number> = {
  'scrum-guide-2020': 60,
  'product-management': 50,
  'technical-project-management': 50,
  'certification-renewal': 20,
};

const RAW_HTML = /<[a-z!/]/i;

interface DeckFile {
  name: string;
  raw: unknown;
}

function readDeckFiles(): DeckFile[] {
  return fs
    .readdirSync(DECKS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => ({ name, raw: JSON.parse(fs.readFileSync(path.join(DECKS_DIR, name), 'utf8')) as unknown }));
}

/** Schema problems of one file, one line each, empty when it parses. */
function schemaProblems(file: DeckFile): string[] {
  const result = starterDeckSchema.safeParse(file.raw);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** Cloze deletions found by a plain scan, independent of the schema's own check. */
function clozes(text: string): { n: number; answer: string }[] {
  return [...text.matchAll(/\{\{c(\d+)::(.*?)\}\}/g)].map((m) => ({ n: Number(m[1]), answer: (m[2] ?? '').split('::')[0] ?? '' }));
}

function fieldValues(deck: StarterDeck): string[] {
  return deck.notes.flatMap((n) => Object.values(n.fields).filter((v): v is string => typeof v === 'string'));
}

const files = readDeckFiles();
// Files that fail the schema are reported by their own test below; the content checks run on the rest.
const decks = files.flatMap((f) => {
  const result = starterDeckSchema.safeParse(f.raw);
  return result.success ? [{ file: f.name, deck: result.data }] : [];
});

describe('starter deck files', () => {
  it('ships every expected deck with enough notes', () => {
    const counts = Object.fromEntries(decks.map(({ deck }) => [deck.id, deck.notes.length]));
    for (const [id, min] of Object.entries(MIN_NOTES)) {
      expect(counts[id], `deck ${id}`).toBeGreaterThanOrEqual(min);
    }
  });

  it.each(files.map((f) => [f.name, f] as const))('%s matches the schema and is named after its id', (name, file) => {
    expect(schemaProblems(file), `${name} does not match the starter deck schema`).toEqual([]);
    expect(name).toBe(`${(file.raw as { id?: unknown }).id}.json`);
  });

  it('uses guids that are unique across all files, with one prefix per file', () => {
    const owner = new Map<string, string>();
    const prefixes = new Map<string, string>();
    for (const { file, deck } of decks) {
      const filePrefixes = new Set(deck.notes.map((n) => n.guid.split('-')[0]));
      expect([...filePrefixes], `${file} guid prefixes`).toHaveLength(1);
      const prefix = [...filePrefixes][0] ?? '';
      expect(prefixes.get(prefix), `prefix "${prefix}" reused by ${file}`).toBeUndefined();
      prefixes.set(prefix, file);
      for (const note of deck.notes) {
        expect(owner.get(note.guid), `guid ${note.guid} in ${file}`).toBeUndefined();
        owner.set(note.guid, file);
      }
    }
  });

  it('puts every note in the file deck or one of its subdecks', () => {
    for (const { deck } of decks) {
      for (const note of deck.notes) {
        const target = note.deck ?? deck.deck;
        expect(target === deck.deck || target.startsWith(`${deck.deck}::`), `${note.guid} -> ${target}`).toBe(true);
      }
    }
  });

  it('has at least one cloze note per file, and every cloze note has well-formed deletions', () => {
    for (const { file, deck } of decks) {
      const clozeNotes = deck.notes.filter((n) => n.type === 'cloze');
      expect(clozeNotes.length, `${file} cloze notes`).toBeGreaterThan(0);
      for (const note of clozeNotes) {
        const found = clozes(note.fields.Text);
        expect(found.length, note.guid).toBeGreaterThan(0);
        for (const c of found) {
          expect(c.n, note.guid).toBeGreaterThanOrEqual(1);
          expect(c.answer.trim(), note.guid).not.toBe('');
        }
      }
    }
  });

  it('fills both sides of every basic and reversed note', () => {
    for (const { deck } of decks) {
      for (const note of deck.notes) {
        if (note.type === 'cloze') continue;
        expect(note.fields.Front.trim(), note.guid).not.toBe('');
        expect(note.fields.Back.trim(), note.guid).not.toBe('');
      }
    }
  });

  it('contains no raw HTML in any field', () => {
    for (const { file, deck } of decks) {
      for (const value of fieldValues(deck)) {
        expect(RAW_HTML.test(value), `${file}: ${value}`).toBe(false);
      }
    }
  });

  it('tags every note with lowercase hierarchical tags', () => {
    for (const { deck } of decks) {
      for (const note of deck.notes) {
        expect(note.tags.length, note.guid).toBeGreaterThan(0);
        for (const tag of note.tags) expect(tag, note.guid).toMatch(/^[a-z0-9_-]+(::[a-z0-9_-]+)*$/);
      }
    }
  });

  it('cites only https sources', () => {
    for (const { file, deck } of decks) {
      expect(deck.sources.length, file).toBeGreaterThan(0);
      for (const s of deck.sources) expect(new URL(s.url).protocol, `${file}: ${s.url}`).toBe('https:');
    }
  });

  it('never asks the same question twice', () => {
    const seen = new Map<string, string>();
    for (const { deck } of decks) {
      for (const note of deck.notes) {
        const prompt = (note.type === 'cloze' ? note.fields.Text : note.fields.Front).trim().toLowerCase();
        expect(seen.get(prompt), `${note.guid} repeats ${seen.get(prompt)}`).toBeUndefined();
        seen.set(prompt, note.guid);
      }
    }
  });
});

describe('starterDeckSchema rejects what the loader must refuse', () => {
  const valid = {
    id: 'sample-deck',
    deck: 'Starter::Sample',
    description: 'A sample deck.',
    lastVerified: '2026-11-25',
    sources: [{ title: 'Example', url: 'https://example.org/' }],
    notes: [
      { guid: 'sample-001', type: 'basic', fields: { Front: 'Q', Back: 'A' }, tags: ['sample'], source: 'Example book, chapter 1' },
      { guid: 'sample-002', type: 'reversed', deck: 'Starter::Sample::Sub', fields: { Front: 'Term', Back: 'Meaning' }, tags: ['sample::sub'], source: 'Example book, chapter 2' },
      { guid: 'sample-003', type: 'cloze', fields: { Text: 'A {{c1::cloze}} with a {{c2::hint::clue}}.', Extra: 'More' }, tags: ['sample'], source: 'https://example.org/' },
    ],
  };

  type Sample = typeof valid;
  const withNote = (i: number, patch: Record<string, unknown>): Sample => ({
    ...valid,
    notes: valid.notes.map((n, j) => (j === i ? { ...n, ...patch } : n)) as Sample['notes'],
  });

  function messages(input: unknown): string {
    const result = starterDeckSchema.safeParse(input);
    expect(result.success).toBe(false);
    return result.success ? '' : result.error.issues.map((i) => i.message).join('\n');
  }

  it('accepts a well-formed deck', () => {
    expect(starterDeckSchema.safeParse(valid).success).toBe(true);
  });

  it('rejects cloze text without a deletion, with number 0, or with an empty answer', () => {
    expect(messages(withNote(2, { fields: { Text: 'No deletion here.' } }))).toMatch(/at least one cloze/);
    expect(messages(withNote(2, { fields: { Text: 'Bad {{c0::zero}}.' } }))).toMatch(/1 or more/);
    expect(messages(withNote(2, { fields: { Text: 'Bad {{c1::}}.' } }))).toMatch(/empty answer/);
    expect(messages(withNote(2, { fields: { Text: 'Typo {{c1:answer}}.' } }))).toMatch(/malformed|at least one cloze/);
  });

  it('rejects raw HTML, empty sides and unknown field names', () => {
    expect(messages(withNote(0, { fields: { Front: 'Q', Back: '<b>A</b>' } }))).toMatch(/raw HTML/);
    expect(messages(withNote(0, { fields: { Front: '  ', Back: 'A' } }))).toMatch(/empty/);
    expect(starterDeckSchema.safeParse(withNote(0, { fields: { Front: 'Q', Back: 'A', Extra: 'x' } })).success).toBe(false);
    expect(starterDeckSchema.safeParse(withNote(2, { fields: { Front: 'Q', Back: 'A' } })).success).toBe(false);
  });

  it('rejects a note deck outside the file deck, duplicate guids, bad tags and http sources', () => {
    expect(messages(withNote(1, { deck: 'Starter::Samples' }))).toMatch(/Starter::Sample" or one of its subdecks/);
    expect(messages(withNote(1, { guid: 'sample-001' }))).toMatch(/duplicates the guid/);
    expect(messages(withNote(0, { tags: [] }))).toMatch(/at least one tag/);
    expect(messages(withNote(0, { tags: ['Scrum Events'] }))).toMatch(/lowercase/);
    expect(messages({ ...valid, sources: [{ title: 'Plain', url: 'http://example.org/' }] })).toMatch(/https/);
    expect(messages({ ...valid, deck: 'Starter:: Sample' })).toMatch(/spaces/);
  });

  it('rejects a note without its source, a note added after the file revision, and a retired note still listed', () => {
    expect(messages(withNote(0, { source: '' }))).toMatch(/every note needs its source/);
    expect(messages(withNote(0, { added: 2 }))).toMatch(/must not be above the file's revision/);
    expect(messages({ ...valid, revision: 2, retired: [{ guid: 'sample-001', reason: 'Merged.' }] })).toMatch(/still listed among the notes/);
  });
});
