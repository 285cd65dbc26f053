package archive

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when the archive has no article for a URL.
var ErrNotFound = errors.New("not found")

// Outcome says what saving an article did to the archive.
type Outcome int

const (
	// New: the first version of an article the archive did not know.
	New Outcome = iota + 1
	// Updated: the page changed; a new version was added and the old kept.
	Updated
	// Unchanged: the same content as the latest version; only its
	// last-confirmed time moved.
	Unchanged
)

func (o Outcome) String() string {
	switch o {
	case New:
		return "new"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
	}
	return "unknown"
}

// Saved reports the result of Store.Save.
type Saved struct {
	Outcome Outcome
	Version int // the article's latest version after the save
}

// Filter selects articles for export. Zero fields select everything.
// Since and Until compare with PublishedAt, or FetchedAt when the article
// has no publication time; Since is inclusive, Until exclusive.
type Filter struct {
	Site  string
	Since time.Time
	Until time.Time
	// After, when non-zero, selects only articles first archived or given a
	// new version after this cursor.
	After Cursor
}

// Store keeps articles with all their versions and the captures they came from.
type Store interface {
	// Save archives a under a.Key() together with the capture it was
	// extracted from, in one transaction: a new article, a new version when
	// its content differs from the latest one, or nothing but a confirmation
	// when it does not. Save fills nothing in a; the stored version is
	// reported in Saved.
	Save(ctx context.Context, c *Capture, a *Article) (Saved, error)
	// Latest returns the latest version of the article archived under key,
	// or ErrNotFound.
	Latest(ctx context.Context, key string) (Article, error)
	// Articles calls fn with the latest version of every article that f
	// selects, ordered by key, stopping at the first error fn returns.
	Articles(ctx context.Context, f Filter, fn func(*Article) error) error
	Close() error
}

// Changes is the incremental side of a Store, for downstream consumers
// and for incremental crawls.
type Changes interface {
	// ArticlesAfter is Articles restricted to f.After and returns the cursor
	// to pass next time: the position of the latest change the call saw, or
	// f.After when there was none.
	ArticlesAfter(ctx context.Context, f Filter, fn func(*Article) error) (Cursor, error)
	// Seen returns the validators of the last fetch of url, which may be
	// the URL an article was fetched from (before or after redirects) or its
	// key; ErrNotFound when the URL never gave an article.
	Seen(ctx context.Context, url string) (Validators, error)
	// Confirm records that url was fetched at v.FetchedAt and answered 304
	// Not Modified: the article's latest version is confirmed, its
	// validators updated, and no version is added.
	Confirm(ctx context.Context, url string, v Validators) error
}

// RunLog records archival runs.
type RunLog interface {
	// BeginRun records a run as started and returns its ID.
	BeginRun(ctx context.Context, startedAt time.Time) (int64, error)
	// EndRun stores the finished run r (r.ID from BeginRun).
	EndRun(ctx context.Context, r *Run) error
	// Runs returns the latest runs, newest first, at most limit (0 = all).
	Runs(ctx context.Context, limit int) ([]Run, error)
}
