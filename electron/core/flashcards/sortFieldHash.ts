// A note's sort field (its first field as plain text) is what duplicate checks compare. They find
// candidates by this hash of it (notes.sort_field_hash, indexed) rather than by an index of the text:
// a bulk import puts every new note at a random place in such an index, and an index of small integers
// takes that for a fraction of the pages. Equal text always has an equal hash; an equal hash is only a
// candidate, so every lookup compares the text too.

/** 32-bit FNV-1a over the UTF-16 code units, as a signed integer (SQLite stores it in 4 bytes); '' is 0. */
export function sortFieldHash(text: string): number {
  if (text === '') return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** The SQL name migrations call it by (db/migrate.ts registers it on every connection it migrates). */
export const SORT_FIELD_HASH_SQL = 'hash_sort_field';
