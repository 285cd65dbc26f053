package archive

import (
	"context"
	"errors"
)

// Cause says why a version was added to the archive.
type Cause string

const (
	// CauseFetch: a crawl fetched the page and its content had changed.
	CauseFetch Cause = "fetch"
	// CauseReextract: the page was not fetched again; the current
	// extractor, run over a stored capture, gave another result. The
	// version points at that capture.
	CauseReextract Cause = "reextract"
	// CauseImport: the version came from an imported archive (WARC).
	CauseImport Cause = "import"
)

// GenericProfile is Provenance.Profile when no site profile applied.
const GenericProfile = "generic"

// Provenance records how one version of an article was made: by which
// newsvault, with which site profile, which rule gave each field, and from
// which bytes. The zero value means "not recorded" (versions archived
// before provenance was kept); an empty rule means no rule found the field.
type Provenance struct {
	Cause       Cause  // "" reads as CauseFetch
	Newsvault   string // release version plus VCS revision, e.g. "0.1.0-dev (3f2a9c1d0e4b)"
	Profile     string // the site profile's name, GenericProfile when none applied
	ProfileHash string // hex SHA-256 of the profile's definition, "" for the generic rules

	// The rule that produced each field, e.g. "profile:title", "og:title",
	// "json-ld:headline", "<title>", "h1"; "json-ld:datePublished",
	// "meta:article:published_time", "time[datetime]", "dateline";
	// "json-ld:author", "meta:author", "byline".
	Title     string
	Published string
	Modified  string
	Authors   string

	// From the capture the version was extracted from, filled in by the
	// archive when it reads a version back; what a Save is given is ignored.
	BodySHA256    string // hex SHA-256 of the raw body
	Charset       string // the encoding the body was decoded with
	CharsetSource string // "header", "meta", "bom", "sniffed" or "default"
}

// ProvenanceSaver is a Store that also records how each version was made.
// It is optional: a crawl hands provenance to a Store that implements it
// and calls Save on any other.
type ProvenanceSaver interface {
	// SaveWithProvenance is Store.Save that records p (nil: nothing is
	// known, as with Save) with the version it adds.
	SaveWithProvenance(ctx context.Context, c *Capture, a *Article, p *Provenance) (Saved, error)
}

// ErrStale is returned when a re-extraction was computed from a version
// that is no longer the article's latest: a crawl saved a newer one
// meanwhile. The article needs nothing: the newer version is the truth.
var ErrStale = errors.New("article changed since it was read")
