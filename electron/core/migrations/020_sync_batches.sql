-- Sync of reviews.

-- A deleted review's ids move to its row number negated (017). SQLite gives the next review the same
-- number, so after an undo, a review applied from elsewhere and taken back there, and another undo, two
-- reviews answered to one negated number, and the tombstone of the second was sent under the first's id
-- (the smaller): the second was never taken back elsewhere. A review deleted now forgets the earlier one,
-- whose deletion was sent or applied already (an undo is sent before any review made after it).
DROP TRIGGER sync_ids_review_forget;
CREATE TRIGGER sync_ids_review_forget AFTER DELETE ON revlog BEGIN
  DELETE FROM sync_ids WHERE kind = 'review' AND local_id = -old.id;
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'review' AND local_id = old.id;
END;
