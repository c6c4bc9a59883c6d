-- Cadence schema 1: settings, decks, presets, note types, notes, cards, review log, full-text search.
-- Instants are UTC epoch milliseconds; calendar dates are 'YYYY-MM-DD' text.

CREATE TABLE app_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- User settings; each value is JSON.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Deck options shared by decks (Anki calls these presets). Defaults follow Anki's deck config.
CREATE TABLE presets (
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  desired_retention REAL NOT NULL DEFAULT 0.9 CHECK (desired_retention BETWEEN 0.7 AND 0.99),
  learning_steps    TEXT NOT NULL DEFAULT '["1m","10m"]',   -- JSON array of ts-fsrs step units
  relearning_steps  TEXT NOT NULL DEFAULT '["10m"]',
  new_per_day       INTEGER NOT NULL DEFAULT 20 CHECK (new_per_day >= 0),
  reviews_per_day   INTEGER NOT NULL DEFAULT 200 CHECK (reviews_per_day >= 0),
  maximum_interval  INTEGER NOT NULL DEFAULT 36500 CHECK (maximum_interval >= 1),
  leech_threshold   INTEGER NOT NULL DEFAULT 8 CHECK (leech_threshold >= 1),
  leech_action      TEXT NOT NULL DEFAULT 'tag' CHECK (leech_action IN ('tag', 'suspend')),
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
INSERT INTO presets (id, name, created_at, updated_at) VALUES (1, 'Default', 0, 0);

CREATE TABLE decks (
  id          INTEGER PRIMARY KEY,
  parent_id   INTEGER REFERENCES decks(id) ON DELETE CASCADE,
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  preset_id   INTEGER NOT NULL DEFAULT 1 REFERENCES presets(id),
  description TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
-- Sibling names are unique, case-insensitively (a NULL parent counts as one parent).
CREATE UNIQUE INDEX decks_sibling_name ON decks (ifnull(parent_id, 0), name COLLATE NOCASE);
CREATE INDEX decks_parent ON decks (parent_id);

-- kind: basic (one card), reversed (two cards), cloze (one card per cloze number),
-- custom (imported: its own templates and CSS, one card per template).
CREATE TABLE note_types (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('basic', 'reversed', 'cloze', 'custom')),
  fields     TEXT NOT NULL,                 -- JSON array of field names, in order
  templates  TEXT NOT NULL DEFAULT '[]',    -- JSON array of {name, front, back} (custom kinds)
  css        TEXT NOT NULL DEFAULT '',
  source_key TEXT UNIQUE,                   -- identity in the file it came from, for re-imports
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
INSERT INTO note_types (id, name, kind, fields, created_at, updated_at) VALUES
  (1, 'Basic', 'basic', '["Front","Back"]', 0, 0),
  (2, 'Basic (and reversed card)', 'reversed', '["Front","Back"]', 0, 0),
  (3, 'Cloze', 'cloze', '["Text","Extra"]', 0, 0);

CREATE TABLE notes (
  id           INTEGER PRIMARY KEY,
  guid         TEXT NOT NULL UNIQUE,
  note_type_id INTEGER NOT NULL REFERENCES note_types(id),
  fields       TEXT NOT NULL,              -- JSON array of field values (Markdown/HTML), same order as the type
  sort_field   TEXT NOT NULL DEFAULT '',   -- first field as plain text: duplicate check and sorting
  tags         TEXT NOT NULL DEFAULT '',   -- ' tag1 tag2 ' (Anki's form): space-separated, padded, so LIKE '% t %' works
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX notes_sort_field ON notes (sort_field);

-- state follows ts-fsrs: 0 New, 1 Learning, 2 Review, 3 Relearning.
-- due: epoch ms (new cards: when they were created; they are ordered by new_position).
-- buried_day: the study day (see shared/studyDay.ts) on which the card was buried; hidden only on that day.
CREATE TABLE cards (
  id             INTEGER PRIMARY KEY,
  note_id        INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
  deck_id        INTEGER NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
  ord            INTEGER NOT NULL,          -- template index, or cloze number - 1
  state          INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),
  due            INTEGER NOT NULL,
  stability      REAL NOT NULL DEFAULT 0,
  difficulty     REAL NOT NULL DEFAULT 0,
  scheduled_days INTEGER NOT NULL DEFAULT 0,
  learning_steps INTEGER NOT NULL DEFAULT 0,
  reps           INTEGER NOT NULL DEFAULT 0,
  lapses         INTEGER NOT NULL DEFAULT 0,
  last_review    INTEGER,
  new_position   INTEGER NOT NULL DEFAULT 0,
  suspended      INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
  buried_day     INTEGER,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  UNIQUE (note_id, ord)
);
-- The study queue's hot paths (as Anki's ix_cards_sched): due learning/review cards and new cards per deck.
CREATE INDEX cards_deck_state_due ON cards (deck_id, state, due) WHERE suspended = 0;
CREATE INDEX cards_deck_new ON cards (deck_id, new_position) WHERE state = 0 AND suspended = 0;

-- One row per answer (or manual change), with the card's scheduling state before and after,
-- so an answer can be undone exactly and the history replayed by ts-fsrs.
-- rating: 0 manual (reset/reschedule), 1 Again, 2 Hard, 3 Good, 4 Easy.
CREATE TABLE revlog (
  id                    INTEGER PRIMARY KEY,
  card_id               INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  reviewed_at           INTEGER NOT NULL,
  rating                INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 4),
  duration_ms           INTEGER NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
  state_before          INTEGER NOT NULL,
  due_before            INTEGER NOT NULL,
  stability_before      REAL NOT NULL,
  difficulty_before     REAL NOT NULL,
  scheduled_days_before INTEGER NOT NULL,
  learning_steps_before INTEGER NOT NULL,
  reps_before           INTEGER NOT NULL,
  lapses_before         INTEGER NOT NULL,
  last_review_before    INTEGER,
  state_after           INTEGER NOT NULL,
  due_after             INTEGER NOT NULL,
  stability_after       REAL NOT NULL,
  difficulty_after      REAL NOT NULL,
  scheduled_days_after  INTEGER NOT NULL,
  learning_steps_after  INTEGER NOT NULL
);
CREATE INDEX revlog_card ON revlog (card_id, reviewed_at);
CREATE INDEX revlog_time ON revlog (reviewed_at);

-- Full-text search over note fields and tags, kept in step with notes by triggers so every writer
-- (editor, importers) gets search for free.
CREATE VIRTUAL TABLE notes_fts USING fts5 (
  fields, tags,
  content = 'notes', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
  INSERT INTO notes_fts (rowid, fields, tags) VALUES (new.id, new.fields, new.tags);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
  INSERT INTO notes_fts (notes_fts, rowid, fields, tags) VALUES ('delete', old.id, old.fields, old.tags);
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF fields, tags ON notes BEGIN
  INSERT INTO notes_fts (notes_fts, rowid, fields, tags) VALUES ('delete', old.id, old.fields, old.tags);
  INSERT INTO notes_fts (rowid, fields, tags) VALUES (new.id, new.fields, new.tags);
END;
