package scraper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/newsvault/newsvault/archive"
)

// spillFrontier behaves as sqlite.Frontier does, in memory: items are
// copied in and out as bytes, Pop reads from a cursor per queue, and it
// counts what it is asked, so tests can tell what the crawler did not keep
// itself.
type spillFrontier struct {
	mu       sync.Mutex
	seen     map[string]bool
	queues   map[string][][]byte
	cursors  map[string]int
	pushes   int   // Push calls
	pushed   int   // items pushed
	failPush error // returned by Push when set
	closed   bool
}

func newSpillFrontier() *spillFrontier {
	return &spillFrontier{seen: map[string]bool{}, queues: map[string][][]byte{}, cursors: map[string]int{}}
}

func (f *spillFrontier) open(context.Context) (Frontier, error) { return f, nil }

func (f *spillFrontier) Mark(_ context.Context, keys []string) ([]bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]bool, len(keys))
	for i, k := range keys {
		out[i] = !f.seen[k]
		f.seen[k] = true
	}
	return out, nil
}

func (f *spillFrontier) Seen(_ context.Context, key string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen[key], nil
}

func (f *spillFrontier) Push(_ context.Context, queue string, items [][]byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failPush != nil {
		return f.failPush
	}
	f.pushes++
	f.pushed += len(items)
	for _, it := range items {
		f.queues[queue] = append(f.queues[queue], slices.Clone(it))
	}
	return nil
}

func (f *spillFrontier) Pop(_ context.Context, queue string, n int) ([][]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q, at := f.queues[queue], f.cursors[queue]
	end := min(at+n, len(q))
	f.cursors[queue] = end
	var out [][]byte
	for _, it := range q[at:end] {
		out = append(out, slices.Clone(it))
	}
	return out, nil
}

func (f *spillFrontier) Close(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}

// manySite serves a home page linking n articles /a/i.html; each links
// home, to the next article and to a leaf /b/i.html, which links back.
func manySite(t *testing.T, n int) *testSite {
	s := newTestSite(t, nil)
	s.fallback = func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString("<html><body>")
		var i int
		switch {
		case r.URL.Path == "/":
			for i := range n {
				fmt.Fprintf(&b, `<a href="/a/%d.html">%d</a> `, i, i)
			}
		case scan(r.URL.Path, "/a/%d.html", &i):
			fmt.Fprintf(&b, `<article><h1>A%d</h1><p>Article %d.</p></article><a href="/">home</a>
				<a href="/a/%d.html">next</a> <a href="/b/%d.html">more</a>`, i, i, (i+1)%n, i)
		case scan(r.URL.Path, "/b/%d.html", &i):
			fmt.Fprintf(&b, `<article><h1>B%d</h1><p>Leaf %d.</p></article><a href="/a/%d.html">back</a>`, i, i, i)
		default:
			http.NotFound(w, r)
			return
		}
		b.WriteString("</body></html>")
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(b.String()))
	}
	return s
}

func scan(p, format string, i *int) bool {
	_, err := fmt.Sscanf(p, format, i)
	return err == nil && fmt.Sprintf(format, *i) == p
}

// TestCrawlFrontierSameCrawl: a crawl whose frontier holds most of its
// queue (as the SQLite one does) fetches the same pages in the same order
// as one with everything in memory, and counts the same.
func TestCrawlFrontierSameCrawl(t *testing.T) {
	const n = 3 * window
	var want []string
	want = append(want, "/robots.txt", "/")
	for i := range n {
		want = append(want, fmt.Sprintf("/a/%d.html", i))
	}
	for i := range n {
		want = append(want, fmt.Sprintf("/b/%d.html", i))
	}
	for _, tc := range []struct {
		name     string
		parallel int
		maxPages int
	}{{"one at a time", 1, 0}, {"parallel", 4, 0}, {"max pages", 1, n + 10}} {
		t.Run(tc.name, func(t *testing.T) {
			var stats [2]Stats
			var reqs [2][]string
			spill := newSpillFrontier()
			for i, open := range []OpenFrontier{nil, spill.open} {
				s := manySite(t, n)
				cfg := s.config(t, "/")
				cfg.Depth, cfg.Parallel, cfg.MaxPages = 2, tc.parallel, tc.maxPages
				cfg.Logger = nil
				cfg.Frontier = open
				st, err := Crawl(context.Background(), cfg, testExtractor{}, &recorder{})
				if err != nil {
					t.Fatal(err)
				}
				stats[i], reqs[i] = st, s.requests()
			}
			if stats[0] != stats[1] {
				t.Errorf("stats differ:\nmemory %v\nspill  %v", stats[0], stats[1])
			}
			wantReqs := want
			if tc.maxPages > 0 {
				wantReqs = want[:tc.maxPages+1]
			}
			if tc.parallel == 1 {
				for i := range reqs {
					if !slices.Equal(reqs[i], wantReqs) {
						t.Errorf("crawl %d requested %d URLs, want %d in order:\n%q", i, len(reqs[i]), len(wantReqs), reqs[i])
					}
				}
			} else {
				for i := range reqs {
					if got := slices.Sorted(slices.Values(reqs[i])); !slices.Equal(got, slices.Sorted(slices.Values(wantReqs))) {
						t.Errorf("crawl %d requested %q", i, got)
					}
				}
			}
			if spill.pushed == 0 || !spill.closed {
				t.Errorf("spill frontier: %d items pushed, closed %v; want some, true", spill.pushed, spill.closed)
			}
			if tc.maxPages > 0 && stats[1].Queued != 2*n+1-tc.maxPages {
				t.Errorf("Queued = %d, want %d", stats[1].Queued, 2*n+1-tc.maxPages)
			}
		})
	}
}

