package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/archive/sqlite"
)

// hostileAgency is an agency with the failures the fetch log must keep
// (RELIABILITY.md T09, T14, T18, T19) next to one good article. It returns
// the bytes of the deeply nested page.
func hostileAgency(t *testing.T, host string) (*agency, []byte) {
	a := newAgency(t, host, 1)
	// T09: A -> B -> A -> B -> A.
	a.handle("/news/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/news/loop2", http.StatusFound)
	})
	a.handle("/news/loop2", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/news/loop", http.StatusFound)
	})
	// T18: 100,000 nested divs.
	deep := []byte("<!DOCTYPE html><html><head><title>Deep</title></head><body>" +
		strings.Repeat("<div>", 100_000) + "deep" + strings.Repeat("</div>", 100_000) + "</body></html>")
	a.handle("/news/deep", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(deep)
	})
	// T19: a cookie wall and a soft 404, both answered 200.
	head := `<html><head><meta property="og:type" content="article"><title>%s</title></head><body>`
	pages := map[string]string{
		"/news/cookie-wall": fmt.Sprintf(head, "Before you continue") + `<div class="consent"><h1>We value your privacy</h1><p>We and our 842 partners use cookies to store and access information on your device.</p><button>Accept all</button></div></body></html>`,
		"/news/soft-404":    fmt.Sprintf(head, "Page not found") + `<h1>404 - Page not found</h1><p>Sorry, the page you are looking for does not exist or has been moved.</p><p><a href="/">Back to the home page</a></p></body></html>`,
	}
	for path, body := range pages {
		a.handle(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, body)
		})
	}
	// T14: a PDF.
	a.handle("/news/report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0xff}, 64<<10)...))
	})
	return a, deep
}

var hostilePaths = []string{"/news/1", "/news/loop", "/news/deep", "/news/cookie-wall", "/news/soft-404", "/news/report.pdf"}

func readFetchLog(t *testing.T, db string, runID int64) map[string][]archive.FetchLogEntry {
	t.Helper()
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	entries, err := s.FetchLog(context.Background(), runID, 0)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string][]archive.FetchLogEntry{}
	for _, e := range entries {
		_, path, _ := strings.Cut(strings.TrimPrefix(e.URL, "http://"), "/")
		byPath["/"+path] = append(byPath["/"+path], e)
	}
	return byPath
}

// checkHostileLog checks one fetch-log row for each failure, none for the
// article, and what each row says.
func checkHostileLog(t *testing.T, host string, byPath map[string][]archive.FetchLogEntry, deep []byte) {
	t.Helper()
	want := map[string]string{
		"/news/loop":        "fetch_failed",
		"/news/deep":        "parse_failed",
		"/news/cookie-wall": "no_article",
		"/news/soft-404":    "no_article",
		"/news/report.pdf":  "skipped_content_type",
	}
	for path, reason := range want {
		es := byPath[path]
		if len(es) != 1 || es[0].Reason != reason {
			t.Errorf("%s: fetch log %+v, want exactly one %s row", path, es, reason)
		}
	}
	if len(byPath) != len(want) {
		t.Errorf("fetch log has rows for %d URLs, want %d (the article and nothing else left out): %v", len(byPath), len(want), keysOf(byPath))
	}
	if es := byPath["/news/loop"]; len(es) == 1 {
		chain := fmt.Sprintf("http://%[1]s/news/loop -> http://%[1]s/news/loop2 -> http://%[1]s/news/loop", host)
		if !strings.Contains(es[0].Error, chain) || !strings.Contains(es[0].Error, "redirect loop") {
			t.Errorf("redirect loop row error %q, want the chain %q", es[0].Error, chain)
		}
	}
	if es := byPath["/news/deep"]; len(es) == 1 {
		if !bytes.Equal(es[0].Body, deep) || es[0].BodySize != int64(len(deep)) || es[0].Status != 200 {
			t.Errorf("parse_failed row: %d body bytes (size %d), status %d; want the %d raw bytes byte for byte",
				len(es[0].Body), es[0].BodySize, es[0].Status, len(deep))
		}
	}
	for _, path := range []string{"/news/cookie-wall", "/news/soft-404"} {
		if es := byPath[path]; len(es) == 1 && (es[0].Body == nil || es[0].Error == "") {
			t.Errorf("%s: no_article row without its body or why: %+v", path, es[0])
		}
	}
	if es := byPath["/news/report.pdf"]; len(es) == 1 && (es[0].Body != nil || !strings.Contains(es[0].Error, "application/pdf")) {
		t.Errorf("PDF row: %d body bytes, error %q; want no body and the content type", len(es[0].Body), es[0].Error)
	}
}

