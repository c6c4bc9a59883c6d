-- Cadence schema: FSRS parameters fitted to the learner's own reviews, per preset.

-- The 21 FSRS-6 parameters the preset schedules with, as a JSON array; NULL means FSRS-6's defaults.
ALTER TABLE presets ADD COLUMN fsrs_params TEXT;

-- Every parameter set that was fitted (or came with an imported Anki package), with how well it predicted
-- the reviews it was measured on. A set becomes the preset's when applied; applying remembers the set it
-- replaced, so "Restore previous" puts that one back (and a restore can itself be restored, step by step).
CREATE TABLE fsrs_fits (
  id                INTEGER PRIMARY KEY,
  preset_id         INTEGER NOT NULL REFERENCES presets(id) ON DELETE CASCADE,
  origin            TEXT NOT NULL CHECK (origin IN ('optimised', 'imported')),
  scope             TEXT NOT NULL,          -- what was trained on, in the user's words ("Decks using Default")
  params            TEXT NOT NULL,          -- JSON array of 21 numbers
  reviews           INTEGER NOT NULL DEFAULT 0,  -- review-log entries in the training set
  items             INTEGER NOT NULL DEFAULT 0,  -- reviews predicted (first of a day after an earlier day)
  log_loss          REAL,                   -- of this set on those reviews (NULL: not measured)
  rmse_bins         REAL,
  default_log_loss  REAL,                   -- of FSRS-6's defaults on the same reviews
  default_rmse_bins REAL,
  better            INTEGER CHECK (better IN (0, 1)),  -- predicted better than the set in use when fitted
  created_at        INTEGER NOT NULL,
  applied_at        INTEGER,                -- when it became the preset's set; NULL while only evaluated
  replaced_params   TEXT,                   -- the preset's set before applying (NULL = the defaults)
  restored_at       INTEGER                 -- when "Restore previous" put replaced_params back
);
CREATE INDEX fsrs_fits_preset ON fsrs_fits (preset_id, created_at);
