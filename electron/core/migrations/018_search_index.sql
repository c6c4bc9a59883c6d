-- Search: a substring index of the notes' text (below). Study: the stock "Cloze (type in the answer)" note type (at the end).

-- A substring index over each note's stored fields (the JSON text the search's wildcard tests read), so
-- a field search like front:*roadmap* or a word with a wildcard inside (road*map) reads only the notes
-- that contain its longest run of plain characters, instead of every note's text. FTS5's trigram
-- tokenizer indexes every three characters, case folded; a run is looked up as all of its trigrams, in
-- any order (no positions are kept, a quarter of the size), and the exact test (search.ts) runs on the
-- notes found. Contentless: it keeps no copy of the text, and rows are deleted by id.
CREATE VIRTUAL TABLE notes_text USING fts5 (
  fields,
  content = '', contentless_delete = 1, detail = none,
  tokenize = 'trigram case_sensitive 0'
);
CREATE TRIGGER notes_text_insert AFTER INSERT ON notes BEGIN
  INSERT INTO notes_text (rowid, fields) VALUES (new.id, new.fields);
END;
CREATE TRIGGER notes_text_delete AFTER DELETE ON notes BEGIN
  DELETE FROM notes_text WHERE rowid = old.id;
END;
CREATE TRIGGER notes_text_update AFTER UPDATE OF fields ON notes BEGIN
  DELETE FROM notes_text WHERE rowid = old.id;
  INSERT INTO notes_text (rowid, fields) VALUES (new.id, new.fields);
END;
-- Existing notes, in one segment: with room for all their terms in memory (64 MB, as imports do,
-- transfer/deferredTriggers.ts), FTS5 writes the index once instead of merging dozens of segments.
INSERT INTO notes_text (notes_text, rank) VALUES ('hashsize', 67108864);
INSERT INTO notes_text (rowid, fields) SELECT id, fields FROM notes ORDER BY id;
INSERT INTO notes_text (notes_text, rank) VALUES ('hashsize', 1048576);

-- Type-in-the-answer for cloze notes, as Anki's {{type:cloze:Text}}: each card asks for its own cloze
-- answers typed in (several joined with ", "), and the answer side compares what was typed with them.
INSERT INTO note_types (name, kind, fields, templates, css, source_key, created_at, updated_at) VALUES (
  'Cloze (type in the answer)', 'custom', '["Text","Back Extra"]',
  '[{"name":"Cloze","front":"{{cloze:Text}}\n\n{{type:cloze:Text}}","back":"{{cloze:Text}}\n\n{{type:cloze:Text}}\n\n{{Back Extra}}"}]',
  '', 'cadence:cloze-type-answer', 0, 0
);