func keysOf[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestRunFetchLog(t *testing.T) {
	a, deep := hostileAgency(t, "f.example")
	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")
	var starts []string
	for _, p := range hostilePaths {
		starts = append(starts, "http://f.example"+p)
	}
	cfg := filepath.Join(dir, "newsvault.yaml")
	writeFile(t, cfg, fmt.Sprintf("db: %s\ndefaults: {delay: 0s, depth: 0, timeout: 10s}\nsites:\n  - name: f\n    start: [%s]\n    include: ['^/news/']\n",
		db, strings.Join(starts, ", ")))
	e := &env{transport: agencyTransport(t, a)}

	code, out, errOut := newsvault(t, e, "run", "--config", cfg, "--json")
	if code != exitOK {
		t.Fatalf("run: exit %d\n%s", code, errOut)
	}
	sum := lastLineJSON(t, out)
	if s := sum.Sites[0]; s.New != 1 {
		t.Errorf("run archived %d articles, want 1 (the good one): %+v", s.New, s)
	}
	checkHostileLog(t, "f.example", readFetchLog(t, db, sum.ID), deep)
	if rows := readFetchLog(t, db, 0); len(rows) != 0 {
		t.Errorf("a run's failures filed outside it: %v", rows)
	}

	// The table: one line per failure, the chain on the loop's.
	code, out, errOut = newsvault(t, e, "failures", "--config", cfg)
	if code != exitOK {
		t.Fatalf("failures: exit %d\n%s", code, errOut)
	}
	t.Logf("newsvault failures:\n%s", out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "URL") {
		t.Errorf("failures table has %d lines, want a header and 5:\n%s", len(lines), out)
	}
	if !strings.Contains(out, "http://f.example/news/loop -> http://f.example/news/loop2") || !strings.Contains(out, "[body kept, ") {
		t.Errorf("failures table misses the chain or the kept bodies:\n%s", out)
	}

	// JSON, one object per line, filtered by reason.
	code, out, errOut = newsvault(t, e, "failures", "--config", cfg, "--json", "--reason", "no_article", fmt.Sprint(sum.ID))
	if code != exitOK {
		t.Fatalf("failures --json: exit %d\n%s", code, errOut)
	}
	var got []failureJSON
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	for dec.More() {
		var f failureJSON
		if err := dec.Decode(&f); err != nil {
			t.Fatalf("failures --json: %v\n%s", err, out)
		}
		got = append(got, f)
	}
	if len(got) != 2 || got[0].Reason != "no_article" || got[0].RunID != sum.ID || !got[0].BodyKept || got[0].BodySize == 0 || got[0].At == "" {
		t.Errorf("failures --json --reason no_article = %+v, want the 2 no_article rows of run %d", got, sum.ID)
	}

	if code, _, errOut = newsvault(t, e, "failures", "--config", cfg, "x"); code != exitUsage {
		t.Errorf("failures x: exit %d, want 2\n%s", code, errOut)
	}
}

func TestCrawlFetchLog(t *testing.T) {
	a, deep := hostileAgency(t, "g.example")
	db := filepath.Join(t.TempDir(), "news.db")
	args := []string{"crawl", "--db", db, "--depth", "0", "--delay", "0"}
	for _, p := range hostilePaths {
		args = append(args, "http://g.example"+p)
	}
	e := &env{transport: agencyTransport(t, a)}
	if code, _, errOut := newsvault(t, e, args...); code != exitOK {
		t.Fatalf("crawl: exit %d\n%s", code, errOut)
	}
	// Without include, the soft 404 and the cookie wall are taken for
	// articles by their og:type, as in a run.
	checkHostileLog(t, "g.example", readFetchLog(t, db, 0), deep)

	code, out, errOut := newsvault(t, e, "failures", "--db", db, "--json", "crawl")
	if code != exitOK || strings.Count(out, "\n") != 5 {
		t.Errorf("failures crawl: exit %d, %d lines, want 5\n%s%s", code, strings.Count(out, "\n"), out, errOut)
	}
	if code, _, errOut := newsvault(t, e, "failures", "--db", db); code != exitError || !strings.Contains(errOut, "no runs recorded") {
		t.Errorf("failures with no run: exit %d, %s", code, errOut)
	}
}

// A fetch log that cannot be written is logged and counted, and the crawl
// goes on: here the run the rows would belong to does not exist.
func TestFetchLogWriteFailureDoesNotStopCrawl(t *testing.T) {
	a, _ := hostileAgency(t, "h.example")
	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")
	s, err := sqlite.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var logBuf syncWriter
	fl := newFetchLogger(s, 999, slog.New(slog.NewTextHandler(&logBuf, nil)))
	p := &pass{cfg: &config{DB: db}, env: &env{transport: agencyTransport(t, a)}, log: fl.log, store: s, now: fl.now}
	if p.set, err = loadProfiles(""); err != nil {
		t.Fatal(err)
	}
	var starts []string
	for _, path := range hostilePaths {
		starts = append(starts, "http://h.example"+path)
	}
	r := p.crawlSite(t.Context(), site{Name: "h", Start: starts, Timeout: 10 * time.Second, Parallel: 1}, fl)
	if r.New != 1 || fl.failed.Load() != 5 || fl.logged.Load() != 0 {
		t.Errorf("site %+v; fetch log %d written, %d failed; want the article archived and 5 failures counted", r, fl.logged.Load(), fl.failed.Load())
	}
	fl.report()
	if !strings.Contains(logBuf.String(), "fetch log not written") || !strings.Contains(logBuf.String(), "not_logged=5") {
		t.Errorf("log:\n%s", logBuf.String())
	}
}

// syncWriter is a bytes.Buffer for concurrent writers.
type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
