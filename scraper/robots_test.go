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

func TestRobotsRules(t *testing.T) {
	for _, tc := range []struct {
		name, txt string
		allowed   map[string]bool
	}{
		{"longest match wins, allow wins a tie", "User-agent: *\nDisallow: /a\nAllow: /a/b\nDisallow: /a/b/c\nAllow: /x\nDisallow: /x\n",
			map[string]bool{"/a": false, "/a/b": true, "/a/b/c/d": false, "/x": true, "/b": true}},
		{"wildcards", "User-agent: *\nDisallow: /*.pdf$\nDisallow: /*/print\nAllow: /$\nDisallow: /\n",
			map[string]bool{"/": true, "/doc.pdf": false, "/doc.pdf?x": false, "/news/print/1": false, "/news": false}},
		{"wildcards anchor at the start", "User-agent: *\nDisallow: /a*b\n",
			map[string]bool{"/axxb": false, "/x/a/b": true}},
		{"percent-encoding", "User-agent: *\nDisallow: /новости\nDisallow: /a%2fb\n",
			map[string]bool{"/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/1": false, "/a%2Fb": false}},
		{"our token with a version", "User-agent: *\nDisallow: /\n\nUser-agent: NewsVault/0.1\nDisallow: /private\n",
			map[string]bool{"/": true, "/private": false}},
		{"an agent that is a prefix of ours is not ours", "User-agent: news\nDisallow: /\n",
			map[string]bool{"/": true}},
		{"groups for us are merged", "User-agent: newsvault\nDisallow: /a\n\nUser-agent: other\nUser-agent: newsvault\nDisallow: /b\n",
			map[string]bool{"/a": false, "/b": false, "/c": true}},
		{"empty disallow", "User-agent: *\nDisallow:\n", map[string]bool{"/": true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := parseRobots([]byte(tc.txt))
			for p, want := range tc.allowed {
				u, err := url.Parse("http://example.com" + p)
				if err != nil {
					t.Fatal(err)
				}
				if got := r.allowed(u); got != want {
					t.Errorf("%s allowed = %v, want %v", p, got, want)
				}
			}
		})
	}
	if d := parseRobots([]byte("User-agent: *\nCrawl-delay: 1e300\n")).crawlDelay; d != maxCrawlDelaySeconds*time.Second {
		t.Errorf("Crawl-delay 1e300 = %s, want the bound %ds", d, int(maxCrawlDelaySeconds))
	}
}

// FuzzParseRobots: any body parses, and matching any path against the
// rules never panics.
func FuzzParseRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /private\nAllow: /*.html$\nCrawl-delay: 2\n"), "/private/x.html")
	f.Add([]byte("Disallow /x\nuser-agent:newsvault\r\ndisallow:/*a*b*$\n"), "/aab")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		r := parseRobots(body)
		if r.status != RobotsOK || r.crawlDelay < 0 {
			t.Fatalf("rules %+v", r)
		}
		r.match(path)
	})
}
