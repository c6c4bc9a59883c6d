-- Cadence schema 4: curricula and their modules, module links to decks/tags, mentor check-ins.
-- Calendar dates are 'YYYY-MM-DD' text in the user's time zone; instants are UTC epoch milliseconds.

CREATE TABLE curricula (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  description  TEXT NOT NULL DEFAULT '',
  -- Where it came from: the template's basis note ("built from comparable programmes ...").
  basis        TEXT NOT NULL DEFAULT '',
  template_key TEXT,
  -- Planned week 1 starts on this date; NULL means no timeline.
  start_date   TEXT CHECK (start_date IS NULL OR start_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  position     INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);

CREATE TABLE curriculum_modules (
  id            INTEGER PRIMARY KEY,
  curriculum_id INTEGER NOT NULL REFERENCES curricula(id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  week          INTEGER NOT NULL CHECK (week >= 1),
  title         TEXT NOT NULL CHECK (length(title) >= 1),
  description   TEXT NOT NULL DEFAULT '',
  objectives    TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  resources     TEXT NOT NULL DEFAULT '[]',   -- JSON array of {title, url}
  status        TEXT NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'done')),
  started_on    TEXT,
  done_on       TEXT,
  notes         TEXT NOT NULL DEFAULT '',
  -- When the user chose to mark it done although its mastery was not ready; they are not asked again.
  mastery_waived_at INTEGER,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX curriculum_modules_order ON curriculum_modules (curriculum_id, position);

-- A module's cards: those in a deck tree, with a tag (or a tag below it), or both at once.
-- deck_path keeps the path as written so a link to a deck that does not exist yet (a starter deck not
-- imported) resolves when that deck appears; deck_id follows the deck through renames once resolved.
CREATE TABLE curriculum_links (
  id         INTEGER PRIMARY KEY,
  module_id  INTEGER NOT NULL REFERENCES curriculum_modules(id) ON DELETE CASCADE,
  deck_id    INTEGER REFERENCES decks(id) ON DELETE SET NULL,
  deck_path  TEXT,
  tag_prefix TEXT,
  CHECK (deck_path IS NOT NULL OR tag_prefix IS NOT NULL)
);
CREATE INDEX curriculum_links_module ON curriculum_links (module_id);
CREATE INDEX curriculum_links_deck ON curriculum_links (deck_id);

-- One mentor check-in schedule.
CREATE TABLE checkin_schedule (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  cadence       TEXT NOT NULL CHECK (cadence IN ('weekly', 'biweekly')),
  weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),   -- ISO: 1 Monday ... 7 Sunday
  time          TEXT NOT NULL,                                      -- 'HH:mm' local
  first_date    TEXT NOT NULL,                                      -- first check-in; fortnights count from it
  mentor        TEXT NOT NULL DEFAULT '',
  curriculum_id INTEGER REFERENCES curricula(id) ON DELETE SET NULL,
  remind_minutes_before INTEGER NOT NULL DEFAULT 60 CHECK (remind_minutes_before >= 0),
  updated_at    INTEGER NOT NULL
);

CREATE TABLE checkin_log (
  id            INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,
  notes         TEXT NOT NULL DEFAULT '',
  curriculum_id INTEGER REFERENCES curricula(id) ON DELETE SET NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX checkin_log_at ON checkin_log (at);

-- Stats: per-study-day aggregates of past days, so the Stats page reads a year of history without
-- scanning it again. A cached day is used only when its start and end match today's idea of that day
-- (the rollover hour and time zone can change), and only while no answer in it changed: every write to
-- the review log marks its UTC hour here, and the hours marked drop the cached days they touch.
CREATE TABLE stats_days (
  day_start INTEGER PRIMARY KEY,
  day_end   INTEGER NOT NULL,
  counts    TEXT NOT NULL       -- JSON array of the day's aggregates (see electron/core/stats)
);
CREATE TABLE stats_dirty_hours (
  hour INTEGER PRIMARY KEY      -- reviewed_at / 3600000
) WITHOUT ROWID;
CREATE TRIGGER stats_revlog_insert AFTER INSERT ON revlog BEGIN
  INSERT OR IGNORE INTO stats_dirty_hours (hour) VALUES (new.reviewed_at / 3600000);
END;
CREATE TRIGGER stats_revlog_delete AFTER DELETE ON revlog BEGIN
  INSERT OR IGNORE INTO stats_dirty_hours (hour) VALUES (old.reviewed_at / 3600000);
END;
CREATE TRIGGER stats_revlog_update AFTER UPDATE ON revlog BEGIN
  INSERT OR IGNORE INTO stats_dirty_hours (hour) VALUES (old.reviewed_at / 3600000);
  INSERT OR IGNORE INTO stats_dirty_hours (hour) VALUES (new.reviewed_at / 3600000);
END;

-- Memory-state histograms count cards per stability or difficulty range straight from these.
CREATE INDEX cards_stability ON cards (stability) WHERE stability > 0;
CREATE INDEX cards_difficulty ON cards (difficulty) WHERE stability > 0;
