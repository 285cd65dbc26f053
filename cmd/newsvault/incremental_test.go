package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// sixWays serves one article, without rel=canonical, at /news/1 and
// /news/1/ over http and https, and its AMP copy naming it canonical; the
// home page links to it six ways.
type sixWays struct {
	mu   sync.Mutex
	text string
}

func (s *sixWays) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	text := s.text
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	article := func(head string) {
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>Budget approved</title>%s
<meta property="og:type" content="article"><meta property="article:published_time" content="2026-11-20T10:00:00+03:00"></head>
<body><article><h1>Budget approved</h1><p>%s</p><p>%s</p></article></body></html>`, head, text, text)
	}
	switch r.URL.Path {
	case "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
	case "/":
		fmt.Fprint(w, `<html><body>
<a href="http://example.com/news/1?utm_source=tw&utm_medium=social">1</a>
<a href="https://example.com/news/1#comments">2</a>
<a href="https://example.com/news/1/">3</a>
<a href="http://example.com/news/1">4</a>
<a href="https://example.com/amp/news/1">5</a>
<a href="https://EXAMPLE.com/news/1">6</a></body></html>`)
	case "/news/1", "/news/1/":
		article("")
	case "/amp/news/1":
		article(`<link rel="canonical" href="https://example.com/news/1">`)
	default:
		http.NotFound(w, r)
	}
}

// T20: one article reached six ways is one article; a rerun adds nothing,
// and a one-byte edit adds exactly one version.
func TestCanonicalDedup(t *testing.T) {
	site := &sixWays{text: "The council met on Tuesday and approved the budget after a long debate about roads, schools and parks in the district. Members voted eleven to four, and the mayor said work on the bridge would start in spring."}
	plain := httptest.NewServer(site)
	defer plain.Close()
	secure := httptest.NewTLSServer(site)
	defer secure.Close()
	// httptest's certificate is valid for example.com.
	tlsConfig := secure.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	var d net.Dialer
	tr := &http.Transport{
		TLSClientConfig: tlsConfig,
		DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			switch hostport {
			case "example.com:80":
				return d.DialContext(ctx, "tcp", plain.Listener.Addr().String())
			case "example.com:443":
				return d.DialContext(ctx, "tcp", secure.Listener.Addr().String())
			}
			t.Errorf("dial %s: not the test site", hostport)
			return nil, fmt.Errorf("test: dial %s refused", hostport)
		},
	}
	dir := t.TempDir()
	cfg := dir + "/newsvault.yaml"
	db := dir + "/news.db"
	writeFile(t, cfg, fmt.Sprintf("db: %s\ndefaults: {delay: 0s, depth: 1, timeout: 10s, revisit: 0s}\nsites:\n"+
		"  - name: example\n    start: [https://example.com/, http://example.com/]\n    include: ['^/(amp/)?news/']\n", db))
	e := &env{transport: tr}
	run := func() {
		t.Helper()
		if code, _, errOut := newsvault(t, e, "run", "--config", cfg); code != exitOK {
			t.Fatalf("run: exit %d\n%s", code, errOut)
		}
	}
	rows := func() (articles, versions, captures int) {
		d := openDB(t, db)
		defer d.Close()
		return queryInt(t, d, `SELECT count(*) FROM articles`), queryInt(t, d, `SELECT count(*) FROM versions`), queryInt(t, d, `SELECT count(*) FROM captures`)
	}

	run()
	a, v, c := rows()
	if a != 1 || v != 1 {
		t.Fatalf("run 1: %d articles, %d versions; want 1 and 1", a, v)
	}
	run()
	if a2, v2, c2 := rows(); a2 != a || v2 != v || c2 != c {
		t.Errorf("run 2 of an unchanged site: articles %d->%d, versions %d->%d, captures %d->%d", a, a2, v, v2, c, c2)
	}
	site.mu.Lock()
	site.text = strings.Replace(site.text, "Tuesday", "Tuesdax", 1)
	site.mu.Unlock()
	run()
	if a3, v3, _ := rows(); a3 != 1 || v3 != 2 {
		t.Errorf("after a one-byte edit: %d articles, %d versions; want 1 and 2", a3, v3)
	}
}

// T27: an unchanged site that answers conditional GETs costs 304s on the
// rerun and adds nothing; three edited pages add exactly three versions.
func TestIdempotentRerunConditionalGet(t *testing.T) {
	site := newAgency(t, "agency.example", 100)
	cfg, db := writeRunConfig(t, t.TempDir(), "delay: 0s, parallel: 4, depth: 1, timeout: 10s, revisit: 0s", site)
	e := &env{transport: loopbackTransport(addrsOf(site))}
	run := func() runRecordJSON {
		t.Helper()
		code, out, errOut := newsvault(t, e, "run", "--config", cfg, "--json")
		if code != exitOK {
			t.Fatalf("run: exit %d\n%s", code, errOut)
		}
		return lastLineJSON(t, out)
	}
	versions := func() int {
		d := openDB(t, db)
		defer d.Close()
		return queryInt(t, d, `SELECT count(*) FROM versions`) + queryInt(t, d, `SELECT count(*) FROM articles`)
	}
	run()
	before := versions()
	site.requests()
	s := run().Sites[0]
	pages, notModified := 0, 0
	for _, r := range site.requests() {
		if strings.HasPrefix(r, "GET ") && !strings.HasPrefix(r, "GET /robots.txt") {
			pages++
		}
	}
	notModified = s.NotModified
	if after := versions(); after != before || s.New+s.Updated != 0 {
		t.Errorf("run 2 added %d rows (%d new, %d updated)", after-before, s.New, s.Updated)
	}
	share := float64(notModified) / float64(pages)
	if share < 0.95 {
		t.Errorf("run 2: %d of %d page fetches were 304 (%.1f%%), want >= 95%%", notModified, pages, 100*share)
	}
	t.Logf("run 2: %d of %d page fetches answered 304 (%.1f%%)", notModified, pages, 100*share)
	for _, id := range []int{3, 50, 99} {
		site.edit(id, fmt.Sprintf("Story %d corrected. The council met on Wednesday and approved the budget after a short debate about roads.", id))
	}
	if s := run().Sites[0]; s.Updated != 3 || s.New != 0 {
		t.Errorf("run 3: %d updated, %d new; want 3 and 0", s.Updated, s.New)
	}
	if after := versions(); after != before+3 {
		t.Errorf("run 3 added %d versions, want 3", after-before)
	}
}

// T40: a catch-up run right after a run (systemd Persistent=true) adds
// nothing and asks only for the seeds and robots.txt: every article is
// fresh within revisit.
func TestCatchUpRunIdempotent(t *testing.T) {
	site := newAgency(t, "agency.example", 50)
	cfg, db := writeRunConfig(t, t.TempDir(), "delay: 0s, parallel: 4, depth: 0, timeout: 10s, revisit: 6h", site)
	e := &env{transport: loopbackTransport(addrsOf(site))}
	for i := range 2 {
		site.requests()
		code, out, errOut := newsvault(t, e, "run", "--config", cfg, "--json")
		if code != exitOK {
			t.Fatalf("run %d: exit %d\n%s", i+1, code, errOut)
		}
		if i == 0 {
			continue
		}
		reqs := site.requests()
		const seeds, robots = 2, 1 // the start page and the sitemap
		if s := lastLineJSON(t, out).Sites[0]; s.New+s.Updated != 0 || len(reqs) > seeds+robots {
			t.Errorf("catch-up run: %d new, %d updated, %d requests %q; want 0, 0, <= %d", s.New, s.Updated, len(reqs), reqs, seeds+robots)
		}
		robotsFetches := 0
		for _, r := range reqs {
			if strings.HasPrefix(r, "GET /robots.txt") {
				robotsFetches++
			}
		}
		if robotsFetches != 1 {
			t.Errorf("robots.txt fetched %d times in the catch-up run, want 1", robotsFetches)
		}
		t.Logf("catch-up run: %d requests (%d seeds + %d robots.txt)", len(reqs), seeds, robots)
	}
	d := openDB(t, db)
	if n := queryInt(t, d, `SELECT count(*) FROM versions`); n != 50 {
		t.Errorf("%d versions after two runs, want 50", n)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := writeFileAtomic(path, func(w io.Writer) error {
		_, err := io.WriteString(w, content)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
