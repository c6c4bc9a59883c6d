-- Sync carries certifications, their credit entries, fired reminders, mock-exam attempts, media files, presets, note types, curricula
-- with their modules, and mentor check-ins too (see electron/core/sync/docs.ts).

-- A certification and a credit entry are known by a GUID on every machine (a local row id is not:
-- two machines number their rows on their own). Rows made before this version get one now; rows made
-- later get one as they are inserted, whoever inserts them.
ALTER TABLE certifications ADD COLUMN guid TEXT;
UPDATE certifications SET guid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX certifications_guid ON certifications (guid);
CREATE TRIGGER certifications_guid AFTER INSERT ON certifications WHEN new.guid IS NULL BEGIN
  UPDATE certifications SET guid = lower(hex(randomblob(16))) WHERE id = new.id;
END;

ALTER TABLE certification_credits ADD COLUMN guid TEXT;
UPDATE certification_credits SET guid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX certification_credits_guid ON certification_credits (guid);
CREATE TRIGGER certification_credits_guid AFTER INSERT ON certification_credits WHEN new.guid IS NULL BEGIN
  UPDATE certification_credits SET guid = lower(hex(randomblob(16))) WHERE id = new.id;
END;

-- A document that came from another machine before the record it belongs to (a credit entry before
-- its certification, a reminder before the certification it is about): kept here and applied as soon
-- as that record arrives, so nothing is lost whatever order replication delivers them in.
CREATE TABLE sync_waiting (
  doc_id    TEXT PRIMARY KEY,
  rev       TEXT NOT NULL,
  body      TEXT NOT NULL,                -- the document, as JSON
  waits_for TEXT NOT NULL                 -- the document id of the record it needs
) WITHOUT ROWID;
CREATE INDEX sync_waiting_for ON sync_waiting (waits_for);

