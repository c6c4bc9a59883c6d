-- Sync: decks joined by name say so to every machine, deletions under a reused row number all go, and
-- decks moved under each other on two machines never make a loop.

-- Two deck documents that became one deck here (made on two machines under one name before they
-- synced, or one renamed or moved onto the other). Until now the second document stayed as it was on
-- the server, and a machine that met the two in another order (the first renamed before the second
-- arrived) kept them apart: the collections drifted. The joined document is now sent once more, as a
-- version naming the document it joined (docs.ts, `mergedInto`), which every machine applies the same
-- way and which wins over an edit made meanwhile elsewhere. The larger id joins the smaller, the id the
-- deck is sent under.
CREATE TABLE sync_deck_merges (
  doc_id  TEXT PRIMARY KEY,                           -- the deck document joined into another
  into_id TEXT NOT NULL,                              -- the deck document it joined
  made_at INTEGER NOT NULL,                           -- when it was joined here (epoch ms)
  unsent  INTEGER NOT NULL DEFAULT 1 CHECK (unsent IN (0, 1))
) WITHOUT ROWID;

-- Decks already answering to several documents say so at the next sync.
INSERT INTO sync_deck_merges (doc_id, into_id, made_at, unsent)
  SELECT i.doc_id, m.into_id, CAST(unixepoch('subsec') * 1000 AS INTEGER), 1
    FROM sync_ids i
    JOIN (SELECT local_id, min(doc_id) AS into_id FROM sync_ids WHERE kind = 'deck' AND local_id > 0 GROUP BY local_id) m
      ON m.local_id = i.local_id
   WHERE i.kind = 'deck' AND i.doc_id <> m.into_id;

-- A deleted row's ids wait under its number negated until its deletion is sent, and are then forgotten
-- (store.ts forgetSettled). Ids kept there from before, whose deletion went or came long ago, are
-- forgotten now: a later row of the same number, deleted in turn, had its deletion sent under the
-- earlier row's id, and never went.
DELETE FROM sync_ids WHERE local_id < 0
   AND NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.kind = sync_ids.kind AND o.local_id = sync_ids.local_id);

-- Decks moved on two machines, each under the other, would be a loop (and every deck tree walk would
-- never end): every machine takes the same deck out to the top level and remembers here where its
-- document puts it, to go back there once a later move opens the loop (store.ts detach).
CREATE TABLE sync_deck_detached (
  doc_id    TEXT PRIMARY KEY,  -- the deck taken out of a loop
  parent_id TEXT               -- the deck its document puts it under
) WITHOUT ROWID;
