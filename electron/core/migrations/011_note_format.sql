-- Cadence schema 13: Anki fidelity.

-- Whether a note's fields are Markdown (written in Cadence) or HTML (imported from Anki or an HTML
-- CSV). HTML is never run through Markdown: "\(x\)" would lose its backslashes and "a_{0}" turn
-- italic. Notes written before this column existed are HTML when their note type came from a file or
-- a field holds markup Markdown would not write (a tag, an entity, an Anki sound reference).
ALTER TABLE notes ADD COLUMN format TEXT NOT NULL DEFAULT 'markdown' CHECK (format IN ('markdown', 'html'));
UPDATE notes SET format = 'html'
 WHERE note_type_id IN (SELECT id FROM note_types WHERE source_key IS NOT NULL)
    OR fields GLOB '*<[A-Za-z/]*'
    OR fields GLOB '*&[A-Za-z#]*;*'
    OR fields LIKE '%[sound:%';

-- What an Anki note type carries that Cadence does not use itself but must give back on export:
-- the LaTeX header and footer (NULL: the type had none of its own) and when the file's author last
-- changed the design (epoch seconds; 0 for Cadence's own types), which decides whether a re-import
-- updates the design (only when the file's copy is newer, as Anki does).
ALTER TABLE note_types ADD COLUMN latex_pre TEXT;
ALTER TABLE note_types ADD COLUMN latex_post TEXT;
ALTER TABLE note_types ADD COLUMN source_mtime INTEGER NOT NULL DEFAULT 0;

-- Anki's ease factor (permille, 2500 = 250 %) of an imported card, written back on export so a round
-- trip through Cadence keeps it; 0 when the card has none (new cards, cards made in Cadence).
ALTER TABLE cards ADD COLUMN ease_factor INTEGER NOT NULL DEFAULT 0;
