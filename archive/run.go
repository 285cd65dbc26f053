package archive

import "time"

// Run is one pass of a scheduled archival run over its sites, as recorded
// for "newsvault runs" and "newsvault health".
type Run struct {
	ID        int64
	StartedAt time.Time
	EndedAt   time.Time // zero while the run is under way (or if it died)
	ExitCode  int       // the process exit code the run ended with
	Sites     []SiteRun
}

// SiteRun is what one run did on one site.
type SiteRun struct {
	Site string // the site's name in the config

	Fetched     int // pages fetched (200 or 304)
	NotModified int // 304 answers to conditional GETs: confirmations at no cost
	New         int // articles archived for the first time
	Updated     int // articles given a new version
	Unchanged   int // articles refetched with the same content
	Fresh       int // known articles not refetched: within the revisit interval, or older than the sitemap says
	Skipped     int // pages that are not articles
	Failed      int // fetch, extraction or save errors
	Deferred    int // URLs left for a later run (robots Crawl-delay or Retry-After over the cap)

	// Extraction health over the article pages extracted in this run: a
	// site redesign shows up here before anyone reads the archive.
	Extracted     int // article pages extracted (New + Updated + Unchanged)
	EmptyText     int // of those, with an empty body
	NoTitle       int
	NoDate        int // no published_at
	MedianTextLen int // median body length in characters

	Error string // why the site failed as a whole ("" when it did not)
}

// FailedWhole reports whether the site failed as a whole: nothing could be
// fetched, or a fatal error stopped it.
func (s *SiteRun) FailedWhole() bool { return s.Error != "" }
