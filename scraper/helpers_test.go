package scraper

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/newsvault/newsvault/archive"
)

// testSite serves testdata/site on 127.0.0.1, with per-test routes on top,
// and records every request it receives.
type testSite struct {
	t      testing.TB
	srv    *httptest.Server
	routes map[string]http.HandlerFunc // by URL path
	// fallback serves paths without a route; nil = the files of testdata/site.
	fallback http.HandlerFunc

	mu   sync.Mutex
	reqs []seenRequest
}

type seenRequest struct {
	uri string // path?query
	ua  string
	at  time.Time
	hdr http.Header
}

func newTestSite(t testing.TB, routes map[string]http.HandlerFunc) *testSite {
	s := &testSite{t: t, routes: routes}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *testSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.reqs = append(s.reqs, seenRequest{uri: r.URL.RequestURI(), ua: r.UserAgent(), at: time.Now(), hdr: r.Header.Clone()})
	s.mu.Unlock()
	if h, ok := s.routes[r.URL.Path]; ok {
		h(w, r)
		return
	}
	if s.fallback != nil {
		s.fallback(w, r)
		return
	}
	p := r.URL.Path
	if strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	b, err := os.ReadFile(filepath.Join("testdata/site", filepath.FromSlash(path.Clean(p))))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(p) {
	case ".html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	case ".txt":
		w.Header().Set("Content-Type", "text/plain")
	}
	w.Write(b)
}

func (s *testSite) url(p string) string { return s.srv.URL + p }

// requests returns the request URIs the server saw, robots.txt included.
func (s *testSite) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.reqs))
	for i, r := range s.reqs {
		out[i] = r.uri
	}
	return out
}

// requestsFor returns the requests the server saw for uri.
func (s *testSite) requestsFor(uri string) []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []seenRequest
	for _, r := range s.reqs {
		if r.uri == uri {
			out = append(out, r)
		}
	}
	return out
}

func (s *testSite) count(uri string) int {
	n := 0
	for _, r := range s.requests() {
		if r == uri {
			n++
		}
	}
	return n
}

// transport dials only the test server: no test traffic leaves 127.0.0.1.
func (s *testSite) transport(disableCompression bool) http.RoundTripper {
	addr := s.srv.Listener.Addr().String()
	var d net.Dialer
	return &http.Transport{
		DisableCompression: disableCompression,
		DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			if hostport != addr {
				s.t.Errorf("crawler dialed %s; only %s is allowed", hostport, addr)
				return nil, fmt.Errorf("test: dial %s refused", hostport)
			}
			return d.DialContext(ctx, network, hostport)
		},
	}
}

func (s *testSite) config(t testing.TB, start ...string) Config {
	for i, p := range start {
		start[i] = s.url(p)
	}
	return Config{
		StartURLs: start,
		Depth:     5,
		Parallel:  2,
		Timeout:   5 * time.Second,
		Transport: s.transport(false),
		Logger:    testLogger(t),
		backoff:   10 * time.Millisecond,
	}
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// testExtractor is a small real Extractor: a page with an <article> is an
// article; its title is the <h1>, its text the <p>s.
type testExtractor struct{}

func (testExtractor) IsArticle(doc *goquery.Document, _ *url.URL) bool {
	return doc.Find("article").Length() > 0
}

func (testExtractor) Extract(doc *goquery.Document, u *url.URL) (archive.Article, error) {
	var paras []string
	doc.Find("article p").Each(func(_ int, s *goquery.Selection) {
		if t := strings.TrimSpace(s.Text()); t != "" {
			paras = append(paras, t)
		}
	})
	if len(paras) == 0 {
		return archive.Article{}, fmt.Errorf("no paragraphs: %w", ErrNotArticle)
	}
	return archive.Article{
		URL:   u.String(),
		Site:  strings.TrimPrefix(u.Hostname(), "www."),
		Title: strings.TrimSpace(doc.Find("article h1").First().Text()),
		Text:  strings.Join(paras, "\n\n"),
	}, nil
}

// recorder is an in-memory Archive that keeps every capture.
type recorder struct {
	mu      sync.Mutex
	saves   []savedPage
	latest  map[string]string // key -> fingerprint
	fail    error             // returned by every Save when set
	onSave  func(n int)       // called after each save with the count so far
	ctxErrs int               // saves that received a done context
}

type savedPage struct {
	c archive.Capture
	a archive.Article
}

func (r *recorder) Save(ctx context.Context, c *archive.Capture, a *archive.Article) (archive.Saved, error) {
	r.mu.Lock()
	if ctx.Err() != nil {
		r.ctxErrs++
	}
	if r.fail != nil {
		r.mu.Unlock()
		return archive.Saved{}, r.fail
	}
	if r.latest == nil {
		r.latest = make(map[string]string)
	}
	out := archive.Saved{Outcome: archive.New, Version: 1}
	fp := a.Fingerprint()
	if old, ok := r.latest[a.Key()]; ok {
		out.Outcome = archive.Updated
		if old == fp {
			out.Outcome = archive.Unchanged
		}
	}
	r.latest[a.Key()] = fp
	r.saves = append(r.saves, savedPage{c: *c, a: *a})
	n := len(r.saves)
	f := r.onSave
	r.mu.Unlock()
	if f != nil {
		f(n)
	}
	return out, nil
}

func (r *recorder) pages() []savedPage {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]savedPage(nil), r.saves...)
}

func (r *recorder) byURL(u string) (savedPage, bool) {
	for _, p := range r.pages() {
		if p.c.URL == u {
			return p, true
		}
	}
	return savedPage{}, false
}

var errDiskFull = errors.New("disk full")

// requestsSince returns the requests after the first n.
func (s *testSite) requestsSince(n int) []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.reqs[n:]...)
}

// syncBuffer collects log output from the crawl's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *syncBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
