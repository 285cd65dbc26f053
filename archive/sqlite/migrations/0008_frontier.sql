-- The crawl frontier (issue 7): the URLs a running crawl has seen and the
-- ones waiting for their first fetch, kept here instead of in memory so a
-- crawl of 100,000 pages needs no more memory than one of 10,000.
--
-- Rows belong to one crawl and are deleted when it ends. A crawl renews
-- its lease (renewed_at) every minute; the rows of a crawl whose lease has
-- lapsed (its process was killed) are deleted by the next crawl to start.
-- Nothing else in the archive refers to these tables.

CREATE TABLE frontier_crawls (
    id         INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: a reaped crawl's id stays dead
    started_at TEXT NOT NULL,
    renewed_at TEXT NOT NULL
) STRICT;

CREATE INDEX frontier_crawls_renewed ON frontier_crawls (renewed_at);

-- The seen set: normalised URLs (and other keys) queued or fetched.
CREATE TABLE frontier_seen (
    crawl INTEGER NOT NULL,
    key   TEXT    NOT NULL,
    PRIMARY KEY (crawl, key)
) STRICT, WITHOUT ROWID;

-- Per-host FIFO queues of first attempts; item is the scraper's encoding
-- of one job. id orders each queue: AUTOINCREMENT so that an id is never
-- reused, even after other crawls' rows at the top are deleted.
CREATE TABLE frontier_queue (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    crawl INTEGER NOT NULL,
    queue TEXT    NOT NULL,
    item  BLOB    NOT NULL
) STRICT;

CREATE INDEX frontier_queue_order ON frontier_queue (crawl, queue, id);
