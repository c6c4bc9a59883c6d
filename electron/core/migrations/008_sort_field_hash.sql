-- Cadence schema 8: duplicate checks find notes by a hash of the sort field (flashcards/sortFieldHash.ts)
-- instead of an index of the text, which a bulk import paid for at a random place per new note.
-- Every writer of sort_field writes the hash with it; an empty sort field hashes to 0, the default.
ALTER TABLE notes ADD COLUMN sort_field_hash INTEGER NOT NULL DEFAULT 0;
UPDATE notes SET sort_field_hash = hash_sort_field(sort_field) WHERE sort_field <> '';
DROP INDEX notes_sort_field;
CREATE INDEX notes_sort_field_hash ON notes (sort_field_hash);
