-- Cadence schema 3: the user's certifications, their credit log, decks linked for study time, and the
-- reminders of every feature. Calendar dates are 'YYYY-MM-DD' text; instants are UTC epoch ms.

-- AUTOINCREMENT: a deleted certification's id is never reused, so reminder keys built from it stay unique.
CREATE TABLE certifications (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  catalog_id        TEXT NOT NULL,              -- entry id in assets/certifications.json, or 'custom'
  label             TEXT NOT NULL DEFAULT '',   -- the user's own words beside the name (a level, a specialty)
  custom            TEXT,                       -- JSON rules the user gave, for catalog_id = 'custom'
  earned_on         TEXT NOT NULL,
  cycle_start       TEXT NOT NULL,              -- earned_on, or the previous expiry after each renewal
  expires_override  TEXT,                       -- the date on the certificate when it differs from the rule
  credential_id     TEXT NOT NULL DEFAULT '',
  url               TEXT,
  reminder_rules    TEXT,                       -- JSON; NULL: the defaults
  study_cut         INTEGER,                    -- study time before this instant was already offered as credit
  renewals          INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  CHECK (expires_override IS NULL OR expires_override > earned_on),
  CHECK (cycle_start >= earned_on)
);

-- One activity: hours or units earned on a day. Which renewal it counts for is computed from the dates.
CREATE TABLE certification_credits (
  id               INTEGER PRIMARY KEY,
  certification_id INTEGER NOT NULL REFERENCES certifications(id) ON DELETE CASCADE,
  earned_on        TEXT NOT NULL,
  units            REAL NOT NULL CHECK (units > 0 AND units <= 24),
  category         TEXT NOT NULL,
  provider         TEXT NOT NULL DEFAULT '',
  note             TEXT NOT NULL DEFAULT '',
  origin           TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'study')),
  used_at          INTEGER,                     -- counted for a renewal the user recorded; never counts again
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX certification_credits_cert ON certification_credits (certification_id, earned_on);

-- Decks whose study time is offered as credit for a certification.
CREATE TABLE certification_decks (
  certification_id INTEGER NOT NULL REFERENCES certifications(id) ON DELETE CASCADE,
  deck_id          INTEGER NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
  PRIMARY KEY (certification_id, deck_id)
) WITHOUT ROWID;

-- Every reminder that fired, from any source. UNIQUE (source, key) is what makes each fire exactly once:
-- the row is written in the same transaction that decides the reminder is due.
CREATE TABLE reminders (
  id            INTEGER PRIMARY KEY,
  source        TEXT NOT NULL,
  key           TEXT NOT NULL,
  target_kind   TEXT NOT NULL,
  target_id     INTEGER NOT NULL,
  title         TEXT NOT NULL,
  body          TEXT NOT NULL,
  due_at        INTEGER NOT NULL,
  fired_at      INTEGER NOT NULL,
  notified_at   INTEGER,                       -- shown as an OS notification, or summarised at startup
  missed        INTEGER NOT NULL DEFAULT 0 CHECK (missed IN (0, 1)),      -- came due while Cadence was closed
  superseded    INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1)),  -- a later stage of its group stood for it
  snoozed_until INTEGER,
  dismissed_at  INTEGER,
  UNIQUE (source, key)
);
CREATE INDEX reminders_open ON reminders (fired_at) WHERE dismissed_at IS NULL AND superseded = 0;
CREATE INDEX reminders_target ON reminders (target_kind, target_id);
