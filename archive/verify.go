package archive

import "time"

// Problem is one thing wrong in an archive, found by a verification.
type Problem struct {
	Key     string // the article's key; "" for the database as a whole
	Version int    // 0 when not about one version
	What    string
}

// SiteStats sums up one site's part of an archive.
type SiteStats struct {
	Site                          string
	Articles, Versions, Captures  int64
	RawBytes, CompressedBytes     int64 // of the captured bodies
	FirstPublished, LastPublished time.Time
	FirstFetched, LastFetched     time.Time
}
