-- Cadence schema: where a note's facts come from, and which revision of each starter deck file a
-- collection holds.
-- notes.source: the document and section (or address) a note's facts come from; '' when not given.
-- Shown on the answer side and in Browse, exported with the note.
ALTER TABLE notes ADD COLUMN source TEXT NOT NULL DEFAULT '';
-- starter_decks.revision: the revision of the file (assets/decks/<id>.json) last applied. Collections
-- seeded before revisions existed hold revision 1; a newer file upgrades them once, by note guid.
ALTER TABLE starter_decks ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
