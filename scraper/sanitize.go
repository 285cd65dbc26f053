package scraper

import (
	"strings"
	"unicode/utf8"

	"github.com/newsvault/newsvault/archive"
)

// sanitizeArticle makes every string of a storable: valid UTF-8 (invalid
// bytes become U+FFFD), and free of NUL, the other C0 and C1 controls but
// tab and newline, and the noncharacters U+FFFE and U+FFFF, which strict
// JSON and XML consumers of an export reject or mangle. Hostile pages
// carry all of these; the raw body is archived as received regardless.
func sanitizeArticle(a *archive.Article) {
	for _, s := range []*string{&a.URL, &a.CanonicalURL, &a.Site, &a.Title, &a.Language,
		&a.Description, &a.Text, &a.ImageURL} {
		*s = cleanString(*s)
	}
	for _, list := range [][]string{a.Authors, a.Tags} {
		for i := range list {
			list[i] = cleanString(list[i])
		}
	}
}

func cleanString(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, badRune) < 0 {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case badRune(r):
			return -1
		}
		return r
	}, s)
}

func badRune(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' || r >= 0x7F && r < 0xA0 || r == 0xFFFE || r == 0xFFFF
}
