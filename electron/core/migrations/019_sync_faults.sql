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
