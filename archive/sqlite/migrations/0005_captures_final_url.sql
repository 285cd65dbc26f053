-- An import asks whether a fetch is archived already (the same final URL,
-- fetch time and body); without an index that scans every capture.
CREATE INDEX captures_final_url ON captures (final_url, fetched_at);
