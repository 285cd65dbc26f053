package scraper

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsvault/newsvault/selectors"
)

func TestT09RedirectLoops(t *testing.T) {
	var hops atomic.Int64
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/a": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) },
		"/b": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) },
		"/self": func(w http.ResponseWriter, r *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "s", Value: "1"})
			http.Redirect(w, r, "/self", http.StatusFound)
		},
	})
	site.routes["/robots.txt"] = http.NotFound
	site.fallback = func(w http.ResponseWriter, r *http.Request) { // /r/n -> /r/n+1, forever
		http.Redirect(w, r, fmt.Sprintf("/r/%d", hops.Add(1)), http.StatusFound)
	}
	for _, tc := range []struct{ start, chain string }{
		{"/a", "/a -> " + site.url("/b") + " -> " + site.url("/a") + " -> " + site.url("/b")},
		{"/self", "/self -> " + site.url("/self") + " -> " + site.url("/self")},
		{"/r/0", "/r/0 -> " + site.url("/r/1")},
	} {
		t.Run(tc.start, func(t *testing.T) {
			var out outcomes
			rec := &recorder{}
			cfg := site.config(t, tc.start)
			cfg.OnOutcome = out.add
			begin := time.Now()
			st, err := Crawl(t.Context(), cfg, testExtractor{}, rec)
			took := time.Since(begin)
			if err == nil || st.Failed != 1 || st.Retries != 0 || len(rec.pages()) != 0 {
				t.Errorf("err %v, stats %s, %d saved", err, st, len(rec.pages()))
			}
			if took >= time.Second {
				t.Errorf("took %s, want < 1s", took)
			}
			os := out.list()
			if len(os) != 1 || os[0].Reason != ReasonFetchFailed || !strings.Contains(os[0].Err.Error(), tc.chain) {
				t.Fatalf("outcomes %+v; want one fetch_failed listing the chain %q", os, tc.chain)
			}
			t.Logf("T09 %s: %s, error %q", tc.start, took, os[0].Err)
		})
	}
	if n := hops.Load(); n > maxRedirects {
		t.Errorf("followed %d redirects of an endless chain, want <= %d", n, maxRedirects)
	}
}

func TestT10SlowlorisAndHungServers(t *testing.T) {
	const timeout, headerTimeout = 2 * time.Second, time.Second
	// (b) accepts, reads the request, never answers.
	mute, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mute.Close() })
	go func() {
		for {
			c, err := mute.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(io.Discard, c); c.Close() }() // until the client hangs up
		}
	}()
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/trickle": func(w http.ResponseWriter, r *http.Request) { // (a) headers, then 1 byte/s
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(200)
			rc := http.NewResponseController(w)
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				if _, err := w.Write([]byte("x")); err != nil {
					return
				}
				rc.Flush()
				select {
				case <-r.Context().Done():
					return
				case <-tick.C:
				}
			}
		},
		"/stall": func(w http.ResponseWriter, r *http.Request) { // (c) headers, then nothing
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(200)
			http.NewResponseController(w).Flush()
			<-r.Context().Done()
		},
	})
	site.routes["/robots.txt"] = func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }

	goroutines, fds := runtime.NumGoroutine(), openFDs()
	for _, tc := range []struct{ name, url string }{
		{"a-trickle", site.url("/trickle")},
		{"b-never-answers", "http://" + mute.Addr().String() + "/"},
		{"c-stall", site.url("/stall")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, _ := site.guardedConfig(t)
			cfg.StartURLs = []string{tc.url}
			cfg.IgnoreRobots = true
			cfg.Dialer = nil // two test servers: the guard's allow-list is the start URLs' IP:port
			cfg.Timeout, cfg.HeaderTimeout = timeout, headerTimeout
			var out outcomes
			cfg.OnOutcome = out.add
			begin := time.Now()
			st, _ := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
			took := time.Since(begin)
			limit := timeout + time.Second
			if took > limit || st.Failed != 1 || st.Retries != 0 {
				t.Errorf("took %s (limit %s), stats %s", took, limit, st)
			}
			t.Logf("T10 %s: aborted after %s: %v", tc.name, took, out.list())
		})
	}
	// The crawls are over: their goroutines and sockets must be gone.
	deadline := time.Now().Add(2 * time.Second)
	for {
		g, f := runtime.NumGoroutine(), openFDs()
		if g <= goroutines+5 && f <= fds+3 {
			t.Logf("T10 goroutines %d -> %d, fds %d -> %d", goroutines, g, fds, f)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("2s after the runs: goroutines %d (baseline %d), fds %d (baseline %d)", g, goroutines, f, fds)
		}
		runtime.Gosched()
		time.Sleep(20 * time.Millisecond) // polling a condition, not waiting for work
	}
}

