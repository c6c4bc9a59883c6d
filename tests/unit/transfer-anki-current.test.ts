// A package made the way a current Anki (23.10 and later) makes one: `meta` version 3, the schema-18
// collection and every media file in real zstd streams without a declared size, the protobuf media map
// with SHA-1s, the placeholder collection.anki2 with its one "update Anki" note, every entry stored.
// Imported as a user would, it must give what an independent reading of the same data gives.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from './testCore';
import { NT, currentAnkiPackage, sampleCollection, zstdFrameHeader, type FxCollection } from './transfer-fixtures';

let core: TestCore;
afterEach(() => core?.close());

const LATEX_PRE = '\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n';

function collection(): FxCollection {
  const col = sampleCollection();
  const term = col.noteTypes.find((t) => t.id === NT.custom)!;
  term.latexPre = LATEX_PRE;
  term.latexPost = '\\end{document}';
  term.mtime = 1_767_000_000;
  // A bigger note so the collection compresses into real compressed blocks.
  col.notes[5]!.fields[1] = Array.from({ length: 400 }, (_, i) => `WIP limit ${i % 7}`).join(' ');
  return col;
}

describe('a package made like a current Anki', () => {
  it('is laid out as Anki writes it (the fixture itself)', () => {
    const files = unzipSync(currentAnkiPackage(collection()));
    expect(Object.keys(files).sort()).toEqual(['0', '1', '2', 'collection.anki2', 'collection.anki21b', 'media', 'meta']);
    expect([...files.meta!]).toEqual([0x08, 0x03]);
    for (const name of ['collection.anki21b', 'media', '0']) {
      expect(zstdFrameHeader(files[name]!)).toMatchObject({ declaresSize: false, checksum: false });
    }
    expect(zstdFrameHeader(files['collection.anki21b']!).firstBlockType).toBe(2); // a compressed block
  });

  it('imports completely, ignoring the placeholder collection, with media checked by name and content', async () => {
    core = await makeTestCore();
    const col = collection();
    const { stagedId } = await core.call('files.stage', { name: 'current.apkg', bytes: new Uint8Array(currentAnkiPackage(col)) });
    const summary = await core.call('import.anki', { stagedId, jobId: 'current' });
    expect(summary.source).toBe('Anki package (current format)');
    expect(summary.notes).toEqual({ added: col.notes.length, updated: 0, unchanged: 0, skipped: 0 });
    expect(summary.cardsAdded).toBe(col.cards.length);
    expect(summary.reviewsAdded).toBe(col.revlog.length);
    expect(summary.media).toEqual({ added: col.media.length, alreadyPresent: 0 });
    expect(summary.decks).toEqual(['PM', 'PM::Agile', 'PM::Agile::Scrum']);

    const db = core.ctx.db;
    expect(db.prepare("SELECT count(*) AS n FROM notes WHERE guid = 'placeholder'").get()).toEqual({ n: 0 });
    // Every note arrives by its GUID with its fields (media pointing at the stored copies) and tags.
    for (const n of col.notes) {
      const row = db.prepare('SELECT fields, tags, format FROM notes WHERE guid = ?').get(n.guid) as { fields: string; tags: string; format: string };
      const fields = (JSON.parse(row.fields) as string[]).map((f) => f.replace(/media\/[0-9a-f]{64}\.(\w+)/g, (_m, ext: string) => `*.${ext}`));
      // Pictures point at the stored copy; Anki's [sound:] becomes a player of it.
      const expected = n.fields.map((f) =>
        f.replace(/src="[^"]+\.(\w+)"/g, 'src="*.$1"').replace(/\[sound:[^\]]+\.(\w+)\]/g, '<audio controls preload="none" src="*.$1"></audio>'),
      );
      expect(fields).toEqual(expected.slice(0, fields.length));
      expect(row.tags.trim().split(' ').filter(Boolean)).toEqual(n.tags);
      expect(row.format).toBe('html');
    }
    for (const m of col.media) {
      const name = `${crypto.createHash('sha256').update(m.bytes).digest('hex')}.${m.name.split('.').pop()}`;
      expect(fs.readFileSync(path.join(core.ctx.paths.mediaDir, name))).toEqual(Buffer.from(m.bytes));
    }
    // The LaTeX note type keeps its header and footer and its design's time.
    expect(db.prepare("SELECT latex_pre, latex_post, source_mtime FROM note_types WHERE name = 'PM Term'").get()).toEqual({
      latex_pre: LATEX_PRE,
      latex_post: '\\end{document}',
      source_mtime: 1_767_000_000,
    });
    // Cards keep Anki's ease for the way back.
    const eases = db.prepare("SELECT c.ease_factor FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = 'gBacklog2'").pluck().all();
    expect(eases).toEqual([2300]);
  });
});
