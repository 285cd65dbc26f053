package scraper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCrawlFollowsLinksToDepth(t *testing.T) {
	site := newTestSite(t, nil)
	rec := &recorder{}
	cfg := site.config(t, "/")
	cfg.Depth = 2
	st, err := Crawl(t.Context(), cfg, testExtractor{}, rec)
	if err != nil {
		t.Fatalf("Crawl: %v (%s)", err, st)
	}
	reqs := site.requests()
	for _, want := range []string{"/robots.txt", "/", "/section.html", "/article1.html", "/deep.html", "/article2.html"} {
		if n := site.count(want); n != 1 {
			t.Errorf("%s requested %d times, want 1 (requests %q)", want, n, reqs)
		}
	}
	for _, never := range []string{"/deeper.html", "/private/secret.html", "/logo.png"} {
		if slices.Contains(reqs, never) {
			t.Errorf("%s was requested; requests %q", never, reqs)
		}
	}
	if slices.ContainsFunc(reqs, func(r string) bool { return strings.Contains(r, "utm_") }) {
		t.Errorf("a tracking URL was requested: %q", reqs)
	}
	if st.New != 2 || st.RobotsDenied != 1 || st.Failed != 1 { // /old-article is a 404
		t.Errorf("stats = %s; want 2 new, 1 robots-denied, 1 failed", st)
	}
	if st.Queued != 0 {
		t.Errorf("queued = %d after a complete crawl", st.Queued)
	}
	p, ok := rec.byURL(site.url("/article1.html"))
	if !ok {
		t.Fatalf("article1 not saved; saved %v", rec.pages())
	}
	if p.a.Title != "City council approves budget" || p.c.Status != 200 || p.c.Charset != "utf-8" || p.c.CharsetSource != "header" {
		t.Errorf("article1 saved as %+v / capture status %d charset %s (%s)", p.a, p.c.Status, p.c.Charset, p.c.CharsetSource)
	}
	if p.c.FetchedAt.IsZero() || !strings.Contains(string(p.c.Body), "<article>") || p.c.ContentType != "text/html; charset=utf-8" {
		t.Errorf("capture incomplete: fetched %v, type %q, body %d bytes", p.c.FetchedAt, p.c.ContentType, len(p.c.Body))
	}
}

func TestCrawlDepthZeroFetchesStartOnly(t *testing.T) {
	site := newTestSite(t, nil)
	cfg := site.config(t, "/")
	cfg.Depth = 0
	if _, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{}); err != nil {
		t.Fatal(err)
	}
	if got := site.requests(); !slices.Equal(got, []string{"/robots.txt", "/"}) {
		t.Errorf("requests = %q", got)
	}
}

func TestCrawlMaxPages(t *testing.T) {
	site := newTestSite(t, nil)
	cfg := site.config(t, "/")
	cfg.MaxPages = 2
	cfg.Parallel = 4
	st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, r := range site.requests() {
		if r != "/robots.txt" {
			pages++
		}
	}
	if pages != 2 || st.Fetched != 2 {
		t.Errorf("%d pages requested, %d fetched; want 2 (%q)", pages, st.Fetched, site.requests())
	}
	if st.Queued == 0 {
		t.Errorf("stats %s: the links left over should be counted as queued", st)
	}
}

