-- The study queue counts and gathers its cards from the indexes alone.
--
-- A deck whose preset buries siblings counts notes (one card of a note is shown a day), and gathering
-- the day's cards needs each card's note and template. Neither was in an index, so every candidate was
-- a row read from the cards table, scattered over a large file: counting a deck tree again (a new
-- study day, many answers in one deck) read a few thousand rows, and gathering the day's new cards by
-- random notes read every new card of the tree (10,000 in a large tree). note_id and ord never change
-- once a card exists, so answers pay nothing more for them.
DROP INDEX cards_deck_counts;
CREATE INDEX cards_deck_counts ON cards (deck_id, state, suspended, due, buried_day, note_id, ord);

-- A deck's new cards by note: their notes are counted as the index is read (no temporary table of the
-- notes seen), stopping at the count's cap; the gathering orders read the other columns from it too.
DROP INDEX cards_deck_new;
CREATE INDEX cards_deck_new ON cards (deck_id, note_id, ord, new_position, buried_day) WHERE state = 0 AND suspended = 0;
