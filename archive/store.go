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
