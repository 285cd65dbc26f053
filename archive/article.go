package archive

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// Article is one cleaned news article. The zero value of any field means
// "not found on the page": nothing is ever invented to fill it.
type Article struct {
	URL          string    // the address the page was fetched from (after redirects)
	CanonicalURL string    // rel=canonical / og:url, resolved; the archive's key when set
	Site         string    // host name without "www.", e.g. "inforos.ru"
	Title        string    // without site-name or breadcrumb suffixes
	Authors      []string  // names only
	PublishedAt  time.Time // with the publisher's time zone when it gave one
	ModifiedAt   time.Time
	Language     string // BCP 47, e.g. "en", "ru"
	Description  string
	Text         string // paragraphs separated by one blank line
	Tags         []string
	ImageURL     string

	// Set by the archive, zero for articles that were never archived.
	FetchedAt     time.Time
	ContentSHA256 string // hex SHA-256 of Text
	Version       int    // 1 for the first version of an article
}

// Key is what an article is archived under: NormalizeURL of its canonical
// URL when the page names one, else of the URL it was fetched from. One
// article reached through ?utm_ links, http and https, a mixed-case host or
// an AMP page naming it canonical has one key.
func (a *Article) Key() string {
	if a.CanonicalURL != "" {
		return NormalizeURL(a.CanonicalURL)
	}
	return NormalizeURL(a.URL)
}

// TextSHA256 returns the hex SHA-256 of text, the value of ContentSHA256.
func TextSHA256(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Fingerprint hashes every field the publisher controls, so two fetches of an
// unchanged page give the same value and any edit (text, title, dates, tags,
// ...) gives another. Fetch details (URL, FetchedAt) and archive bookkeeping
// (Version, ContentSHA256) are left out, and the canonical URL counts only
// through Key: the same page reached by http and by https, or as its AMP
// copy, has one fingerprint.
func (a *Article) Fingerprint() string {
	h := sha256.New()
	// Every value is length-prefixed so that moving text between fields
	// changes the hash.
	count := func(n int) { h.Write(binary.LittleEndian.AppendUint64(nil, uint64(n))) }
	field := func(s string) {
		count(len(s))
		h.Write([]byte(s))
	}
	list := func(ss []string) {
		count(len(ss))
		for _, s := range ss {
			field(s)
		}
	}
	field(a.Key())
	field(a.Title)
	list(a.Authors)
	field(formatTime(a.PublishedAt))
	field(formatTime(a.ModifiedAt))
	field(a.Language)
	field(a.Description)
	field(a.Text)
	list(a.Tags)
	field(a.ImageURL)
	return hex.EncodeToString(h.Sum(nil))
}

// formatTime renders t as RFC 3339, keeping its zone, or "" for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