// TestCrawlFrontierPushFails: a frontier that cannot store stops the crawl
// as a full disk does.
func TestCrawlFrontierPushFails(t *testing.T) {
	s := manySite(t, 3*window)
	cfg := s.config(t, "/")
	cfg.Depth = 2
	spill := newSpillFrontier()
	spill.failPush = errDiskFull
	cfg.Frontier = spill.open
	_, err := Crawl(context.Background(), cfg, testExtractor{}, &recorder{})
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("Crawl: %v, want the frontier's error", err)
	}
}

func TestCrawlFrontierOpenFails(t *testing.T) {
	s := manySite(t, 1)
	cfg := s.config(t, "/")
	cfg.Frontier = func(context.Context) (Frontier, error) { return nil, errDiskFull }
	if _, err := Crawl(context.Background(), cfg, testExtractor{}, &recorder{}); !errors.Is(err, errDiskFull) {
		t.Fatalf("Crawl: %v, want the frontier's error", err)
	}
	if n := len(s.requests()); n != 0 {
		t.Errorf("%d requests made", n)
	}
}

// TestQueueMemoryFlat: however many URLs a host has queued, the crawler
// keeps at most a window of them and the links of the page being
// discovered; the rest, and the whole seen set, are the frontier's.
func TestQueueMemoryFlat(t *testing.T) {
	const perPage = 100 // links one page adds
	for _, urls := range []int{1_000, 100_000} {
		t.Run(fmt.Sprint(urls), func(t *testing.T) {
			ctx := context.Background()
			front := newSpillFrontier()
			cfg := Config{IgnoreRobots: true}.withDefaults()
			c := &crawler{cfg: cfg, log: cfg.Logger, hosts: map[string]*host{}, front: front,
				wake: make(chan struct{}, 1), stop: func(error) {}}
			c.col = &colly.Collector{}
			c.col.Init()
			u := func(i int) *url.URL {
				return &url.URL{Scheme: "http", Host: "example.com", Path: fmt.Sprintf("/%d", i)}
			}
			peak, next := 0, 0
			pop := func(n int) {
				c.mu.Lock()
				defer c.mu.Unlock()
				for range n {
					j := c.pop(ctx, c.hosts["example.com"], time.Now(), false, func(time.Time) {})
					if j == nil {
						return
					}
					if want := u(next).String(); j.u.String() != want {
						t.Fatalf("popped %s, want %s", j.u, want)
					}
					next++
				}
			}
			// Discovery outpaces fetching, as on a news site: each page
			// fetched adds perPage links.
			for i := 0; i < urls; i += perPage {
				keys := make([]string, perPage)
				for k := range keys {
					keys[k] = u(i + k).String()
				}
				fresh, err := c.mark(ctx, keys)
				if err != nil || slices.Contains(fresh, false) {
					t.Fatalf("mark: %v, %v", fresh, err)
				}
				c.mu.Lock()
				for k := range perPage {
					c.queue(&job{u: u(i + k), depth: 1})
				}
				h := c.hosts["example.com"]
				peak = max(peak, len(h.queue)+len(h.outbox))
				c.mu.Unlock()
				c.flush(ctx)
				pop(1)
			}
			pop(urls)
			if next != urls {
				t.Fatalf("popped %d of %d", next, urls)
			}
			if peak > window+perPage {
				t.Errorf("up to %d jobs in memory for %d URLs, want at most %d", peak, urls, window+perPage)
			}
			if h := c.hosts["example.com"]; h.pending() != 0 || c.unflushed != 0 {
				t.Errorf("left: %d pending, %d unflushed", h.pending(), c.unflushed)
			}
			if len(front.seen) != urls || front.pushed < urls-window {
				t.Errorf("frontier saw %d keys and got %d jobs", len(front.seen), front.pushed)
			}
		})
	}
}

func TestJobCodec(t *testing.T) {
	fetched := time.Date(2026, 11, 25, 8, 0, 0, 123, time.UTC)
	for _, j := range []*job{
		{u: &url.URL{Scheme: "https", Host: "example.com", Path: "/"}},
		{u: &url.URL{Scheme: "http", Host: "example.com:8080", Path: "/a b/ü", RawQuery: "x=1&y=%20"}, kind: kindSitemap, depth: 1, nest: 3},
		{u: &url.URL{Scheme: "https", Host: "example.com", Path: "/news/1"}, depth: 7, known: nil},
	} {
		got, err := decodeJob(encodeJob(j))
		if err != nil {
			t.Fatalf("decode %s: %v", j.u, err)
		}
		if got.u.String() != j.u.String() || got.kind != j.kind || got.depth != j.depth || got.nest != j.nest {
			t.Errorf("round trip: %+v, want %+v", got, j)
		}
	}
	j := &job{u: &url.URL{Scheme: "https", Host: "example.com", Path: "/k"}}
	for _, v := range []struct{ etag, lm string }{{`"e1"`, ""}, {"", "Wed, 25 Nov 2026 08:00:00 GMT"}} {
		j.known = &archive.Validators{ETag: v.etag, LastModified: v.lm, FetchedAt: fetched}
		got, err := decodeJob(encodeJob(j))
		if err != nil || got.known == nil || *got.known != *j.known {
			t.Errorf("validators: %+v, %v; want %+v", got.known, err, j.known)
		}
	}
	good := encodeJob(j)
	for _, bad := range [][]byte{nil, {9}, good[:len(good)-1], append(slices.Clone(good), 0), {1, 7, 0, 0, 0, 0}} {
		if _, err := decodeJob(bad); !errors.Is(err, errBadJob) {
			t.Errorf("decodeJob(%q): %v, want errBadJob", bad, err)
		}
	}
}