-- Outbox kinds added here: cert, credit, reminder. As in 016, only while sync is set up.
CREATE TRIGGER sync_cert_insert AFTER INSERT ON certifications WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('cert', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_cert_update AFTER UPDATE OF catalog_id, label, custom, earned_on, cycle_start, expires_override, credential_id, url,
  reminder_rules, study_cut, renewals ON certifications WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('cert', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_cert_delete AFTER DELETE ON certifications WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('cert', old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
-- The decks linked for study time travel in the certification's document.
CREATE TRIGGER sync_cert_link AFTER INSERT ON certification_decks WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox SELECT 'cert', id, updated_at FROM certifications WHERE id = new.certification_id
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_cert_unlink AFTER DELETE ON certification_decks WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox SELECT 'cert', id, updated_at FROM certifications WHERE id = old.certification_id
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;

CREATE TRIGGER sync_credit_insert AFTER INSERT ON certification_credits WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('credit', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_credit_update AFTER UPDATE OF earned_on, started_on, units, category, provider, activity, note, used_at
  ON certification_credits WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('credit', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
-- An entry deleted with its certification needs no word of its own (the certification's deletion says it).
CREATE TRIGGER sync_credit_delete AFTER DELETE ON certification_credits
  WHEN (SELECT track FROM sync_state) = 1 AND EXISTS (SELECT 1 FROM certifications WHERE id = old.certification_id) BEGIN
  INSERT INTO sync_outbox VALUES ('credit', old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;

-- A reminder fired, then dismissed, snoozed or stood for by a later stage. Reminders are not deleted
-- one by one (they go with the certification they are about), so they need no tombstone. A change
-- without a time of its own (a snooze) is timed when it is sent (0).
CREATE TRIGGER sync_reminder_insert AFTER INSERT ON reminders WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('reminder', new.id, max(new.fired_at, ifnull(new.dismissed_at, 0)))
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_reminder_update AFTER UPDATE OF fired_at, dismissed_at, snoozed_until, superseded ON reminders
  WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('reminder', new.id,
      CASE WHEN new.dismissed_at IS NOT old.dismissed_at THEN new.dismissed_at
           WHEN new.fired_at IS NOT old.fired_at THEN new.fired_at ELSE 0 END)
    ON CONFLICT DO UPDATE SET changed_at = CASE WHEN excluded.changed_at = 0 OR changed_at = 0 THEN 0 ELSE max(changed_at, excluded.changed_at) END;
END;

-- A mock-exam attempt travels once it is scored, whole (attempts are append-only: no update, no deletion).
CREATE TRIGGER sync_exam_scored AFTER INSERT ON exam_results WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('exam', new.attempt_id, new.submitted_at) ON CONFLICT DO NOTHING;
END;

-- Media files still to offer the server, by name (a media row has no number for the outbox). A file
-- the server already has is not uploaded again; files are never deleted one by one, so need no tombstone.
CREATE TABLE sync_media_unsent (
  name TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TRIGGER sync_media_insert AFTER INSERT ON media WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT OR IGNORE INTO sync_media_unsent VALUES (new.name);
END;

-- Presets, note types, curricula, modules (their progress: status, dates, notes), the check-in log and
-- the check-in schedule: one document per row, every column but the row's own id and times (rowDocs.ts).
CREATE TRIGGER sync_preset_insert AFTER INSERT ON presets WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('preset', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_preset_update AFTER UPDATE ON presets WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('preset', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_preset_delete AFTER DELETE ON presets WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('preset', old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
CREATE TRIGGER sync_notetype_insert AFTER INSERT ON note_types WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('notetype', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_notetype_update AFTER UPDATE ON note_types WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('notetype', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_notetype_delete AFTER DELETE ON note_types WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('notetype', old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
CREATE TRIGGER sync_curriculum_insert AFTER INSERT ON curricula WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('curriculum', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_curriculum_update AFTER UPDATE ON curricula WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('curriculum', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_curriculum_delete AFTER DELETE ON curricula WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('curriculum', old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
CREATE TRIGGER sync_module_insert AFTER INSERT ON curriculum_modules WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('module', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_module_update AFTER UPDATE ON curriculum_modules WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('module', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
-- A module deleted with its curriculum needs no word of its own.
CREATE TRIGGER sync_module_delete AFTER DELETE ON curriculum_modules
  WHEN (SELECT track FROM sync_state) = 1 AND EXISTS (SELECT 1 FROM curricula WHERE id = old.curriculum_id) BEGIN
  INSERT INTO sync_outbox VALUES ('module', old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
CREATE TRIGGER sync_checkin_insert AFTER INSERT ON checkin_log WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('checkin', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_checkin_update AFTER UPDATE ON checkin_log WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('checkin', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_checkin_delete AFTER DELETE ON checkin_log WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('checkin', old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
CREATE TRIGGER sync_checkins_insert AFTER INSERT ON checkin_schedule WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('checkins', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_checkins_update AFTER UPDATE ON checkin_schedule WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('checkins', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_checkins_delete AFTER DELETE ON checkin_schedule WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('checkins', old.id, 0) ON CONFLICT DO UPDATE SET changed_at = 0;
END;
-- A module's links (decks, tags) and exam topics travel in the module's document.
CREATE TRIGGER sync_module_link AFTER INSERT ON curriculum_links WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox SELECT 'module', id, updated_at FROM curriculum_modules WHERE id = new.module_id
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_module_unlink AFTER DELETE ON curriculum_links WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox SELECT 'module', id, updated_at FROM curriculum_modules WHERE id = old.module_id
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_module_topic AFTER INSERT ON curriculum_exam_topics WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox SELECT 'module', id, updated_at FROM curriculum_modules WHERE id = new.module_id
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
CREATE TRIGGER sync_module_untopic AFTER DELETE ON curriculum_exam_topics WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox SELECT 'module', id, updated_at FROM curriculum_modules WHERE id = old.module_id
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;

-- A deck's preset travels in the deck's document.
CREATE TRIGGER sync_deck_preset AFTER UPDATE OF preset_id ON decks WHEN (SELECT track FROM sync_state) = 1 BEGIN
  INSERT INTO sync_outbox VALUES ('deck', new.id, new.updated_at)
    ON CONFLICT DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
END;
