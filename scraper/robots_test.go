package scraper

import (
	"net/url"
	"testing"
	"time"
)

func TestParseRobots(t *testing.T) {
	const txt = `# comment
Disallow: /before-any-agent
User-agent: *
Disallow: /private
Crawl-delay: soon

User-agent: newsvault
Disallow: /no-newsvault
Allow: /no-newsvault/but-this
Crawl-delay: 2.5
`
	r := parseRobots([]byte(txt))
	if r.denyAll || r.allowAll {
		t.Fatalf("rules %+v", r)
	}
	if r.crawlDelay != 2500*time.Millisecond {
		t.Errorf("crawl-delay %s", r.crawlDelay)
	}
	for path, want := range map[string]bool{
		"/":                         true,
		"/private":                  true, // our own group replaces "*"
		"/no-newsvault/x":           false,
		"/no-newsvault/but-this/1":  true,
		"/before-any-agent":         true,
		"/no-newsvault?q=1":         false,
		"/news/2024/story.html?x=1": true,
	} {
		u, _ := url.Parse("http://example.com" + path)
		if got := r.allowed(u); got != want {
			t.Errorf("%s allowed = %v, want %v", path, got, want)
		}
	}
	star := parseRobots([]byte("User-agent: *\nDisallow: /private\n"))
	u, _ := url.Parse("http://example.com/private/a")
	if star.allowed(u) {
		t.Error("the * group does not apply")
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"-5", 0, true},
		{now.Add(2 * time.Second).Format(timeFormatHTTP), 2 * time.Second, true},
		{now.Add(-time.Hour).Format(timeFormatHTTP), 0, true},
		{"", 0, false},
		{"soon", 0, false},
	} {
		got, ok := retryAfter(tc.v, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %s, %v; want %s, %v", tc.v, got, ok, tc.want, tc.ok)
		}
	}
}

const timeFormatHTTP = "Mon, 02 Jan 2006 15:04:05 GMT"
