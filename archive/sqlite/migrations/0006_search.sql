-- Full-text search over every version (issue 6): an FTS5 index of each
-- version's title and text, kept in sync by triggers and backfilled here.
--
-- The index is an external-content table: it stores only the index, and
-- reads a row's columns back from versions_fts_source (for snippet() and
-- for 'rebuild' / 'integrity-check') by versions.id, its rowid.
--
-- unicode61 folds case for Cyrillic as for Latin ("москва" finds "МОСКВА");
-- remove_diacritics 2 makes "cafe" find "café". It does not fold ё into е,
-- which Russian writes interchangeably ("ёлка" and "елка" are one word), so
-- the source view does: both spellings find both, and snippets show ё as е.
-- Search queries are folded the same way (see archive/sqlite/search.go).
CREATE VIEW versions_fts_source AS
SELECT id,
       replace(replace(title, 'ё', 'е'), 'Ё', 'Е') AS title,
       replace(replace(text, 'ё', 'е'), 'Ё', 'Е') AS text
FROM versions;

CREATE VIRTUAL TABLE versions_fts USING fts5(
    title, text,
    content = 'versions_fts_source',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Versions are only inserted (a trigger of 0002 forbids deletes) and only
-- last_confirmed_at is ever updated; the update trigger is there so a
-- correction of title or text by hand (or a later migration) cannot leave
-- the index stale. Its 'delete' must give the values that were indexed.
CREATE TRIGGER versions_fts_insert AFTER INSERT ON versions
BEGIN
    INSERT INTO versions_fts (rowid, title, text) VALUES (new.id,
        replace(replace(new.title, 'ё', 'е'), 'Ё', 'Е'),
        replace(replace(new.text, 'ё', 'е'), 'Ё', 'Е'));
END;

CREATE TRIGGER versions_fts_update AFTER UPDATE OF title, text ON versions
BEGIN
    INSERT INTO versions_fts (versions_fts, rowid, title, text) VALUES ('delete', old.id,
        replace(replace(old.title, 'ё', 'е'), 'Ё', 'Е'),
        replace(replace(old.text, 'ё', 'е'), 'Ё', 'Е'));
    INSERT INTO versions_fts (rowid, title, text) VALUES (new.id,
        replace(replace(new.title, 'ё', 'е'), 'Ё', 'Е'),
        replace(replace(new.text, 'ё', 'е'), 'Ё', 'Е'));
END;

INSERT INTO versions_fts (versions_fts) VALUES ('rebuild');
