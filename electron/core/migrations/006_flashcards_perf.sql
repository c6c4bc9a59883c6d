-- Cadence schema 6: flashcards performance.

-- The card browser's search pages through the cards of the matching notes in creation order (its
-- default): with this index it finds each note's cards and their order without reading the card rows.
CREATE INDEX cards_note_created ON cards (note_id, created_at);
