-- Cadence: credit entries an auditor accepts. An entry may span several days (a 30-hour course from its
-- first day to its last), so one entry is no longer capped at 24 units; it names its activity apart from
-- its provider (PMI's CCRS and Scrum Alliance's SEU form ask for both); and it may carry evidence files
-- (a certificate PDF, a receipt picture), stored by content hash in the media folder like imported media,
-- so the whole-collection backup file carries them too.
CREATE TABLE certification_credits_new (
  id               INTEGER PRIMARY KEY,
  certification_id INTEGER NOT NULL REFERENCES certifications(id) ON DELETE CASCADE,
  earned_on        TEXT NOT NULL,                 -- the day it was completed
  started_on       TEXT,                          -- its first day when it took several; NULL: one day
  units            REAL NOT NULL CHECK (units > 0 AND units <= 1000),
  category         TEXT NOT NULL,
  provider         TEXT NOT NULL DEFAULT '',
  activity         TEXT NOT NULL DEFAULT '',
  note             TEXT NOT NULL DEFAULT '',
  origin           TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'study')),
  used_at          INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  CHECK (started_on IS NULL OR started_on < earned_on)
);
INSERT INTO certification_credits_new (id, certification_id, earned_on, units, category, provider, note, origin, used_at, created_at, updated_at)
  SELECT id, certification_id, earned_on, units, category, provider, note, origin, used_at, created_at, updated_at FROM certification_credits;
DROP TABLE certification_credits;
ALTER TABLE certification_credits_new RENAME TO certification_credits;
CREATE INDEX certification_credits_cert ON certification_credits (certification_id, earned_on);

CREATE TABLE credit_evidence (
  id          INTEGER PRIMARY KEY,
  credit_id   INTEGER NOT NULL REFERENCES certification_credits(id) ON DELETE CASCADE,
  file_name   TEXT NOT NULL,                      -- the name it had on the user's disk
  media_name  TEXT NOT NULL,                      -- "<sha256>.<ext>" in the media folder
  kind        TEXT NOT NULL CHECK (kind IN ('pdf', 'image')),
  size_bytes  INTEGER NOT NULL,
  added_at    INTEGER NOT NULL
);
CREATE INDEX credit_evidence_credit ON credit_evidence (credit_id);
