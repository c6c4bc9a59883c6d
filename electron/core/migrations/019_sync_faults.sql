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
