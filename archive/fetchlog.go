package archive

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Reasons a FetchLog keeps raw bodies for. They are the names the crawler
// gives its outcomes (scraper.Reason's String); archive spells them out
// because it imports nothing of ours.
const (
	// ReasonParseFailed: the page could not be decoded, parsed or
	// extracted; a later release may manage with the bytes kept.
	ReasonParseFailed = "parse_failed"
	// ReasonNoArticle: the page was fetched but gave no article (a cookie
	// wall, a paywall stub, a soft 404, a section page).
	ReasonNoArticle = "no_article"
)

// Bounds on what one fetch-log entry stores, so that a hostile server
// cannot bloat the archive through its failures.
const (
	// MaxLoggedBody is the largest raw body a FetchLog keeps (before
	// compression). A larger one is not kept at all, never truncated; its
	// size and hash still are.
	MaxLoggedBody = 2 << 20
	// MaxLoggedURL and MaxLoggedError bound the text of an entry's URL and
	// Error, in bytes; longer text is cut at a rune boundary and ends in "…".
	MaxLoggedURL   = 8 << 10
	MaxLoggedError = 16 << 10
)

// KeepsBody reports whether a FetchLog keeps the raw body of an entry with
// this reason (parse_failed and no_article). Bodies of other failures are
// either absent (a refused, too-large or non-HTML response) or of no use.
func KeepsBody(reason string) bool {
	return reason == ReasonParseFailed || reason == ReasonNoArticle
}

// FetchLogEntry is one URL a crawl did not turn into an article: why, and
// for the pages worth parsing again, the raw body as served.
type FetchLogEntry struct {
	ID     int64     // assigned by the FetchLog; 0 before LogFetch
	RunID  int64     // the run it belongs to; 0 for a crawl outside a run
	URL    string    // as requested
	Reason string    // the crawler's reason, e.g. "fetch_failed", "parse_failed"
	Status int       // HTTP status of the last attempt; 0 when there was no response
	Error  string    // why, already redacted of secrets; "" when the reason says it all
	At     time.Time // when it happened; zero = the FetchLog's clock

	// Body is the raw body, as received. LogFetch keeps it only when
	// KeepsBody(Reason) and it is at most MaxLoggedBody bytes; entries read
	// back have it only then (nil otherwise).
	Body []byte
	// BodySize and BodySHA256 (hex) describe the body given to LogFetch,
	// kept or not; 0 and "" when none was given. Set by the FetchLog.
	BodySize   int64
	BodySHA256 string
}

// Cleaned returns a copy of e with its text storable (CleanString) and
// bounded (MaxLoggedURL, MaxLoggedError). Body is shared, not copied.
func (e *FetchLogEntry) Cleaned() FetchLogEntry {
	c := *e
	c.URL = truncate(CleanString(c.URL), MaxLoggedURL)
	c.Reason = truncate(CleanString(c.Reason), 64)
	c.Error = truncate(CleanString(c.Error), MaxLoggedError)
	return c
}

// truncate cuts s to at most n bytes, at a rune boundary, marking the cut.
func truncate(s string, n int) string {
	const mark = "…"
	if len(s) <= n {
		return s
	}
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.Clone(s[:cut]) + mark
}

// FetchLog records the URLs crawls could not archive, so failures are
// kept, not only logged.
type FetchLog interface {
	// LogFetch records e (cleaned, see FetchLogEntry.Cleaned) and sets
	// e.ID. A non-zero e.RunID must name a recorded run.
	LogFetch(ctx context.Context, e *FetchLogEntry) error
	// FetchLog returns the entries of run runID (0: those logged outside a
	// run) in the order they were logged, at most limit (0 = all).
	FetchLog(ctx context.Context, runID int64, limit int) ([]FetchLogEntry, error)
}
