// Notes written before Cadence knew note formats: the migration marks as HTML the ones that came from a
// file (their note type did) or hold markup Markdown would not write, and leaves the rest Markdown.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, migrations } from '../../electron/core/db/migrate';

describe('note formats of notes written before them', () => {
  it('are HTML for imported designs and markup, Markdown otherwise', () => {
    const db = new Database(':memory:');
    const before = migrations.find((m) => m.name.endsWith('_note_format'))!.version - 1;
    migrate(db, Math.max(...migrations.map((m) => m.version).filter((v) => v <= before)));
    db.exec(`INSERT INTO note_types (id, name, kind, fields, source_key, created_at, updated_at)
               VALUES (10, 'PM Term', 'custom', '["Term","Definition"]', 'anki:1:abc', 0, 0);
      INSERT INTO notes (id, guid, note_type_id, fields, created_at, updated_at) VALUES
        (1, 'md', 1, '["What is **WIP**?","A limit\\nper column"]', 0, 0),
        (2, 'br', 1, '["Sprint<br>length","One month"]', 0, 0),
        (3, 'amp', 1, '["Q&amp;A","x"]', 0, 0),
        (4, 'sound', 1, '["Bell","[sound:bell.mp3]"]', 0, 0),
        (5, 'custom', 10, '["OKR","Objectives"]', 0, 0),
        (6, 'math', 1, '["\\\\(x_1\\\\) in Markdown","AT&T is a company"]', 0, 0);`);
    migrate(db);
    expect(db.prepare('SELECT guid, format FROM notes ORDER BY id').all()).toEqual([
      { guid: 'md', format: 'markdown' },
      { guid: 'br', format: 'html' },
      { guid: 'amp', format: 'html' },
      { guid: 'sound', format: 'html' },
      { guid: 'custom', format: 'html' },
      { guid: 'math', format: 'markdown' },
    ]);
    expect(() => db.prepare("UPDATE notes SET format = 'rtf' WHERE id = 1").run()).toThrow(/CHECK/);
    db.close();
  });
});
