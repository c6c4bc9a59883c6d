// What the search-index tests share: a CSV file of terms imported as the import dialog would (first
// column front, second back, third tags, HTML kept), and a search's notes by their first field.
import { expect } from 'vitest';
import type { CsvColumn } from '../../shared/contract/transfer';
import type { TestCore } from './testCore';

const field = (c: number): CsvColumn => ({ kind: 'field', field: c });

export async function importTermsCsv(core: TestCore, text: string, jobId = 'csv') {
  const { stagedId } = await core.call('files.stage', { name: 'terms.csv', bytes: new TextEncoder().encode(text) });
  return core.call('import.csv', { stagedId, jobId, noteTypeId: 1, deckPath: 'Imported', html: true, columns: [field(0), field(1), { kind: 'tags' }] });
}

/** The first fields of the notes a Browse search finds, sorted. */
export async function searchFronts(core: TestCore, text: string): Promise<string[]> {
  return (await core.call('browse.search', { text })).rows.map((r) => r.sortField).sort();
}

/** Each search (a key) finds exactly the notes listed for it, by first field. */
export async function expectFronts(core: TestCore, expected: Record<string, string[]>): Promise<void> {
  for (const [query, found] of Object.entries(expected)) expect(await searchFronts(core, query), query).toEqual(found);
}
