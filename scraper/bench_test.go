package scraper

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkCrawl crawls a generated loopback site of benchPages pages (each
// about 6 KB, linking to 10 others, every other one an article) and reports
// pages/s. Run with:
//
//	go test -run '^$' -bench Crawl -benchtime 5x ./scraper
func BenchmarkCrawl(b *testing.B) {
	const benchPages = 500
	para := strings.Repeat("The council met on Tuesday to discuss the budget for next year. ", 12)
	page := func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/p/"))
		if err != nil || n < 0 || n >= benchPages {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var sb strings.Builder
		fmt.Fprintf(&sb, "<!DOCTYPE html><html><head><title>Page %d</title></head><body><nav>", n)
		for k := 1; k <= 10; k++ {
			fmt.Fprintf(&sb, `<a href="/p/%d">link %d</a> `, (n*7+k*13)%benchPages, k)
		}
		sb.WriteString("</nav>")
		if n%2 == 0 {
			fmt.Fprintf(&sb, "<article><h1>Story %d</h1>", n)
		} else {
			sb.WriteString("<div>")
		}
		for range 6 {
			fmt.Fprintf(&sb, "<p>%s</p>", para)
		}
		sb.WriteString("</article></body></html>")
		w.Write([]byte(sb.String()))
	}
	site := newTestSite(b, map[string]http.HandlerFunc{"/p/": page})
	for n := range benchPages {
		site.routes[fmt.Sprintf("/p/%d", n)] = page
	}
	b.ResetTimer()
	var fetched int
	start := time.Now()
	for b.Loop() {
		cfg := site.config(b, "/p/0")
		cfg.Depth = 1000
		cfg.Parallel = 8
		cfg.Logger = slog.New(slog.DiscardHandler)
		st, err := Crawl(b.Context(), cfg, testExtractor{}, &recorder{})
		if err != nil {
			b.Fatal(err)
		}
		if st.Fetched != benchPages {
			b.Fatalf("fetched %d of %d pages: %s", st.Fetched, benchPages, st)
		}
		fetched += st.Fetched
	}
	b.ReportMetric(float64(fetched)/time.Since(start).Seconds(), "pages/s")
}
