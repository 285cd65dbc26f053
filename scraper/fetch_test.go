package scraper

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCrawlRedirectRecordsFinalURL(t *testing.T) {
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/old-article": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/article1.html", http.StatusMovedPermanently)
		},
	})
	rec := &recorder{}
	st, err := Crawl(t.Context(), site.config(t, "/old-article"), testExtractor{}, rec)
	if err != nil {
		t.Fatalf("Crawl: %v (%s)", err, st)
	}
	p, ok := rec.byURL(site.url("/old-article"))
	if !ok {
		t.Fatalf("nothing saved for /old-article: %v", rec.pages())
	}
	if p.c.FinalURL != site.url("/article1.html") || p.a.URL != site.url("/article1.html") {
		t.Errorf("capture URL %s final %s, article URL %s", p.c.URL, p.c.FinalURL, p.a.URL)
	}
	// article1 links to /, which links to article1 again: fetched once only.
	if n := site.count("/article1.html"); n != 1 {
		t.Errorf("/article1.html requested %d times", n)
	}
}

func TestCrawlRedirectLoops(t *testing.T) {
	var hops atomic.Int64
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/a": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) },
		"/b": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) },
		"/self": func(w http.ResponseWriter, r *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "s", Value: "1"})
			http.Redirect(w, r, "/self", http.StatusFound)
		},
		"/r/": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, fmt.Sprintf("/r/%d", hops.Add(1)), http.StatusFound)
		},
	})
	for _, start := range []string{"/a", "/self", "/r/0"} {
		t.Run(start, func(t *testing.T) {
			rec := &recorder{}
			begin := time.Now()
			st, err := Crawl(t.Context(), site.config(t, start), testExtractor{}, rec)
			if err == nil {
				t.Error("no error for a crawl whose only page loops")
			}
			if d := time.Since(begin); d > 2*time.Second {
				t.Errorf("took %s", d)
			}
			if st.Failed != 1 || st.Retries != 0 || len(rec.pages()) != 0 {
				t.Errorf("stats %s, %d saved", st, len(rec.pages()))
			}
		})
	}
	if n := hops.Load(); n > 10 {
		t.Errorf("followed %d redirects of an endless chain", n)
	}
}

func TestCrawlNonHTMLAbortedAfterHeaders(t *testing.T) {
	const size = 64 << 20
	var written atomic.Int64
	handled := make(chan struct{})
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/video.mp4": func(w http.ResponseWriter, r *http.Request) {
			defer close(handled)
			w.Header().Set("Content-Type", "video/mp4")
			w.Header().Set("Content-Length", fmt.Sprint(size))
			chunk := make([]byte, 32<<10)
			for written.Load() < size {
				n, err := w.Write(chunk)
				written.Add(int64(n))
				if err != nil {
					return
				}
			}
		},
		"/untyped": func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = nil // no type: the crawler sniffs
			w.Write([]byte("%PDF-1.4\n%âãÏÓ\n"))
		},
		"/png-as-html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("\x89PNG\x0d\x0a\x1a\x0a\x00\x00\x00\x0dIHDR"))
		},
	})
	rec := &recorder{}
	cfg := site.config(t, "/video.mp4", "/untyped", "/png-as-html", "/article1.html")
	cfg.Depth = 0
	st, err := Crawl(t.Context(), cfg, testExtractor{}, rec)
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	<-handled
	if st.Skipped != 3 || st.New != 1 || st.Failed != 0 {
		t.Errorf("stats %s; want 3 skipped, 1 new", st)
	}
	if n := written.Load(); n >= size {
		t.Errorf("the whole %d-byte video was sent", n)
	}
	for _, p := range rec.pages() {
		if !strings.HasSuffix(p.c.URL, "/article1.html") {
			t.Errorf("%s was stored", p.c.URL)
		}
	}
}

// gzipBomb returns size zero bytes gzipped: about size/1000 bytes on the wire.
func gzipBomb(t testing.TB, size int64) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	prefix := []byte("<html><body><article><h1>Bomb</h1><p>")
	zw.Write(prefix)
	if _, err := io.CopyN(zw, zeros{}, size-int64(len(prefix))); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return b.Bytes()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestCrawlMaxBody(t *testing.T) {
	const limit = 1 << 20
	bomb := gzipBomb(t, 32<<20)
	big := bytes.Repeat([]byte("<p>filler text</p>\n"), 2*limit/19)
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/big.html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<article><h1>Big</h1>"))
			w.Write(big)
		},
		"/bomb.html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		},
		"/fits.html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<article><h1>Fits</h1><p>"))
			w.Write(bytes.Repeat([]byte("a"), limit-100))
			w.Write([]byte("</p></article>"))
		},
	})
	for _, asked := range []bool{true, false} {
		t.Run(fmt.Sprintf("accept-encoding=%v", asked), func(t *testing.T) {
			rec := &recorder{}
			cfg := site.config(t, "/big.html", "/bomb.html", "/fits.html")
			cfg.MaxBody = limit
			// With compression disabled the transport neither asks for
			// gzip nor decodes it: limitTransport must.
			cfg.Transport = site.transport(!asked)
			st, err := Crawl(t.Context(), cfg, testExtractor{}, rec)
			if err != nil {
				t.Fatalf("Crawl: %v", err)
			}
			if st.Failed != 2 || st.New != 1 {
				t.Errorf("stats %s; want 2 failed, 1 new", st)
			}
			for _, p := range rec.pages() {
				if !strings.HasSuffix(p.c.URL, "/fits.html") {
					t.Errorf("%s stored (%d bytes)", p.c.URL, len(p.c.Body))
				}
			}
		})
	}
}