func TestT11TruncatedBodies(t *testing.T) {
	long := strings.Repeat("The council debated the budget for a long time and then voted on it. ", 12)
	page := func(text string) string {
		return `<html><head><title>Cut</title><meta property="og:type" content="article"></head><body><article><h1>A truncated story</h1><p>` + text
	}
	var tries [2]atomic.Int64
	hijack := func(t *testing.T, w http.ResponseWriter, write func(io.Writer)) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		write(buf)
		buf.Flush()
	}
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/2024/05/17/content-length.html": func(w http.ResponseWriter, r *http.Request) {
			tries[0].Add(1)
			hijack(t, w, func(b io.Writer) {
				fmt.Fprint(b, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n")
				fmt.Fprint(b, page(strings.Repeat("x", 400))[:400])
			})
		},
		"/2024/05/17/chunked.html": func(w http.ResponseWriter, r *http.Request) {
			tries[1].Add(1)
			hijack(t, w, func(b io.Writer) {
				fmt.Fprint(b, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
				p := page(long)
				fmt.Fprintf(b, "%x\r\n%s\r\n", len(p), p)
				fmt.Fprint(b, "400\r\n<p>only part of a chunk") // no end, no 0-chunk
			})
		},
		"/2024/05/17/cut-short.html": func(w http.ResponseWriter, r *http.Request) {
			hijack(t, w, func(b io.Writer) {
				fmt.Fprint(b, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
				fmt.Fprint(b, page("The council deba"))
			})
		},
		"/2024/05/17/cut-long.html": func(w http.ResponseWriter, r *http.Request) {
			hijack(t, w, func(b io.Writer) {
				fmt.Fprint(b, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
				fmt.Fprint(b, page(long+"and then the connec"))
			})
		},
	})
	set, err := selectors.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	var out outcomes
	cfg := site.config(t, "/2024/05/17/content-length.html", "/2024/05/17/chunked.html", "/2024/05/17/cut-short.html", "/2024/05/17/cut-long.html")
	cfg.Depth = 0
	cfg.OnOutcome = out.add
	st, err := Crawl(t.Context(), cfg, set, rec)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"content-length.html", "chunked.html"} {
		if got := out.of(name); !slices.Equal(got, []Reason{ReasonFetchFailed}) || tries[i].Load() != maxAttempts {
			t.Errorf("%s: outcomes %v after %d attempts; want fetch_failed after %d", name, got, tries[i].Load(), maxAttempts)
		}
	}
	if got := out.of("cut-short.html"); !slices.Equal(got, []Reason{ReasonNoArticle}) {
		t.Errorf("cut-short.html: %v, want no_article (under the minimum length)", got)
	}
	if got := out.of("cut-long.html"); !slices.Equal(got, []Reason{ReasonOK}) {
		t.Errorf("cut-long.html: %v, want ok (past the minimum length)", got)
	}
	for _, p := range rec.pages() {
		if !strings.HasSuffix(p.c.URL, "cut-long.html") {
			t.Errorf("%s stored", p.c.URL)
		}
	}
	t.Logf("T11: %s", st)
}

func TestT12OversizeBodyAborted(t *testing.T) {
	const limit = 16 << 20
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/1gib.html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			streamHTML(w, 1<<30)
		},
		"/17mib.html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", fmt.Sprint(17<<20))
			streamHTML(w, 17<<20-35)
		},
		"/17mib-chunked.html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			streamHTML(w, 17<<20)
		},
	})
	for _, path := range []string{"/1gib.html", "/17mib.html", "/17mib-chunked.html"} {
		t.Run(path[1:], func(t *testing.T) {
			var wire, decoded bodyBytes
			var out outcomes
			rec := &recorder{}
			cfg := site.config(t, path)
			cfg.MaxBody = limit
			cfg.Transport = &countingTransport{base: site.transport(false), read: &wire}
			cfg.bodyRead = decoded.add
			cfg.OnOutcome = out.add
			grown := rssGrowth(t)
			st, _ := Crawl(t.Context(), cfg, testExtractor{}, rec)
			rss := grown()
			if got := out.of(path); !slices.Equal(got, []Reason{ReasonTooLarge}) || st.Reasons[ReasonTooLarge] != 1 {
				t.Errorf("outcomes %v, stats %s; want too_large", got, st)
			}
			if n := wire.get(path); n > limit+64<<10 {
				t.Errorf("read %d bytes, want <= %d", n, limit+64<<10)
			}
			if len(rec.pages()) != 0 {
				t.Errorf("%d pages stored", len(rec.pages()))
			}
			if rss > memLimit(64) {
				t.Errorf("RSS grew %d MiB, want < %d MiB", rss>>20, memLimit(64)>>20)
			}
			t.Logf("T12 %s: read %d bytes off the wire (%d decoded) for a %d limit, RSS +%d MiB", path, wire.get(path), decoded.get(path), limit, rss>>20)
		})
	}
}

