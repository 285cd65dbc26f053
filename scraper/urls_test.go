package scraper

import (
	"net/url"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	base, _ := url.Parse("https://www.Example.com/news/today.html")
	for _, tc := range []struct{ in, want string }{
		{"HTTP://Example.COM:80/a?b=1#frag", "http://example.com/a?b=1"},
		{"https://example.com:443", "https://example.com/"},
		{"https://example.com:8443/x", "https://example.com:8443/x"},
		{"story.html?utm_source=x&id=7&fbclid=abc&gclid=1&UTM_Medium=y", "https://www.example.com/news/story.html?id=7"},
		{"../sport/./match.html", "https://www.example.com/sport/match.html"},
		{"//cdn.example.com/p", "https://cdn.example.com/p"},
		{"https://user:pw@example.com/p", "https://example.com/p"},
		{"?page=2", "https://www.example.com/news/today.html?page=2"},
		{"https://example.com/a?", "https://example.com/a"},
	} {
		got, err := normalizeURL(base, tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got.String() != tc.want {
			t.Errorf("%q -> %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"mailto:a@b.c", "javascript:void(0)", "ftp://example.com/", "data:text/html,hi", "file:///etc/passwd", "http:opaque"} {
		if u, err := normalizeURL(base, bad); err == nil {
			t.Errorf("%q accepted as %s", bad, u)
		}
	}
}

func TestSiteKey(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"https://www.example.com/", "http://example.com/x"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/y"},
	} {
		ua, _ := normalizeURL(nil, tc.a)
		ub, _ := normalizeURL(nil, tc.b)
		if siteKey(ua) != siteKey(ub) {
			t.Errorf("%s and %s are different sites: %s, %s", tc.a, tc.b, siteKey(ua), siteKey(ub))
		}
	}
	a, _ := normalizeURL(nil, "http://127.0.0.1:8080/")
	b, _ := normalizeURL(nil, "http://127.0.0.1:8081/")
	if siteKey(a) == siteKey(b) {
		t.Error("different ports are one site")
	}
}
