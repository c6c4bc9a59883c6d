// The CSV importer's shortcuts for big files (fields measured only when they could be too large,
// note ids drawn in batches, tags and decks worked out once per distinct value) must not change what
// a file imports as.
import { afterEach, describe, expect, it } from 'vitest';
import type { CsvColumn } from '../../shared/contract/transfer';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const field = (c: number): CsvColumn => ({ kind: 'field', field: c });

async function importCsv(text: string, extra: Record<string, unknown> = {}) {
  const { stagedId } = await core.call('files.stage', { name: 'rows.csv', bytes: new TextEncoder().encode(text) });
  return core.call('import.csv', { stagedId, jobId: 'csv', noteTypeId: 1, deckPath: 'Bulk', columns: [field(0), field(1), { kind: 'tags' }], ...extra });
}

const rows = () =>
  core.ctx.db
    .prepare("SELECT n.guid, n.sort_field, n.tags, d.name AS deck FROM notes n JOIN cards c ON c.note_id = n.id JOIN decks d ON d.id = c.deck_id WHERE n.guid NOT LIKE 'starter:%' ORDER BY n.id")
    .all() as { guid: string; sort_field: string; tags: string; deck: string }[];

describe('CSV import of many rows', () => {
  it('limits fields to 100 KB of UTF-8, however many characters that is', async () => {
    core = await makeTestCore();
    const ascii = 'a'.repeat(100 * 1024); // 100 KB exactly: allowed
    const euros = '€'.repeat(40_000); // 40,000 characters, 120,000 bytes: too large
    const summary = await importCsv(`Plain,${ascii},\nCurrency,${euros},\nShort,${'€'.repeat(30_000)},\n`);
    expect(summary.notes).toMatchObject({ added: 2, skipped: 1 });
    expect(summary.skipped[0]).toMatchObject({ count: 1, examples: ['Currency'] });
    expect(summary.skipped[0]!.reason).toContain('larger than 100 KB');
    expect(rows().map((r) => r.sort_field)).toEqual(['Plain', 'Short']);
  });

  it('gives every new note its own id', async () => {
    core = await makeTestCore();
    await importCsv(Array.from({ length: 9000 }, (_, i) => `Term ${i},Meaning ${i},`).join('\n'));
    const guids = rows().map((r) => r.guid);
    expect(guids).toHaveLength(9000);
    expect(new Set(guids).size).toBe(9000);
    expect(guids.every((g) => /^[a-z0-9]{12}[A-Za-z0-9_-]{8}$/.test(g))).toBe(true);
    // In the order they were made, so the guid index grows at its end.
    expect([...guids].sort()).toEqual(guids);
  });

  it('tidies each row’s tags as before: repeats dropped ignoring case, tags for every row added, odd ones mended', async () => {
    core = await makeTestCore();
    const summary = await importCsv(
      ['A,1,scrum Scrum agile::events', 'B,2,Agile::Events scrum', 'C,3,', 'D,4,bad::::tag', 'E,5,ok\u0007bell'].join('\n'),
      { tags: ['imported', 'SCRUM'] },
    );
    expect(summary.notes).toMatchObject({ added: 5, skipped: 0 });
    expect(rows().map((r) => r.tags)).toEqual([
      ' scrum agile::events imported ',
      ' Agile::Events scrum imported ',
      ' imported SCRUM ',
      ' bad::tag imported SCRUM ',
      ' ok_bell imported SCRUM ',
    ]);
  });

  it('files rows in the deck each names, creating each deck once', async () => {
    core = await makeTestCore();
    const summary = await importCsv(['A,1,x,PM::Agile', 'B,2,x,pm::agile', 'C,3,x,', 'D,4,x,  PM :: Agile '].join('\n'), {
      columns: [field(0), field(1), { kind: 'tags' }, { kind: 'deck' }],
    });
    expect(summary.notes.added).toBe(4);
    expect(rows().map((r) => r.deck)).toEqual(['Agile', 'Agile', 'Bulk', 'Agile']);
    expect(core.ctx.db.prepare("SELECT count(*) FROM decks WHERE name = 'Agile'").pluck().get()).toBe(1);
  });
});

describe('CSV duplicate check by first field', () => {
  const columns: CsvColumn[] = [{ kind: 'guid' }, field(0), field(1)];
  const fieldsOf = (guid: string) =>
    JSON.parse(core.ctx.db.prepare('SELECT fields FROM notes WHERE guid = ?').pluck().get(guid) as string) as string[];

  // A file a quarter the size of the collection or more checks first fields against every note's hash
  // read up front; a smaller one looks each row up. Both must find the same notes.
  for (const filler of [0, 60]) {
    it(`finds notes by first field, including ones rows just added or changed (${filler ? 'a big file' : 'a small file'})`, async () => {
      core = await makeTestCore();
      const seed = ['g1,Alpha,one', 'g2,Beta,two', ...Array.from({ length: 40 }, (_, i) => `s${i},Seed ${i},x`)];
      await importCsv(seed.join('\n'), { columns });
      const noteCount = core.ctx.db.prepare('SELECT count(*) FROM notes').pluck().get() as number;
      const file = [',Alpha,one changed', 'g2,Gamma,two', ',Gamma,three', ',Delta,four', ',Delta,five', ...Array.from({ length: filler }, (_, i) => `,Filler ${i},y`)];
      expect(file.length * 4 >= noteCount).toBe(filler > 0);

      const summary = await importCsv(file.join('\n'), { columns });
      expect(summary.notes).toEqual({ added: filler + 1, updated: 4, unchanged: 0, skipped: 0 });
      expect(fieldsOf('g1')).toEqual(['Alpha', 'one changed']);
      expect(fieldsOf('g2')).toEqual(['Gamma', 'three']);
      expect(rows().filter((r) => ['Alpha', 'Beta', 'Gamma'].includes(r.sort_field)).map((r) => r.guid)).toEqual(['g1', 'g2']);
      expect(rows().filter((r) => r.sort_field === 'Delta')).toHaveLength(1);
      const delta = core.ctx.db.prepare("SELECT guid FROM notes WHERE sort_field = 'Delta'").pluck().get() as string;
      expect(fieldsOf(delta)).toEqual(['Delta', 'five']);
    });
  }
});
