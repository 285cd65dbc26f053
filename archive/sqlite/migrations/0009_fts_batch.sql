-- The full-text index is filled by the save path, once per transaction for
-- all the versions it added (see indexVersions in archive/sqlite/fts.go),
-- no longer by a trigger per row: FTS5 writes its pending terms to disk at
-- every statement that follows an indexed insert in a transaction, so a
-- trigger made one index segment, and one flush, per article.
DROP TRIGGER versions_fts_insert;
