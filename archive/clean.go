package archive

import "strings"

// CleanString makes s storable and exportable as is: invalid UTF-8 becomes
// U+FFFD and NUL bytes are dropped (SQLite's C string functions and many
// JSON consumers stop at a NUL; a page never means one).
func CleanString(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return s
}

// Cleaned returns a copy of a with every string CleanString'd. A Store
// saves the cleaned copy, so whatever path an article took (a crawl, an
// offline extract, a test), every stored string is valid UTF-8 without NUL.
func (a *Article) Cleaned() Article {
	c := *a
	for _, s := range []*string{&c.URL, &c.CanonicalURL, &c.Site, &c.Title, &c.Language,
		&c.Description, &c.Text, &c.ImageURL, &c.ContentSHA256} {
		*s = CleanString(*s)
	}
	c.Authors = cleanList(a.Authors)
	c.Tags = cleanList(a.Tags)
	return c
}

func cleanList(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = CleanString(s)
	}
	return out
}
