-- Cadence schema 2: flashcards. Undo steps, starter deck tracking, and search over field text.

-- Recent study actions that Ctrl/Cmd+Z can take back, newest last (the app keeps the last 30).
-- kind 'answer': payload {cardId, revlogId, noteId, tagsBefore, suspendedBefore};
-- kind 'bury' / 'suspend' / 'unsuspend': payload {cards: [[cardId, valueBefore], ...]}.
CREATE TABLE undo_steps (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('answer', 'bury', 'suspend', 'unsuspend')),
  payload    TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- Starter deck files (assets/decks/<id>.json) already loaded into this collection. A file is loaded
-- once, so notes the user deleted stay deleted; "restore" re-adds missing notes on request.
CREATE TABLE starter_decks (
  file_id   TEXT PRIMARY KEY,
  loaded_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The next new card goes after the highest position: max() over this index is one lookup.
CREATE INDEX cards_new_position ON cards (new_position);
-- The deck list counts every deck's cards by state in one pass over this index instead of the table,
-- and the study queue counts due cards (buried ones excluded) without reading card rows.
CREATE INDEX cards_deck_counts ON cards (deck_id, state, suspended, due, buried_day);
-- Mean recall per deck reads only reviewed cards, from the index alone.
CREATE INDEX cards_recall ON cards (deck_id, last_review, stability) WHERE last_review IS NOT NULL;

-- Search indexes the field *text*, not the JSON array: JSON escapes ("\n", "\"") would otherwise glue
-- letters onto words ("a\nb" -> token "nb"). The index keeps no copy of the text (contentless), and
-- rows are deleted by id, so every writer of notes keeps search right through these triggers.
DROP TRIGGER notes_fts_insert;
DROP TRIGGER notes_fts_delete;
DROP TRIGGER notes_fts_update;
DROP TABLE notes_fts;

CREATE VIRTUAL TABLE notes_fts USING fts5 (
  fields, tags,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
  INSERT INTO notes_fts (rowid, fields, tags)
  VALUES (new.id, (SELECT group_concat(value, ' ') FROM json_each(new.fields)), new.tags);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
  DELETE FROM notes_fts WHERE rowid = old.id;
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF fields, tags ON notes BEGIN
  DELETE FROM notes_fts WHERE rowid = old.id;
  INSERT INTO notes_fts (rowid, fields, tags)
  VALUES (new.id, (SELECT group_concat(value, ' ') FROM json_each(new.fields)), new.tags);
END;
INSERT INTO notes_fts (rowid, fields, tags)
  SELECT id, (SELECT group_concat(value, ' ') FROM json_each(notes.fields)), tags FROM notes;
