-- The fetch log (issue 5): every URL a crawl did not turn into an article,
-- with why, so failures are kept and not only logged. Rows are only ever
-- inserted.
--
-- run_id is NULL for a "newsvault crawl", which runs outside a recorded
-- run. The body columns describe the raw body the crawler handed over:
-- raw_size and body_sha256 are NULL when there was none; body_zstd (one
-- zstd frame, '' for an empty body) is NULL when it was not kept: only
-- parse_failed and no_article bodies of at most archive.MaxLoggedBody bytes
-- are, so a hostile server cannot bloat the archive.
CREATE TABLE fetch_log (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER REFERENCES runs (id),
    at          TEXT    NOT NULL,
    url         TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    error       TEXT    NOT NULL, -- '' when the reason says it all
    raw_size    INTEGER CHECK (raw_size >= 0),
    body_sha256 TEXT,
    body_zstd   BLOB,
    CHECK ((raw_size IS NULL) = (body_sha256 IS NULL)),
    CHECK (body_zstd IS NULL OR raw_size IS NOT NULL)
) STRICT;

-- "newsvault failures RUN" reads one run's rows in id order: the index
-- holds the rowid after run_id, so it gives that order too. It also spares
-- the foreign key a scan should runs ever be deleted.
CREATE INDEX fetch_log_run ON fetch_log (run_id);