func TestCrawlRobots(t *testing.T) {
	robots := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			fmt.Fprint(w, body)
		}
	}
	for _, tc := range []struct {
		name      string
		robots    http.HandlerFunc
		wantPages int  // requests besides robots.txt
		wantErr   bool // nothing fetched
	}{
		{"5xx denies all", robots(http.StatusInternalServerError, ""), 0, true},
		{"503 denies all", robots(http.StatusServiceUnavailable, ""), 0, true},
		{"429 denies all", robots(http.StatusTooManyRequests, ""), 0, true},
		{"404 allows all", robots(http.StatusNotFound, "not here"), 5, false},
		{"403 allows all", robots(http.StatusForbidden, ""), 5, false},
		{"disallow all for our token", robots(200, "User-agent: *\nAllow: /\n\nUser-agent: newsvault\nDisallow: /\n"), 0, true},
		{"bad line is dropped, not fatal", robots(200, "Disallow: /section.html\nUser-agent: *\nDisallow: /article1\n"), 4, false},
		{"redirected within 5 hops", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/robots-hop1.txt", http.StatusFound)
		}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := newTestSite(t, map[string]http.HandlerFunc{
				"/robots.txt":      tc.robots,
				"/robots-hop1.txt": robots(200, "User-agent: *\nDisallow: /\n"),
			})
			cfg := site.config(t, "/")
			cfg.Depth = 1
			st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
			if (err != nil) != tc.wantErr {
				t.Errorf("err = %v, want error %v", err, tc.wantErr)
			}
			var pages []string
			for _, r := range site.requests() {
				if !strings.HasPrefix(r, "/robots") {
					pages = append(pages, r)
				}
			}
			if len(pages) != tc.wantPages {
				t.Errorf("page requests %q, want %d (stats %s)", pages, tc.wantPages, st)
			}
			if n := site.count("/robots.txt"); n != 1 {
				t.Errorf("robots.txt requested %d times", n)
			}
			if tc.wantPages == 0 && st.RobotsDenied == 0 {
				t.Errorf("stats %s: want robots denials counted", st)
			}
		})
	}
}

func TestCrawlIgnoreRobots(t *testing.T) {
	site := newTestSite(t, nil)
	cfg := site.config(t, "/private/secret.html")
	cfg.IgnoreRobots = true
	st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
	if err != nil || st.New != 1 {
		t.Fatalf("stats %s, err %v", st, err)
	}
	if slices.Contains(site.requests(), "/robots.txt") {
		t.Error("robots.txt fetched with IgnoreRobots")
	}
}

func TestCrawlSendsUserAgent(t *testing.T) {
	site := newTestSite(t, nil)
	cfg := site.config(t, "/")
	cfg.Depth = 1
	if _, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{}); err != nil {
		t.Fatal(err)
	}
	site.mu.Lock()
	defer site.mu.Unlock()
	for _, r := range site.reqs {
		if r.ua != DefaultUserAgent {
			t.Errorf("%s sent User-Agent %q", r.uri, r.ua)
		}
	}
	if !strings.HasPrefix(DefaultUserAgent, "newsvault/") || !strings.Contains(DefaultUserAgent, "https://github.com/newsvault/newsvault") {
		t.Errorf("DefaultUserAgent %q does not name newsvault and its URL", DefaultUserAgent)
	}
}

func TestCrawlNotFoundIsFailure(t *testing.T) {
	site := newTestSite(t, nil)
	st, err := Crawl(t.Context(), site.config(t, "/missing.html"), testExtractor{}, &recorder{})
	if err == nil {
		t.Error("no error when the only start URL is a 404")
	}
	if st.Failed != 1 || st.Retries != 0 || site.count("/missing.html") != 1 {
		t.Errorf("stats %s, %d requests: want 1 failure, no retry", st, site.count("/missing.html"))
	}
}

func TestCrawlBadStartURL(t *testing.T) {
	for _, u := range []string{"ftp://example.com/", "file:///etc/passwd", "not a url", "http://"} {
		if _, err := Crawl(t.Context(), Config{StartURLs: []string{u}}, testExtractor{}, &recorder{}); err == nil {
			t.Errorf("Crawl(%q) gave no error", u)
		}
	}
	if _, err := Crawl(t.Context(), Config{}, testExtractor{}, &recorder{}); err == nil {
		t.Error("Crawl without start URLs gave no error")
	}
}

