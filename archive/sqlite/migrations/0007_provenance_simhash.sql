-- Provenance and near-duplicates (issue 6): why each version exists, how
-- it was extracted, and the SimHash of its text so syndicated copies of one
-- story on several sites can be linked (never merged).
--
-- backfillSimHashes (simhash.go) is this migration's Go step: it hashes the
-- text of every version archived before, so "newsvault similar" knows them.

-- Why a version was added: 'fetch' (a crawl found the page changed),
-- 'reextract' (the current extractor gave another result from a stored
-- capture: no new fetch, the version points at the capture it came from)
-- or 'import'. Every version before this migration came from a fetch. The
-- column lands after text (ALTER TABLE can only append); it is read with
-- the whole row by exports, never alone in a scan.
ALTER TABLE versions ADD COLUMN cause TEXT NOT NULL DEFAULT 'fetch'
    CHECK (cause IN ('fetch', 'reextract', 'import'));

-- How one version was extracted. Versions saved before this migration, or
-- through Save without provenance, have no row. What a capture records
-- (body_sha256, charset, charset_source) stays in captures.
CREATE TABLE provenance (
    version_id     INTEGER PRIMARY KEY REFERENCES versions (id),
    newsvault      TEXT    NOT NULL, -- release version and VCS revision
    profile        TEXT    NOT NULL, -- site profile name, 'generic' for none
    profile_hash   TEXT    NOT NULL, -- hex SHA-256 of its definition, '' for generic
    title_rule     TEXT    NOT NULL, -- e.g. 'profile:title', 'og:title'; '' when none found
    published_rule TEXT    NOT NULL,
    modified_rule  TEXT    NOT NULL,
    authors_rule   TEXT    NOT NULL
) STRICT;

-- The 64-bit SimHash (archive.SimHash) of each version's text, as a signed
-- integer; versions with an empty text have none. Two hashes at most 3 bits
-- apart (archive.NearDuplicateDistance) agree on at least one of the four
-- 16-bit bands, so one indexed equality per band finds every candidate
-- (Manku et al., WWW 2007); the distance itself is checked in Go. The bands
-- are generated from simhash, so they can never disagree with it.
CREATE TABLE simhashes (
    version_id INTEGER PRIMARY KEY REFERENCES versions (id),
    article_id INTEGER NOT NULL REFERENCES articles (id),
    simhash    INTEGER NOT NULL,
    band0      INTEGER GENERATED ALWAYS AS ((simhash >> 48) & 65535) VIRTUAL,
    band1      INTEGER GENERATED ALWAYS AS ((simhash >> 32) & 65535) VIRTUAL,
    band2      INTEGER GENERATED ALWAYS AS ((simhash >> 16) & 65535) VIRTUAL,
    band3      INTEGER GENERATED ALWAYS AS (simhash & 65535) VIRTUAL
) STRICT;

CREATE INDEX simhashes_band0 ON simhashes (band0);
CREATE INDEX simhashes_band1 ON simhashes (band1);
CREATE INDEX simhashes_band2 ON simhashes (band2);
CREATE INDEX simhashes_band3 ON simhashes (band3);
