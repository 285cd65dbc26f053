-- Scheduled, incremental runs (issue 4): the change cursor, lookups by the
-- URL a crawler is about to fetch, and the log of runs.

-- The change cursor is versions.id. It is the rowid, which SQLite assigns as
-- max(rowid) + 1 inside the write transaction; the write lock is held from
-- BEGIN IMMEDIATE to COMMIT, by one connection of one process at a time, so
-- ids become visible in exactly commit order and every reader's snapshot
-- holds a prefix of them: a cursor never passes an id that a later commit
-- fills in. New articles and new versions insert a row, confirmations only
-- update one, so they never move the cursor.
--
-- That holds only while the newest row is never deleted (SQLite would hand
-- its id out again), so versions are made undeletable. A migration that
-- wants to prune versions must first move the cursor to a sequence of its own.
CREATE TRIGGER versions_never_deleted BEFORE DELETE ON versions
BEGIN
    SELECT RAISE(ABORT, 'versions are never deleted: the change cursor relies on it');
END;

-- Every URL that led to an article: the URL it was fetched from, where that
-- redirected to, the URL the page gave itself, and the article's key. The
-- crawler only knows the URL it is about to fetch, so conditional GETs and
-- 304 confirmations find their article here. A URL points at the article the
-- newest fetch of it gave; fetched_at is that fetch's time, so a fetch saved
-- late (another process) does not point the URL back at an older article.
--
-- WITHOUT ROWID: the table is only ever looked up by url, and nothing points
-- at its rows. No index on article_id: articles are never deleted, so the
-- foreign key is never checked from that side.
CREATE TABLE urls (
    url        TEXT    NOT NULL PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id),
    fetched_at TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

-- Backfill from what 0001 kept: keys, and the URLs of the captures and
-- versions. URLs seen only by unchanged refetches were never stored and
-- cannot be recovered; their next fetch records them. Rows go in fetch
-- order, so a URL ends up at the article its newest known fetch gave. (An
-- upsert's SELECT needs a WHERE clause: SQLite would read ON as a join's.)
INSERT INTO urls (url, article_id, fetched_at)
SELECT url, article_id, fetched_at FROM (
    SELECT key AS url, id AS article_id, last_fetched_at AS fetched_at FROM articles
    UNION ALL
    SELECT c.url, v.article_id, c.fetched_at FROM versions v JOIN captures c ON c.id = v.capture_id
    UNION ALL
    SELECT c.final_url, v.article_id, c.fetched_at FROM versions v JOIN captures c ON c.id = v.capture_id
    UNION ALL
    SELECT v.url, v.article_id, c.fetched_at FROM versions v JOIN captures c ON c.id = v.capture_id
)
WHERE url != ''
ORDER BY fetched_at
ON CONFLICT (url) DO UPDATE SET article_id = excluded.article_id, fetched_at = excluded.fetched_at
    WHERE excluded.fetched_at >= urls.fetched_at;

-- One scheduled run. ended_at is '' while the run is under way, and stays
-- so if its process died.
CREATE TABLE runs (
    id         INTEGER PRIMARY KEY,
    started_at TEXT    NOT NULL,
    ended_at   TEXT    NOT NULL,
    exit_code  INTEGER NOT NULL
) STRICT;

-- "newsvault runs" lists the newest first.
CREATE INDEX runs_started ON runs (started_at);

-- What one run did on one site: archive.SiteRun, column for field.
CREATE TABLE run_sites (
    run_id          INTEGER NOT NULL REFERENCES runs (id),
    site            TEXT    NOT NULL,
    fetched         INTEGER NOT NULL,
    not_modified    INTEGER NOT NULL,
    new             INTEGER NOT NULL,
    updated         INTEGER NOT NULL,
    unchanged       INTEGER NOT NULL,
    fresh           INTEGER NOT NULL,
    skipped         INTEGER NOT NULL,
    failed          INTEGER NOT NULL,
    deferred        INTEGER NOT NULL,
    extracted       INTEGER NOT NULL,
    empty_text      INTEGER NOT NULL,
    no_title        INTEGER NOT NULL,
    no_date         INTEGER NOT NULL,
    median_text_len INTEGER NOT NULL,
    error           TEXT    NOT NULL, -- '' when the site did not fail as a whole
    PRIMARY KEY (run_id, site)
) STRICT, WITHOUT ROWID;
