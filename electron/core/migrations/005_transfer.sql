-- Cadence schema 5: media files brought in by imports (or restored from a backup).
-- The files live in <data dir>/media under content names: sha256 of the bytes in hex plus the original
-- extension, so the same picture imported twice is stored once and a name never changes meaning.
-- Fields refer to them as "media/<name>" (a relative URL both transports serve).
CREATE TABLE media (
  name          TEXT PRIMARY KEY,                 -- file name in the media folder
  original_name TEXT NOT NULL,                    -- name it had in the file it came from; used again on export
  size          INTEGER NOT NULL CHECK (size >= 0),
  created_at    INTEGER NOT NULL
) WITHOUT ROWID;
