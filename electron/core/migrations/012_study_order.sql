-- Cadence schema 10: the study options Anki users expect (sibling burying, the order new cards and
-- reviews come in, whether a parent's limits count when a subdeck is studied), today-only limit
-- increases and custom study sessions.

-- Burying: answering a card hides its other new / review / interday learning cards until the next
-- study day. Anki's options, new and review on (Anki's defaults for a new preset are the same idea:
-- one card of a note per day).
ALTER TABLE presets ADD COLUMN bury_new INTEGER NOT NULL DEFAULT 1 CHECK (bury_new IN (0, 1));
ALTER TABLE presets ADD COLUMN bury_review INTEGER NOT NULL DEFAULT 1 CHECK (bury_review IN (0, 1));
ALTER TABLE presets ADD COLUMN bury_interday INTEGER NOT NULL DEFAULT 0 CHECK (bury_interday IN (0, 1));
-- "Limits start from the top": when a subdeck is studied, the limits of the decks above it count too.
-- On, so a parent's "20 new a day" is 20 whichever of its subdecks they come from.
ALTER TABLE presets ADD COLUMN limits_from_top INTEGER NOT NULL DEFAULT 1 CHECK (limits_from_top IN (0, 1));
-- Display order (taken from the deck being studied, as in Anki). New cards are gathered from random
-- notes by default, so a newcomer's first day mixes the subdecks of a deck instead of emptying the first.
ALTER TABLE presets ADD COLUMN new_gather_order TEXT NOT NULL DEFAULT 'random_notes'
  CHECK (new_gather_order IN ('deck', 'deck_random_notes', 'ascending', 'descending', 'random_notes', 'random_cards'));
ALTER TABLE presets ADD COLUMN new_sort_order TEXT NOT NULL DEFAULT 'type_then_gathered'
  CHECK (new_sort_order IN ('type_then_gathered', 'gathered', 'type_then_random', 'random_note_then_type', 'random'));
ALTER TABLE presets ADD COLUMN review_sort_order TEXT NOT NULL DEFAULT 'due_random'
  CHECK (review_sort_order IN ('due_random', 'due_deck', 'deck_due', 'interval_asc', 'interval_desc', 'retrievability_asc', 'random'));

-- Custom study "increase today's limit": extra new / review cards for one deck on one study day.
CREATE TABLE deck_limit_extensions (
  deck_id      INTEGER NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
  day          INTEGER NOT NULL,               -- study day number (shared/studyDay.ts)
  extra_new    INTEGER NOT NULL DEFAULT 0 CHECK (extra_new BETWEEN 0 AND 9999),
  extra_review INTEGER NOT NULL DEFAULT 0 CHECK (extra_review BETWEEN 0 AND 99999),
  PRIMARY KEY (deck_id, day)
) WITHOUT ROWID;

-- A custom study session: cards picked by a rule from a deck tree, studied apart from the normal queue.
-- Cards never leave their decks, so ending a session puts nothing back but the session itself.
-- reschedule = 0: answers change nothing (preview); 1: answers schedule the card as usual.
CREATE TABLE custom_sessions (
  id          INTEGER PRIMARY KEY,
  deck_id     INTEGER NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('forgotten', 'ahead', 'preview', 'tag_state')),
  title       TEXT NOT NULL,
  reschedule  INTEGER NOT NULL CHECK (reschedule IN (0, 1)),
  created_at  INTEGER NOT NULL
);
-- The session's cards in the order they are shown. due: when the card may be shown (again): a card
-- answered Again without rescheduling comes back after a short delay. done = 1 once it left the session.
CREATE TABLE custom_session_cards (
  session_id INTEGER NOT NULL REFERENCES custom_sessions(id) ON DELETE CASCADE,
  card_id    INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  due        INTEGER NOT NULL DEFAULT 0,
  done       INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
  PRIMARY KEY (session_id, card_id)
) WITHOUT ROWID;
CREATE INDEX custom_session_cards_card ON custom_session_cards (card_id);

-- Flags, as in Anki: 0 none, 1 red, 2 orange, 3 green, 4 blue, 5 pink, 6 turquoise, 7 purple.
ALTER TABLE cards ADD COLUMN flag INTEGER NOT NULL DEFAULT 0 CHECK (flag BETWEEN 0 AND 7);

-- Anki's stock "Basic (type in the answer)": the question asks for the back typed in, and the answer
-- side compares what was typed with it ({{type:Back}}).
INSERT INTO note_types (name, kind, fields, templates, css, source_key, created_at, updated_at) VALUES (
  'Basic (type in the answer)', 'custom', '["Front","Back"]',
  '[{"name":"Card 1","front":"{{Front}}\n\n{{type:Back}}","back":"{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}"}]',
  '', 'cadence:basic-type-answer', 0, 0
);
