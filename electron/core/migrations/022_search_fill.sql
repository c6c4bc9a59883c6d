-- Search: notes waiting for the substring index (notes_text, 018_search_index.sql).
--
-- Filling that index costs about five times the word index, so an import no longer fills it inside its
-- transaction: it lists the notes it added or changed here, in the same transaction (so the list is
-- exactly as durable as the notes), and the index is filled from this list afterwards, a few hundred
-- notes per transaction, between requests (flashcards/substringIndex.ts). Until a note is indexed a
-- search takes it as a candidate and the exact test decides, so search is right throughout; a fill cut
-- short by a crash or a quit carries on at the next start.
CREATE TABLE notes_text_pending (
  note_id INTEGER PRIMARY KEY
);