func TestT13DecompressionBombs(t *testing.T) {
	gz, gzgz, deflate := bombs(t)
	// Scrapy's ratio case: about 11.5 MB of text that gzips to tens of KB.
	var ratio bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&ratio, gzip.BestCompression)
	streamHTML(zw, 11_500_000)
	zw.Close()
	serve := func(ct, enc string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			if enc != "" {
				w.Header().Set("Content-Encoding", enc)
			}
			w.Write(body)
		}
	}
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/gzip.html":         serve("text/html", "gzip", gz),
		"/x-gzip":            serve("application/x-gzip", "", gz),
		"/sitemap.xml.gz":    serve("application/x-gzip", "", gz),
		"/gzip-in-gzip.html": serve("text/html", "gzip", gzgz),
		"/gzip-in-gzip.xml":  serve("application/xml", "gzip", gzgz),
		"/deflate.html":      serve("text/html", "deflate", deflate),
		"/ratio.html":        serve("text/html", "gzip", ratio.Bytes()),
	})
	const limit = 1_000_000
	for _, tc := range []struct {
		name, path string
		asked      bool // Accept-Encoding: gzip sent (the Go transport then decodes)
		sitemap    bool
		want       Reason
	}{
		{"gzip asked", "/gzip.html", true, false, ReasonTooLarge},
		{"gzip not asked", "/gzip.html", false, false, ReasonTooLarge},
		{"application/x-gzip", "/x-gzip", false, false, ReasonSkippedContentType},
		{"xml.gz sitemap", "/sitemap.xml.gz", false, true, ReasonTooLarge},
		{"gzip-in-gzip page", "/gzip-in-gzip.html", false, false, ReasonSkippedContentType},
		{"gzip-in-gzip sitemap", "/gzip-in-gzip.xml", false, true, ReasonTooLarge},
		{"deflate", "/deflate.html", false, false, ReasonTooLarge},
		{"ratio 11.5MB", "/ratio.html", true, false, ReasonTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var decoded bodyBytes
			var out outcomes
			rec := &recorder{}
			cfg := site.config(t)
			if tc.sitemap {
				cfg.Sitemaps = []string{site.url(tc.path)}
			} else {
				cfg.StartURLs = []string{site.url(tc.path)}
			}
			cfg.MaxBody = limit
			cfg.Transport = site.transport(!tc.asked)
			cfg.bodyRead = decoded.add
			cfg.OnOutcome = out.add
			grown := rssGrowth(t)
			st, _ := Crawl(t.Context(), cfg, testExtractor{}, rec)
			rss := grown()
			if got := out.of(tc.path); !slices.Equal(got, []Reason{tc.want}) {
				t.Errorf("outcomes %v (%s), want %s", got, st, tc.want)
			}
			if n := decoded.get(tc.path); n > limit*11/10 {
				t.Errorf("read %d decompressed bytes, want <= %d", n, limit*11/10)
			}
			if len(rec.pages()) != 0 || st.New != 0 {
				t.Errorf("%d stored", len(rec.pages()))
			}
			if rss > memLimit(64) {
				t.Errorf("RSS grew %d MiB, want < %d MiB", rss>>20, memLimit(64)>>20)
			}
			t.Logf("T13 %s: %d decompressed bytes read (limit %d), RSS +%d MiB, %s", tc.name, decoded.get(tc.path), limit, rss>>20, tc.want)
		})
	}
}

func TestT14NonHTMLContent(t *testing.T) {
	png := append([]byte("\x89PNG\x0d\x0a\x1a\x0a\x00\x00\x00\x0dIHDR"), make([]byte, 4<<20)...)
	gen := func(ct string, prefix []byte, size int64) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.Write(prefix)
			io.CopyN(w, zeros{}, size)
		}
	}
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/doc":       gen("application/pdf", []byte("%PDF-1.4\n"), 8<<20),
		"/photo":     gen("image/jpeg", []byte("\xff\xd8\xff\xe0"), 8<<20),
		"/movie":     gen("video/mp4", nil, 100<<20),
		"/blob":      gen("application/octet-stream", nil, 8<<20),
		"/fake.html": gen("text/html; charset=utf-8", png, 8<<20),
	})
	var wire bodyBytes
	var out outcomes
	rec := &recorder{}
	cfg := site.config(t, "/doc", "/photo", "/movie", "/blob", "/fake.html")
	cfg.Depth = 0
	cfg.Transport = &countingTransport{base: site.transport(false), read: &wire}
	cfg.OnOutcome = out.add
	log := &syncBuffer{}
	cfg.Logger = log.logger()
	st, _ := Crawl(t.Context(), cfg, testExtractor{}, rec)
	for _, p := range []string{"/doc", "/photo", "/movie", "/blob", "/fake.html"} {
		if got := out.of(p); !slices.Equal(got, []Reason{ReasonSkippedContentType}) {
			t.Errorf("%s: %v, want skipped_content_type", p, got)
		}
		if n := wire.get(p); n > 64<<10 {
			t.Errorf("%s: %d body bytes read, want <= 64 KiB", p, n)
		}
		if !strings.Contains(log.String(), "url="+site.url(p)+" reason=skipped_content_type") {
			t.Errorf("%s not logged skipped_content_type", p)
		}
		t.Logf("T14 %s: %d body bytes read", p, wire.get(p))
	}
	if len(rec.pages()) != 0 || st.Skipped != 5 {
		t.Errorf("stats %s, %d stored", st, len(rec.pages()))
	}
}
