// The starter decks as the first release shipped them (tests/fixtures/starter-decks-revision-1.json.gz),
// for tests of upgrading a collection that holds them.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

interface DeckFile {
  notes: { guid: string; type: string; fields: Record<string, string>; source?: string }[];
}

export function starterDecksRevision1(): Record<string, DeckFile> {
  const file = path.join(__dirname, '../fixtures/starter-decks-revision-1.json.gz');
  return JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as Record<string, DeckFile>;
}
