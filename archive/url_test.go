package archive_test

import (
	"testing"

	"github.com/newsvault/newsvault/archive"
)

func TestNormalizeURL(t *testing.T) {
	const want = "https://example.com/news/1"
	for _, in := range []string{
		want,
		"https://example.com/news/1?utm_source=tw&utm_medium=social",
		"https://example.com/news/1#comments",
		"https://example.com/news/1/",
		"http://example.com/news/1",
		"https://EXAMPLE.com/news/1",
		"HTTPS://Example.COM:443/news/1?fbclid=x&gclid=y&yclid=z&mc_cid=1&mc_eid=2",
		"http://user:pw@example.com:80/news/1//",
	} {
		if got := archive.NormalizeURL(in); got != want {
			t.Errorf("NormalizeURL(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"https://example.com":                          "https://example.com/",
		"https://example.com/?module=news&id=1&utm_x=": "https://example.com/?module=news&id=1",
		"https://example.com/en/?b=2&a=1":              "https://example.com/en?b=2&a=1",
		"https://example.com:8443/a":                   "https://example.com:8443/a",
		"https://example.com/a%2Fb/":                   "https://example.com/a%2Fb",
		"not a url":                                    "not a url",
		"ftp://example.com/a/":                         "ftp://example.com/a/",
		"":                                             "",
	} {
		if got := archive.NormalizeURL(in); got != want {
			t.Errorf("NormalizeURL(%q) = %q, want %q", in, got, want)
		}
		if got := archive.NormalizeURL(archive.NormalizeURL(in)); got != archive.NormalizeURL(in) {
			t.Errorf("NormalizeURL is not idempotent on %q: %q", in, got)
		}
	}
}

func TestCleaned(t *testing.T) {
	a := archive.Article{Title: "a\x00b\xff", Authors: []string{"\xc3"}}
	c := a.Cleaned()
	if c.Title != "ab\uFFFD" || c.Authors[0] != "\uFFFD" || a.Authors[0] != "\xc3" {
		t.Errorf("Cleaned = %q %q; original authors %q", c.Title, c.Authors, a.Authors)
	}
}
