-- Sync (electron/core/sync): a deletion timed when it was made, cards added to a note travel, and the
-- newer record kinds safe when a deleted row's number is taken by the next row.

-- A deletion (and a reminder's snooze) enters the outbox untimed (changed_at 0): a trigger cannot read
-- the app's clock. It is listed here, and the app stamps it with the time as soon as it hears of the
-- change (sync/store.ts stampChanges), so a deletion made offline long ago does not beat an edit made
-- elsewhere later merely because it was sent later. One left unstamped is timed when it is sent.
CREATE TABLE sync_untimed (
  kind     TEXT NOT NULL,
  local_id INTEGER NOT NULL,
  PRIMARY KEY (kind, local_id)
) WITHOUT ROWID;
CREATE TRIGGER sync_outbox_untimed_insert AFTER INSERT ON sync_outbox WHEN new.changed_at = 0 BEGIN
  INSERT OR IGNORE INTO sync_untimed VALUES (new.kind, new.local_id);
END;
CREATE TRIGGER sync_outbox_untimed_update AFTER UPDATE OF changed_at ON sync_outbox WHEN new.changed_at = 0 BEGIN
  INSERT OR IGNORE INTO sync_untimed VALUES (new.kind, new.local_id);
END;

-- A card added to a note already here (a note type that gained a card template, re-imported) travels in
-- its note's document, with its deck, so the other machines put it where this one did.
CREATE TRIGGER sync_card_insert AFTER INSERT ON cards WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('note', new.note_id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;

-- As migration 019 did for decks, notes and reviews: a deleted row's number is taken by the next row
-- made (SQLite reuses the largest rowid), so the next certification, credit entry, preset, note type,
-- curriculum, module or check-in was sent under the deleted one's document id and its deletion never
-- went. On deletion, the row's document ids move to its number negated, and the deletion waits in the
-- outbox under that number.
CREATE TRIGGER sync_ids_cert_forget AFTER DELETE ON certifications BEGIN
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'cert' AND local_id = old.id;
END;
CREATE TRIGGER sync_ids_credit_forget AFTER DELETE ON certification_credits BEGIN
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'credit' AND local_id = old.id;
END;
CREATE TRIGGER sync_ids_preset_forget AFTER DELETE ON presets BEGIN
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'preset' AND local_id = old.id;
END;
CREATE TRIGGER sync_ids_notetype_forget AFTER DELETE ON note_types BEGIN
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'notetype' AND local_id = old.id;
END;
CREATE TRIGGER sync_ids_curriculum_forget AFTER DELETE ON curricula BEGIN
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'curriculum' AND local_id = old.id;
END;
CREATE TRIGGER sync_ids_module_forget AFTER DELETE ON curriculum_modules BEGIN
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'module' AND local_id = old.id;
END;
CREATE TRIGGER sync_ids_checkin_forget AFTER DELETE ON checkin_log BEGIN
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'checkin' AND local_id = old.id;
END;
CREATE TRIGGER sync_ids_checkins_forget AFTER DELETE ON checkin_schedule BEGIN
  UPDATE sync_ids SET local_id = -old.id WHERE kind = 'checkins' AND local_id = old.id;
END;

DROP TRIGGER sync_cert_delete;
CREATE TRIGGER sync_cert_delete AFTER DELETE ON certifications WHEN (SELECT track FROM sync_state) = 1 BEGIN
  DELETE FROM sync_outbox WHERE kind = 'cert' AND local_id = old.id;
  INSERT INTO sync_outbox VALUES ('cert', -old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
DROP TRIGGER sync_credit_delete;
CREATE TRIGGER sync_credit_delete AFTER DELETE ON certification_credits
  WHEN (SELECT track FROM sync_state) = 1 AND EXISTS (SELECT 1 FROM certifications WHERE id = old.certification_id) BEGIN
  DELETE FROM sync_outbox WHERE kind = 'credit' AND local_id = old.id;
  INSERT INTO sync_outbox VALUES ('credit', -old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
-- An entry deleted with its certification: its waiting outbox row goes too (the certification's deletion says it).
CREATE TRIGGER sync_credit_gone AFTER DELETE ON certification_credits
  WHEN NOT EXISTS (SELECT 1 FROM certifications WHERE id = old.certification_id) BEGIN
  DELETE FROM sync_outbox WHERE kind = 'credit' AND local_id = old.id;
END;
DROP TRIGGER sync_preset_delete;
CREATE TRIGGER sync_preset_delete AFTER DELETE ON presets WHEN (SELECT track FROM sync_state) = 1 BEGIN
  DELETE FROM sync_outbox WHERE kind = 'preset' AND local_id = old.id;
  INSERT INTO sync_outbox VALUES ('preset', -old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
DROP TRIGGER sync_notetype_delete;
CREATE TRIGGER sync_notetype_delete AFTER DELETE ON note_types WHEN (SELECT track FROM sync_state) = 1 BEGIN
  DELETE FROM sync_outbox WHERE kind = 'notetype' AND local_id = old.id;
  INSERT INTO sync_outbox VALUES ('notetype', -old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
DROP TRIGGER sync_curriculum_delete;
CREATE TRIGGER sync_curriculum_delete AFTER DELETE ON curricula WHEN (SELECT track FROM sync_state) = 1 BEGIN
  DELETE FROM sync_outbox WHERE kind = 'curriculum' AND local_id = old.id;
  INSERT INTO sync_outbox VALUES ('curriculum', -old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
DROP TRIGGER sync_module_delete;
CREATE TRIGGER sync_module_delete AFTER DELETE ON curriculum_modules
  WHEN (SELECT track FROM sync_state) = 1 AND EXISTS (SELECT 1 FROM curricula WHERE id = old.curriculum_id) BEGIN
  DELETE FROM sync_outbox WHERE kind = 'module' AND local_id = old.id;
  INSERT INTO sync_outbox VALUES ('module', -old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
CREATE TRIGGER sync_module_gone AFTER DELETE ON curriculum_modules
  WHEN NOT EXISTS (SELECT 1 FROM curricula WHERE id = old.curriculum_id) BEGIN
  DELETE FROM sync_outbox WHERE kind = 'module' AND local_id = old.id;
END;
DROP TRIGGER sync_checkin_delete;
CREATE TRIGGER sync_checkin_delete AFTER DELETE ON checkin_log WHEN (SELECT track FROM sync_state) = 1 BEGIN
  DELETE FROM sync_outbox WHERE kind = 'checkin' AND local_id = old.id;
  INSERT INTO sync_outbox VALUES ('checkin', -old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
DROP TRIGGER sync_checkins_delete;
CREATE TRIGGER sync_checkins_delete AFTER DELETE ON checkin_schedule WHEN (SELECT track FROM sync_state) = 1 BEGIN
  DELETE FROM sync_outbox WHERE kind = 'checkins' AND local_id = old.id;
  INSERT INTO sync_outbox VALUES ('checkins', -old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;

-- The few words a status line shows for the last sync's failure ("the server did not answer"), kept with
-- the full sentence so both read the same after a restart.
ALTER TABLE sync_state ADD COLUMN last_problem TEXT;

-- A note deleted here takes its reviews with it, some perhaps never sent. Now that a deletion carries
-- when it was made, an edit made elsewhere later brings the note back: the reviews this machine made
-- and never sent are kept here, and come back with the note (sync/store.ts), so none is lost.
CREATE TABLE sync_kept_reviews (
  note_guid      TEXT NOT NULL,
  ord            INTEGER NOT NULL,
  reviewed_at    INTEGER NOT NULL,
  rating         INTEGER NOT NULL,
  duration_ms    INTEGER NOT NULL,
  state          INTEGER NOT NULL,
  due            INTEGER NOT NULL,
  stability      REAL NOT NULL,
  difficulty     REAL NOT NULL,
  scheduled_days INTEGER NOT NULL,
  learning_steps INTEGER NOT NULL,
  PRIMARY KEY (note_guid, ord, reviewed_at, rating)
) WITHOUT ROWID;
CREATE TRIGGER sync_note_keep_reviews BEFORE DELETE ON notes WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT OR IGNORE INTO sync_kept_reviews
    SELECT old.guid, c.ord, r.reviewed_at, r.rating, r.duration_ms, r.state_after, r.due_after, r.stability_after, r.difficulty_after,
           r.scheduled_days_after, r.learning_steps_after
      FROM cards c JOIN revlog r ON r.card_id = c.id
     WHERE c.note_id = old.id AND EXISTS (SELECT 1 FROM sync_outbox o WHERE o.kind = 'review' AND o.local_id = r.id);
END;

-- A credit entry's evidence files (certificate PDFs, receipt pictures) travel in the entry's document
-- (which files, by content name) and as media documents (their bytes, stored once, by content hash).
-- Attached: timed when attached; detached: untimed, stamped when the app hears of it (above).
CREATE TRIGGER sync_evidence_attach AFTER INSERT ON credit_evidence WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('credit', new.credit_id, new.added_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
  INSERT OR IGNORE INTO sync_media_unsent VALUES (new.media_name);
END;
CREATE TRIGGER sync_evidence_detach AFTER DELETE ON credit_evidence
  WHEN (SELECT track FROM sync_state) = 1 AND EXISTS (SELECT 1 FROM certification_credits WHERE id = old.credit_id) BEGIN
  INSERT INTO sync_outbox VALUES ('credit', old.credit_id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
