-- Cadence schema: exam practice. Question notes (with the banks they came from), timed attempts and
-- their answers and results. Attempts are append-only: an answer is a new row (the newest row of a
-- question is the answer that counts), a result is written once, and triggers refuse every UPDATE and
-- DELETE, so no code path can lose or rewrite an answer once it was saved.

CREATE TABLE exam_questions (
  id              INTEGER PRIMARY KEY,
  guid            TEXT NOT NULL UNIQUE,
  bank            TEXT NOT NULL,                    -- bank file id, or 'mine'
  kind            TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'truefalse')),
  stem            TEXT NOT NULL CHECK (length(stem) >= 1),
  options         TEXT NOT NULL,                    -- JSON array of 2..8 strings
  correct         TEXT NOT NULL,                    -- JSON array of option indexes
  explanation     TEXT NOT NULL DEFAULT '',
  source_document TEXT NOT NULL,
  source_section  TEXT NOT NULL,
  topic           TEXT NOT NULL,                    -- the primary topic (draws, per-topic scores)
  topics          TEXT NOT NULL,                    -- JSON array, the primary topic first
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX exam_questions_topic ON exam_questions (topic);
CREATE INDEX exam_questions_bank ON exam_questions (bank, id);

-- Bank files (assets/exams/<id>.json) already loaded: loaded once, so deleted questions stay deleted.
CREATE TABLE exam_banks_loaded (
  file_id   TEXT PRIMARY KEY,
  loaded_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The format as it was when the attempt started (a custom count, time or pass mark included).
CREATE TABLE exam_attempts (
  id          INTEGER PRIMARY KEY,
  format_key  TEXT NOT NULL,
  format_name TEXT NOT NULL,
  minutes     INTEGER NOT NULL CHECK (minutes >= 1),
  pass_mark   REAL NOT NULL CHECK (pass_mark > 0 AND pass_mark <= 1),
  draw        TEXT NOT NULL CHECK (draw IN ('all', 'unmastered')),
  -- The certification (catalog id) the format leads to: its mock exams count as study time for it.
  certification_key TEXT,
  started_at  INTEGER NOT NULL,
  deadline_at INTEGER NOT NULL
);
CREATE INDEX exam_attempts_format ON exam_attempts (format_key, started_at);

-- Each question as it was asked (options in the order shown), so a later edit of the question, or
-- its deletion, never changes an attempt or its review.
CREATE TABLE exam_attempt_questions (
  attempt_id  INTEGER NOT NULL REFERENCES exam_attempts(id),
  position    INTEGER NOT NULL,
  question_id INTEGER,                              -- no foreign key: the question may be deleted later
  topic       TEXT NOT NULL,
  snapshot    TEXT NOT NULL,                        -- JSON {kind, stem, options, correct, explanation, source, topics}
  PRIMARY KEY (attempt_id, position)
) WITHOUT ROWID;

-- Every answer given, newest last. chosen: JSON array of option indexes, NULL when cleared.
CREATE TABLE exam_answers (
  id         INTEGER PRIMARY KEY,
  attempt_id INTEGER NOT NULL REFERENCES exam_attempts(id),
  position   INTEGER NOT NULL,
  chosen     TEXT,
  flagged    INTEGER NOT NULL CHECK (flagged IN (0, 1)),
  at         INTEGER NOT NULL
);
CREATE INDEX exam_answers_attempt ON exam_answers (attempt_id, position, id);

CREATE TABLE exam_results (
  attempt_id   INTEGER PRIMARY KEY REFERENCES exam_attempts(id),
  submitted_at INTEGER NOT NULL,
  reason       TEXT NOT NULL CHECK (reason IN ('submitted', 'time_up')),
  correct      INTEGER NOT NULL,
  total        INTEGER NOT NULL,
  answered     INTEGER NOT NULL,
  score        REAL NOT NULL,
  passed       INTEGER NOT NULL CHECK (passed IN (0, 1)),
  time_used_ms INTEGER NOT NULL
);
CREATE INDEX exam_results_time ON exam_results (submitted_at);

-- One row per question of a scored attempt: what readiness, mastery and "unmastered" draws read.
CREATE TABLE exam_outcomes (
  attempt_id  INTEGER NOT NULL REFERENCES exam_attempts(id),
  position    INTEGER NOT NULL,
  question_id INTEGER,
  topic       TEXT NOT NULL,
  correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
  at          INTEGER NOT NULL,
  PRIMARY KEY (attempt_id, position)
) WITHOUT ROWID;
CREATE INDEX exam_outcomes_question ON exam_outcomes (question_id, at);
CREATE INDEX exam_outcomes_topic ON exam_outcomes (topic, at);

-- Flashcards made from questions in review (the note may be deleted later; the link then points nowhere).
CREATE TABLE exam_flashcards (
  attempt_id INTEGER NOT NULL,
  position   INTEGER NOT NULL,
  note_id    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (attempt_id, position)
) WITHOUT ROWID;

-- Curriculum modules can link exam topics: a module's mastery then includes the topic's exam results.
CREATE TABLE curriculum_exam_topics (
  module_id INTEGER NOT NULL REFERENCES curriculum_modules(id) ON DELETE CASCADE,
  topic     TEXT NOT NULL,
  PRIMARY KEY (module_id, topic)
) WITHOUT ROWID;

CREATE TRIGGER exam_attempts_append_only_u BEFORE UPDATE ON exam_attempts BEGIN SELECT RAISE(ABORT, 'exam attempts are append-only'); END;
CREATE TRIGGER exam_attempts_append_only_d BEFORE DELETE ON exam_attempts BEGIN SELECT RAISE(ABORT, 'exam attempts are append-only'); END;
CREATE TRIGGER exam_attempt_questions_append_only_u BEFORE UPDATE ON exam_attempt_questions BEGIN SELECT RAISE(ABORT, 'exam attempts are append-only'); END;
CREATE TRIGGER exam_attempt_questions_append_only_d BEFORE DELETE ON exam_attempt_questions BEGIN SELECT RAISE(ABORT, 'exam attempts are append-only'); END;
CREATE TRIGGER exam_answers_append_only_u BEFORE UPDATE ON exam_answers BEGIN SELECT RAISE(ABORT, 'exam answers are append-only'); END;
CREATE TRIGGER exam_answers_append_only_d BEFORE DELETE ON exam_answers BEGIN SELECT RAISE(ABORT, 'exam answers are append-only'); END;
CREATE TRIGGER exam_results_append_only_u BEFORE UPDATE ON exam_results BEGIN SELECT RAISE(ABORT, 'exam results are append-only'); END;
CREATE TRIGGER exam_results_append_only_d BEFORE DELETE ON exam_results BEGIN SELECT RAISE(ABORT, 'exam results are append-only'); END;
CREATE TRIGGER exam_outcomes_append_only_u BEFORE UPDATE ON exam_outcomes BEGIN SELECT RAISE(ABORT, 'exam results are append-only'); END;
CREATE TRIGGER exam_outcomes_append_only_d BEFORE DELETE ON exam_outcomes BEGIN SELECT RAISE(ABORT, 'exam results are append-only'); END;
