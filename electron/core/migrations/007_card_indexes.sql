-- Cadence schema 7: fewer indexes on cards. Every answer rewrites a card's state, due date, stability
-- and difficulty, and every import adds cards, so each index on those columns is paid for on every
-- write; these three were not needed.

-- cards_deck_counts (deck_id, state, suspended, due, buried_day) answers every lookup this one did.
DROP INDEX cards_deck_state_due;

-- The memory-state histograms of the whole collection: one pass over this index instead of range
-- counts on one index per column.
DROP INDEX cards_stability;
DROP INDEX cards_difficulty;
CREATE INDEX cards_memory ON cards (stability, difficulty) WHERE stability > 0;
