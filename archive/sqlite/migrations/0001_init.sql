-- The first schema: articles, their versions, and the captures (raw fetches)
-- each version was extracted from.
--
-- Conventions, kept by every later migration:
--   * our own times (fetched_at, *_seen_at, ...) are UTC RFC 3339 with a
--     fixed nine-digit fraction, so text order is time order and they compare
--     as strings;
--   * "not found on the page" is '' for text, never NULL, except the *_utc
--     filter columns, which are NULL when the publisher gave no time;
--   * integer primary keys, so FTS5 external-content tables and later
--     provenance / run tables can point at rows by rowid.

-- One HTTP fetch, raw body included, so an article can be re-extracted from
-- exactly the bytes it came from (and later exported as WARC). Only fetches
-- that produced a new version are kept.
CREATE TABLE captures (
    id             INTEGER PRIMARY KEY,
    url            TEXT    NOT NULL,
    final_url      TEXT    NOT NULL,
    status         INTEGER NOT NULL,
    fetched_at     TEXT    NOT NULL,
    etag           TEXT    NOT NULL,
    last_modified  TEXT    NOT NULL,
    content_type   TEXT    NOT NULL,
    charset        TEXT    NOT NULL,
    charset_source TEXT    NOT NULL,
    body_sha256    TEXT    NOT NULL, -- hex SHA-256 of the raw body, checked on read
    raw_size       INTEGER NOT NULL CHECK (raw_size >= 0),
    body_zstd      BLOB    NOT NULL  -- the raw body, one zstd frame ('' when empty)
) STRICT;

-- One row per archived article, keyed by Article.Key(). It carries what
-- the next fetch needs without touching versions: the latest version number
-- and the validators of the last fetch, changed or not, for conditional GETs.
CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    key             TEXT    NOT NULL UNIQUE,
    site            TEXT    NOT NULL,
    first_seen_at   TEXT    NOT NULL,
    latest_version  INTEGER NOT NULL CHECK (latest_version >= 1),
    etag            TEXT    NOT NULL,
    last_modified   TEXT    NOT NULL,
    last_fetched_at TEXT    NOT NULL
) STRICT;

-- Export by site walks this index in key order.
CREATE INDEX articles_site_key ON articles (site, key);

-- Every distinct content an article has had, oldest first (version 1..).
-- A version is never updated except for last_confirmed_at. Small columns
-- come first and text last: SQLite reads a row's columns in order, so
-- reading fingerprint or published_utc never walks text's overflow pages.
CREATE TABLE versions (
    id                INTEGER PRIMARY KEY,
    article_id        INTEGER NOT NULL REFERENCES articles (id),
    version           INTEGER NOT NULL CHECK (version >= 1),
    capture_id        INTEGER NOT NULL REFERENCES captures (id),
    fingerprint       TEXT    NOT NULL, -- Article.Fingerprint(): decides Unchanged vs Updated
    content_sha256    TEXT    NOT NULL, -- archive.TextSHA256(text)
    first_seen_at     TEXT    NOT NULL,
    last_confirmed_at TEXT    NOT NULL,
    published_at      TEXT    NOT NULL, -- RFC 3339 with the publisher's offset
    published_utc     TEXT,             -- the same instant in our UTC format, for filtering
    modified_at       TEXT    NOT NULL,
    modified_utc      TEXT,
    url               TEXT    NOT NULL,
    canonical_url     TEXT    NOT NULL,
    site              TEXT    NOT NULL,
    language          TEXT    NOT NULL,
    title             TEXT    NOT NULL,
    authors           TEXT    NOT NULL CHECK (json_valid(authors)), -- JSON array of strings
    tags              TEXT    NOT NULL CHECK (json_valid(tags)),
    image_url         TEXT    NOT NULL,
    description       TEXT    NOT NULL,
    text              TEXT    NOT NULL,
    UNIQUE (article_id, version)
) STRICT;

-- Foreign keys are checked on delete of a capture; without an index that
-- would scan versions.
CREATE INDEX versions_capture ON versions (capture_id);