func TestCrawlStoreErrorStops(t *testing.T) {
	site := newTestSite(t, nil)
	rec := &recorder{fail: errDiskFull}
	cfg := site.config(t, "/article1.html", "/section.html")
	st, err := Crawl(t.Context(), cfg, testExtractor{}, rec)
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("err = %v, want the store's error", err)
	}
	if st.Failed == 0 {
		t.Errorf("stats %s: the failed save is not counted", st)
	}
}

func TestCrawlCancel(t *testing.T) {
	const n = 300
	var index strings.Builder
	index.WriteString("<html><body>")
	for i := range n {
		fmt.Fprintf(&index, `<a href="/a/%d">story %d</a>`, i, i)
	}
	index.WriteString("</body></html>")
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, index.String())
		},
		"/a/": nil, // replaced below
	})
	site.routes = map[string]http.HandlerFunc{"/": site.routes["/"]}
	for i := range n {
		p := fmt.Sprintf("/a/%d", i)
		site.routes[p] = func(w http.ResponseWriter, r *http.Request) {
			if i == 1 { // a slow page in flight at cancel time
				select {
				case <-r.Context().Done():
				case <-hang:
				}
				return
			}
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<article><h1>Story %d</h1><p>Body %d.</p></article>", i, i)
		}
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cancelled := make(chan time.Time, 1)
	rec := &recorder{onSave: func(n int) {
		if n == 2 {
			cancelled <- time.Now()
			cancel()
		}
	}}
	cfg := site.config(t, "/")
	cfg.Delay = 200 * time.Millisecond
	cfg.Parallel = 4
	st, err := Crawl(ctx, cfg, testExtractor{}, rec)
	returned := time.Now()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	at := <-cancelled
	if d := returned.Sub(at); d > 3*time.Second {
		t.Errorf("Crawl returned %s after cancel", d)
	}
	if st.Queued < n-20 {
		t.Errorf("stats %s: want most of the %d links left queued", st, n)
	}
	if got := len(rec.pages()); got < 2 || st.New != got {
		t.Errorf("%d pages saved, stats %s", got, st)
	}
}

func TestCrawlProgress(t *testing.T) {
	site := newTestSite(t, nil)
	var calls []Stats
	cfg := site.config(t, "/")
	cfg.Progress = func(s Stats) { calls = append(calls, s) }
	st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) == 0 || calls[len(calls)-1] != st {
		t.Errorf("progress calls %v, final %v", calls, st)
	}
	if s := st.String(); !strings.Contains(s, "fetched ") || !strings.Contains(s, "new 3") {
		t.Errorf("String() = %q", s)
	}
}

func TestCrawlPoliteness(t *testing.T) {
	for _, tc := range []struct {
		name   string
		robots string
		delay  time.Duration
		want   time.Duration
	}{
		{"config delay", "User-agent: *\nDisallow:\n", 150 * time.Millisecond, 150 * time.Millisecond},
		{"robots crawl-delay raises it", "User-agent: *\nCrawl-delay: 0.25\n", 50 * time.Millisecond, 250 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := newTestSite(t, map[string]http.HandlerFunc{
				"/robots.txt": func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, tc.robots) },
			})
			cfg := site.config(t, "/section.html")
			cfg.Delay = tc.delay
			cfg.Parallel = 4
			if _, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{}); err != nil {
				t.Fatal(err)
			}
			site.mu.Lock()
			defer site.mu.Unlock()
			var starts []time.Time
			for _, r := range site.reqs {
				if r.uri != "/robots.txt" {
					starts = append(starts, r.at)
				}
			}
			if len(starts) < 4 {
				t.Fatalf("only %d page requests", len(starts))
			}
			for i := 1; i < len(starts); i++ {
				// 10ms of slack for clock reads on either side.
				if gap := starts[i].Sub(starts[i-1]); gap < tc.want-10*time.Millisecond {
					t.Errorf("gap %d: %s, want >= %s", i, gap, tc.want)
				}
			}
		})
	}
}
