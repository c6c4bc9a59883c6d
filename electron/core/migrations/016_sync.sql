-- Sync between a learner's computers (electron/core/sync): what this machine has still to send, which
-- synced document each local row is, and where replication got to. See electron/core/sync/docs.ts for
-- the documents and their merge rules.

-- One row: this machine's identity and progress. `track` is 1 once sync is set up, so a collection that
-- never syncs keeps no outbox; applying documents from other machines turns it off inside its own
-- transaction so that what arrives is not sent straight back.
CREATE TABLE sync_state (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  device_id    TEXT NOT NULL,
  track        INTEGER NOT NULL DEFAULT 0 CHECK (track IN (0, 1)),
  last_seq     TEXT NOT NULL DEFAULT '0',  -- the local replica's changes feed, applied up to here
  last_sync_at INTEGER,
  last_error   TEXT,
  -- Where to sync (Settings → Sync); the password is kept outside the collection (sync/credentials.ts).
  server_url   TEXT,
  database     TEXT,
  username     TEXT
);
INSERT INTO sync_state (id, device_id) VALUES (1, lower(hex(randomblob(8))));

-- Local rows changed since they were last sent, one row per record (kind: deck, note, review).
-- changed_at is the edit's time for the newest-edit-wins rule (0: deleted, timed when it is sent).
CREATE TABLE sync_outbox (
  kind       TEXT NOT NULL,
  local_id   INTEGER NOT NULL,
  changed_at INTEGER NOT NULL,
  PRIMARY KEY (kind, local_id)
) WITHOUT ROWID;

-- Which document a local row is. A deck may answer to several ids (two machines made the same deck
-- before they first synced: they become one); it is sent under the smallest.
CREATE TABLE sync_ids (
  doc_id   TEXT PRIMARY KEY,
  kind     TEXT NOT NULL,
  local_id INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sync_ids_local ON sync_ids (kind, local_id);

-- The revision of each document this collection holds (applied or written), so an edit made here is
-- recorded as a child of the version it was made from.
CREATE TABLE sync_revs (
  doc_id TEXT PRIMARY KEY,
  rev    TEXT NOT NULL
) WITHOUT ROWID;

-- Versions that lost a conflict (an edit made on two machines before either synced), kept so the
-- user can look and bring one back. The same list on every machine: each is a document too.
CREATE TABLE sync_conflicts (
  id         TEXT PRIMARY KEY,             -- the conflict document's id
  doc_id     TEXT NOT NULL,                -- the record that was edited twice
  kind       TEXT NOT NULL,
  label      TEXT NOT NULL,                -- what it is, in words (a note's first field, a deck's name)
  body       TEXT NOT NULL,                -- the losing version, as JSON
  edited_at  INTEGER NOT NULL,
  winner_edited_at INTEGER NOT NULL,
  resolved   INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1)),
  resolved_at INTEGER,
  -- Dismissed or restored here and not yet told to the other machines.
  unsent     INTEGER NOT NULL DEFAULT 0 CHECK (unsent IN (0, 1))
) WITHOUT ROWID;

-- Every writer of decks, notes, cards and the review log is covered here, not in the stores.
CREATE TRIGGER sync_deck_insert AFTER INSERT ON decks WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('deck', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_deck_update AFTER UPDATE OF name, parent_id ON decks WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('deck', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_deck_delete AFTER DELETE ON decks WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('deck', old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
CREATE TRIGGER sync_note_insert AFTER INSERT ON notes WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('note', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_note_update AFTER UPDATE OF fields, tags, format ON notes WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('note', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_note_delete AFTER DELETE ON notes WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('note', old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
-- A card's deck, suspension and flag travel in its note's document.
CREATE TRIGGER sync_card_update AFTER UPDATE OF deck_id, suspended, flag ON cards WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('note', new.note_id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_review_insert AFTER INSERT ON revlog WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('review', new.id, new.reviewed_at) ON CONFLICT DO NOTHING;
END;
-- An answer taken back (undo) while its card remains; a review deleted with its card needs no word of
-- its own (the note's deletion says it).
CREATE TRIGGER sync_review_delete AFTER DELETE ON revlog
  WHEN (SELECT track FROM sync_state) = 1 AND EXISTS (SELECT 1 FROM cards WHERE id = old.card_id) BEGIN
  INSERT INTO sync_outbox VALUES ('review', old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
