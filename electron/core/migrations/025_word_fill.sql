-- Search: notes waiting for the word index (notes_fts, 002_flashcards.sql).
--
-- Like the substring index (022_search_fill.sql), the word index is no longer filled inside an import's
-- transaction: filling it for 100,000 notes took a third of the import. The import lists the notes it
-- added or changed here, in its own transaction, and they are indexed afterwards, between requests
-- (flashcards/searchIndexFill.ts). Until a note is indexed a word search tests its text the way the
-- index reads it (flashcards/wordMatch.ts), so search finds the same notes throughout.
CREATE TABLE notes_fts_pending (
  note_id INTEGER PRIMARY KEY
);
