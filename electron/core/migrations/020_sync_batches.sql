-- Sync of reviews in batches (electron/core/sync/docs.ts): reviews travel many to an immutable document,
-- each still known by its identity, `review:<note guid>:<template>:<answered at>:<rating>`, which is also
-- its row's natural key here (card, answered at, rating): no per-review id mapping is kept or needed.

-- Reviews taken back, on this machine or another, by identity. An undo here is queued to send (unsent 1)
-- as a tombstone under the review's identity, whether or not the review was sent yet (a copy of the
-- collection elsewhere may have it); a batch that carries a review listed here never brings it back.
CREATE TABLE sync_reviews_undone (
  doc_id TEXT PRIMARY KEY,
  unsent INTEGER NOT NULL DEFAULT 0 CHECK (unsent IN (0, 1))
) WITHOUT ROWID;

-- An answer taken back (undo) while its card remains; a review deleted with its card needs no word of
-- its own (the note's deletion says it). Replaces the outbox row of 017, which named the review by a
-- mapping from its row number kept only for reviews sent one document each.
DROP TRIGGER sync_review_delete;
CREATE TRIGGER sync_review_delete AFTER DELETE ON revlog
  WHEN (SELECT track FROM sync_state) = 1 AND EXISTS (SELECT 1 FROM cards WHERE id = old.card_id) BEGIN
  DELETE FROM sync_outbox WHERE kind = 'review' AND local_id = old.id;
  INSERT INTO sync_reviews_undone (doc_id, unsent)
    SELECT 'review:' || n.guid || ':' || c.ord || ':' || old.reviewed_at || ':' || old.rating, 1
      FROM cards c JOIN notes n ON n.id = c.note_id WHERE c.id = old.card_id
    ON CONFLICT DO UPDATE SET unsent = 1;
END;

-- A deleted review's ids move to its row number negated (017). SQLite gives the next review the same
-- number, so after an undo, a review applied from elsewhere and taken back there, and another undo, two
-- reviews answered to one negated number, and the tombstone of the second was sent under the first's id
-- (the smaller): the second was never taken back elsewhere. A review deleted now forgets the earlier one,
-- whose deletion was sent or applied already.
DROP TRIGGER sync_ids_review_forget;
CREATE TRIGGER sync_ids_review_forget AFTER DELETE ON revlog BEGIN
  DELETE FROM sync_ids WHERE kind = 'review' AND local_id = -old.id;
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'review' AND local_id = old.id;
END;

-- Takings back queued by the triggers of 017 (by the review's negated row number) move to the new queue.
INSERT INTO sync_reviews_undone (doc_id, unsent)
  SELECT i.doc_id, 1 FROM sync_outbox o JOIN sync_ids i ON i.kind = 'review' AND i.local_id = o.local_id
   WHERE o.kind = 'review' AND o.local_id < 0
  ON CONFLICT DO UPDATE SET unsent = 1;
DELETE FROM sync_outbox WHERE kind = 'review' AND local_id < 0;
