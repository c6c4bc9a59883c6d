// Limits an import keeps however the file is written: decks at most MAX_DECK_DEPTH deep, fields at
// most 100 KB, a bounded number of fields per note type; and staged files are gone once an import ends.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CsvColumn } from '../../shared/contract/transfer';
import { MAX_DECK_DEPTH } from '../../electron/core/flashcards/decks';
import { tidyDeckPath } from '../../electron/core/transfer/importCommon';
import { makeTestCore, type TestCore } from './testCore';
import { DK, legacyPackage, sampleCollection } from './transfer-fixtures';

let core: TestCore;
afterEach(() => core?.close());

const field = (c: number): CsvColumn => ({ kind: 'field', field: c });
const levels = (n: number) => Array.from({ length: n }, (_, i) => `L${i + 1}`);

async function stage(bytes: Uint8Array | string, name: string) {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return (await core.call('files.stage', { name, bytes: new Uint8Array(data) })).stagedId;
}

function deckPathsInCollection(): string[] {
  return core.ctx.db
    .prepare<[], { path: string }>(
      `WITH RECURSIVE p(id, path) AS (SELECT id, name FROM decks WHERE parent_id IS NULL
         UNION ALL SELECT d.id, p.path || '::' || d.name FROM decks d JOIN p ON d.parent_id = p.id)
       SELECT path FROM p ORDER BY path`,
    )
    .all()
    .map((r) => r.path);
}

describe('deck paths deeper than decks nest', () => {
  it('folds the levels below the deepest allowed into its name', () => {
    expect(MAX_DECK_DEPTH).toBe(20);
    const folded = tidyDeckPath(levels(25).join('::'));
    expect(folded.split('::')).toEqual([...levels(19), 'L20 / L21 / L22 / L23 / L24 / L25']);
    expect(tidyDeckPath(levels(20).join('::'))).toBe(levels(20).join('::'));
  });

  it('CSV: imports into the folded deck and says so', async () => {
    core = await makeTestCore();
    const summary = await core.call('import.csv', {
      stagedId: await stage('WIP,Work in progress\n', 'deep.csv'),
      jobId: 'csv-deep',
      noteTypeId: 1,
      deckPath: levels(25).join('::'),
      columns: [field(0), field(1)],
    });
    expect(summary.notes.added).toBe(1);
    expect(summary.decks).toEqual([[...levels(19), 'L20 / L21 / L22 / L23 / L24 / L25'].join('::')]);
    expect(summary.warnings.join(' ')).toMatch(/1 deck path\(s\) nested deeper than 20 levels/);
    expect(deckPathsInCollection().every((p) => p.split('::').length <= 20)).toBe(true);
  });

  it('Anki: imports into the folded deck and says so', async () => {
    core = await makeTestCore();
    const col = sampleCollection();
    col.decks = col.decks.map((d) => (d.id === DK.scrum ? { ...d, name: ['PM', 'Agile', 'Scrum', ...levels(30)].join('::') } : d));
    const summary = await core.call('import.anki', { stagedId: await stage(legacyPackage(col), 'deep.apkg'), jobId: 'anki-deep' });
    expect(summary.notes.added).toBe(col.notes.length);
    const deep = summary.decks.find((p) => p.startsWith('PM::Agile::Scrum::'))!;
    expect(deep.split('::')).toHaveLength(20);
    expect(deep.split('::')[19]).toBe('L17 / L18 / L19 / L20 / L21 / L22 / L23 / L24 / L25 / L26 / L27 / L28 / L29 / L30');
    expect(summary.warnings.join(' ')).toMatch(/nested deeper than 20 levels/);
  });
});

describe('Anki notes the note editor could not hold', () => {
  it('skips a note with a field over 100 KB, says why, and imports the rest', async () => {
    core = await makeTestCore();
    const col = sampleCollection();
    const huge = col.notes.find((n) => n.guid === 'gKanban6')!;
    huge.fields = ['Huge note', 'x'.repeat(101 * 1024)];
    const summary = await core.call('import.anki', { stagedId: await stage(legacyPackage(col), 'huge.apkg'), jobId: 'anki-huge' });
    expect(summary.notes.added).toBe(col.notes.length - 1);
    expect(summary.skipped).toContainEqual({ reason: 'A field is larger than 100 KB (the most a field holds)', count: 1, examples: ['Huge note'] });
    const guids = core.ctx.db.prepare<[], { guid: string }>('SELECT guid FROM notes').all().map((r) => r.guid);
    expect(guids).not.toContain('gKanban6');
  });

  it('skips the notes of a note type with more than 100 fields', async () => {
    core = await makeTestCore();
    const col = sampleCollection();
    const wide = 1_700_000_000_099;
    const names = Array.from({ length: 101 }, (_, i) => `F${i + 1}`);
    col.noteTypes.push({ id: wide, name: 'Very wide', fields: names, templates: [{ name: 'Card 1', qfmt: '{{F1}}', afmt: '{{F2}}' }] });
    const nid = 1_768_000_000_000;
    col.notes.push({ id: nid, guid: 'gWide0001', mid: wide, mod: nid / 1000, tags: [], fields: names.map((n) => `value of ${n}`) });
    col.cards.push({ id: nid + 1, nid, did: DK.pm, ord: 0, type: 0, queue: 0, due: 99 });
    const summary = await core.call('import.anki', { stagedId: await stage(legacyPackage(col), 'wide.apkg'), jobId: 'anki-wide' });
    expect(summary.notes.added).toBe(col.notes.length - 1);
    expect(summary.skipped).toContainEqual({ reason: 'Its note type "Very wide" has more than 100 fields', count: 1, examples: ['value of F1'] });
    expect(summary.noteTypesAdded).not.toContain('Very wide');
  });
});

describe('staged files', () => {
  const stagedFiles = () => fs.readdirSync(core.ctx.paths.stagingDir).filter((n) => !n.startsWith('snapshot-'));

  it('are discarded when an import fails, as when it succeeds', async () => {
    core = await makeTestCore();
    await core.fail('import.anki', { stagedId: await stage('not a zip at all', 'bad.apkg'), jobId: 'anki-bad' });
    expect(stagedFiles()).toEqual([]);
    const csvId = await stage('WIP,Work in progress\n', 'terms.csv');
    await core.fail('import.csv', { stagedId: csvId, jobId: 'csv-bad', noteTypeId: 999, deckPath: 'Terms', columns: [field(0), field(1)] });
    expect(stagedFiles()).toEqual([]);
    await core.call('import.anki', { stagedId: await stage(legacyPackage(sampleCollection()), 'ok.apkg'), jobId: 'anki-ok' });
    expect(stagedFiles()).toEqual([]);
  });

  it('are kept by a CSV preview for the import that follows', async () => {
    core = await makeTestCore();
    const stagedId = await stage('WIP,Work in progress\n', 'terms.csv');
    await core.call('import.csvPreview', { stagedId });
    expect(stagedFiles()).toEqual([stagedId]);
    await core.call('import.csv', { stagedId, jobId: 'csv-ok', noteTypeId: 1, deckPath: 'Terms', columns: [field(0), field(1)] });
    expect(stagedFiles()).toEqual([]);
  });
});