func TestLimitedReader(t *testing.T) {
	for _, tc := range []struct {
		size, max int64
		ok        bool
	}{{10, 10, true}, {11, 10, false}, {0, 0, true}, {1 << 20, 1000, false}} {
		r := &limitedReader{r: io.LimitReader(zeros{}, tc.size), max: tc.max}
		b, err := io.ReadAll(r)
		if (err == nil) != tc.ok || int64(len(b)) > tc.max {
			t.Errorf("size %d max %d: read %d, err %v", tc.size, tc.max, len(b), err)
		}
	}
}

func TestCrawlRetries(t *testing.T) {
	var tries429, tries503, tries500 atomic.Int64
	var first429, second429 atomic.Int64 // unix nanos
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/throttled.html": func(w http.ResponseWriter, r *http.Request) {
			switch tries429.Add(1) {
			case 1:
				first429.Store(time.Now().UnixNano())
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			case 2:
				second429.Store(time.Now().UnixNano())
			}
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<article><h1>Throttled</h1><p>Finally.</p></article>")
		},
		"/flaky.html": func(w http.ResponseWriter, r *http.Request) {
			if tries503.Add(1) <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<article><h1>Flaky</h1><p>Third time lucky.</p></article>")
		},
		"/broken.html": func(w http.ResponseWriter, r *http.Request) {
			tries500.Add(1)
			w.WriteHeader(http.StatusInternalServerError)
		},
	})
	rec := &recorder{}
	cfg := site.config(t, "/throttled.html", "/flaky.html", "/broken.html")
	st, err := Crawl(t.Context(), cfg, testExtractor{}, rec)
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if st.New != 2 || st.Failed != 1 || st.Retries != 5 {
		t.Errorf("stats %s; want 2 new, 1 failed, 5 retries", st)
	}
	if a, b, c := tries429.Load(), tries503.Load(), tries500.Load(); a != 2 || b != 3 || c != 3 {
		t.Errorf("attempts: 429 page %d, 503 page %d, 500 page %d; want 2, 3, 3", a, b, c)
	}
	if gap := time.Duration(second429.Load() - first429.Load()); gap < time.Second {
		t.Errorf("retried %s after Retry-After: 1", gap)
	}
}

func TestCrawlRetryAfterTooLongDefers(t *testing.T) {
	var tries atomic.Int64
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			tries.Add(1)
			w.Header().Set("Retry-After", "86400")
			w.WriteHeader(http.StatusTooManyRequests)
		},
	})
	begin := time.Now()
	st, err := Crawl(t.Context(), site.config(t, "/"), testExtractor{}, &recorder{})
	if err == nil || st.Deferred != 1 || tries.Load() != 1 {
		t.Errorf("err %v, stats %s, %d tries", err, st, tries.Load())
	}
	if d := time.Since(begin); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestCrawlTruncatedBody(t *testing.T) {
	var tries atomic.Int64
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/cut.html": func(w http.ResponseWriter, r *http.Request) {
			tries.Add(1)
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			fmt.Fprint(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n")
			fmt.Fprint(buf, "<article><h1>Cut</h1><p>"+strings.Repeat("x", 380))
			buf.Flush()
		},
	})
	rec := &recorder{}
	st, err := Crawl(t.Context(), site.config(t, "/cut.html"), testExtractor{}, rec)
	if err == nil || st.Failed != 1 || len(rec.pages()) != 0 {
		t.Errorf("err %v, stats %s, %d saved", err, st, len(rec.pages()))
	}
	if n := tries.Load(); n != maxAttempts {
		t.Errorf("%d attempts, want %d", n, maxAttempts)
	}
}

func TestCrawlTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/hang.html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(200)
			bw := bufio.NewWriter(w)
			bw.WriteString("<article><h1>Hang</h1>")
			bw.Flush()
			http.NewResponseController(w).Flush()
			select {
			case <-r.Context().Done():
			case <-release:
			}
		},
	})
	cfg := site.config(t, "/hang.html")
	cfg.Timeout = 300 * time.Millisecond
	begin := time.Now()
	st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
	if err == nil || st.Failed != 1 || st.Retries != 0 {
		t.Errorf("err %v, stats %s", err, st)
	}
	if d := time.Since(begin); d > 2*time.Second {
		t.Errorf("took %s with a 300ms timeout", d)
	}
}
