-- Cadence schema 9: a fired reminder remembers its group (the stages of one thing: 90, 30, 7 days
-- before one expiry), so a newer stage replaces the older one still open in the inbox instead of
-- sitting beside it. Reminders fired before this version get their group from their key.
ALTER TABLE reminders ADD COLUMN group_key TEXT;

-- cert:<id>:expiry:<YYYY-MM-DD>:<stage>  ->  cert:<id>:expiry:<YYYY-MM-DD>
UPDATE reminders SET group_key = substr(key, 1, instr(key, ':expiry:') + 17)
WHERE source = 'certifications' AND instr(key, ':expiry:') > 0;
-- cert:<id>:pace:<YYYY-MM-DD>:<YYYY-MM>  ->  cert:<id>:pace:<YYYY-MM-DD>
UPDATE reminders SET group_key = substr(key, 1, instr(key, ':pace:') + 15)
WHERE source = 'certifications' AND instr(key, ':pace:') > 0;

CREATE INDEX reminders_group ON reminders (source, group_key) WHERE group_key IS NOT NULL;
