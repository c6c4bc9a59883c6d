-- Synced documents one side refused (electron/core/sync/refused.ts): a change from another machine
-- this collection could not apply ('in'), or a change of this machine's that the server turned down
-- ('out'). Listed so nothing is lost in silence; every later sync tries them again, and a row goes
-- when its document gets through.
CREATE TABLE sync_refused (
  doc_id    TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  label     TEXT NOT NULL,  -- what the person calls the record: Note “…”, Deck “…”
  reason    TEXT NOT NULL,  -- why, in their words
  at        INTEGER NOT NULL,
  PRIMARY KEY (doc_id, direction)
) WITHOUT ROWID;

-- A card's deck, suspension or flag is sent (in its note's document) only when one of them changed.
-- Answering a card rewrites its `suspended` column with the value it had, which fired the trigger:
-- the note was sent again, timed at the answer, and its unchanged text overrode an edit made
-- elsewhere meanwhile under the newest-edit-wins rule.
DROP TRIGGER sync_card_update;
CREATE TRIGGER sync_card_update AFTER UPDATE OF deck_id, suspended, flag ON cards
  WHEN (SELECT track FROM sync_state) = 1
    AND (old.deck_id IS NOT new.deck_id OR old.suspended IS NOT new.suspended OR old.flag IS NOT new.flag) BEGIN
  INSERT INTO sync_outbox VALUES ('note', new.note_id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;

-- A deleted row's number is taken by the next row made (SQLite reuses the largest rowid), and the new
-- row was sent under the deleted one's document id: a review answered after an undo became an edit of
-- the review taken back, a deck made after a deletion renamed the deleted deck elsewhere, and the
-- deletion itself was never sent. On deletion, the row's document ids move to its number negated,
-- which no row has, and the deletion waits in the outbox under that number.
CREATE TRIGGER sync_ids_deck_forget AFTER DELETE ON decks BEGIN
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'deck' AND local_id = old.id;
END;
CREATE TRIGGER sync_ids_note_forget AFTER DELETE ON notes BEGIN
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'note' AND local_id = old.id;
END;
CREATE TRIGGER sync_ids_review_forget AFTER DELETE ON revlog BEGIN
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'review' AND local_id = old.id;
END;
DROP TRIGGER sync_deck_delete;
CREATE TRIGGER sync_deck_delete AFTER DELETE ON decks WHEN (SELECT track FROM sync_state) = 1 BEGIN
  DELETE FROM sync_outbox WHERE kind = 'deck' AND local_id = old.id;
  INSERT INTO sync_outbox VALUES ('deck', -old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
DROP TRIGGER sync_note_delete;
CREATE TRIGGER sync_note_delete AFTER DELETE ON notes WHEN (SELECT track FROM sync_state) = 1 BEGIN
  DELETE FROM sync_outbox WHERE kind = 'note' AND local_id = old.id;
  INSERT INTO sync_outbox VALUES ('note', -old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
DROP TRIGGER sync_review_delete;
CREATE TRIGGER sync_review_delete AFTER DELETE ON revlog
  WHEN (SELECT track FROM sync_state) = 1 AND EXISTS (SELECT 1 FROM cards WHERE id = old.card_id) BEGIN
  DELETE FROM sync_outbox WHERE kind = 'review' AND local_id = old.id;
  INSERT INTO sync_outbox VALUES ('review', -old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
