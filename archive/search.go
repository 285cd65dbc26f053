package archive

import (
	"errors"
	"time"
)

// ErrBadQuery is returned, wrapped with the reason, for a search query
// that does not follow the query language (an unbalanced quote, an
// unknown field, nothing but excluded words).
var ErrBadQuery = errors.New("bad search query")

// Query is a full-text search. The zero value of a filter field selects
// everything.
//
// Text is words, all of which must occur (case and diacritics ignored,
// ё read as е). "two words" in double quotes is a phrase; word* a prefix;
// -word excludes; a OR b wants either; title:word or text:word limits a
// word to one field. Anything else (punctuation, SQL) is read as words.
type Query struct {
	Text  string
	Site  string
	Since time.Time // published (else fetched) at or after
	Limit int       // 0: no limit
	// AllVersions searches every version, not just each article's latest.
	AllVersions bool
	// Mark and Unmark surround matched words in Hit.Snippet.
	Mark, Unmark string
}

// Hit is one search result, best first.
type Hit struct {
	Key     string
	Article Article // without Text, to keep results small
	Snippet string  // a few words of the text around the matches, marked
	Rank    float64 // bm25: lower is better
}
