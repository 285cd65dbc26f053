package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/archive/sqlite"
	"github.com/newsvault/newsvault/scraper"
	"github.com/newsvault/newsvault/selectors"
)

const parallel = 32

// crawlNewsvault runs the path "newsvault crawl" runs: built-in profiles,
// a SQLite archive in dir, scraper.Crawl with robots.txt obeyed.
func crawlNewsvault(ctx context.Context, start, dir string) (result, error) {
	set, err := selectors.Builtin()
	if err != nil {
		return result{}, fmt.Errorf("load built-in profiles: %w", err)
	}
	db := filepath.Join(dir, "bench.db")
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		return result{}, fmt.Errorf("open archive %s: %w", db, err)
	}
	cpu0, t0 := rusage(), time.Now()
	// The start URL is given by IP address, which allows its IP:port; no
	// AllowPrivate entry is needed.
	st, crawlErr := scraper.Crawl(ctx, scraper.Config{
		StartURLs: []string{start},
		Depth:     2,
		Parallel:  parallel,
		Frontier: func(ctx context.Context) (scraper.Frontier, error) {
			return store.OpenFrontier(ctx)
		},
	}, set, store)
	elapsed, cpu := time.Since(t0), rusage()-cpu0
	if err := store.Close(); err != nil {
		return result{}, fmt.Errorf("close archive: %w", err)
	}
	if crawlErr != nil {
		return result{}, fmt.Errorf("crawl: %w", crawlErr)
	}
	var size int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(db + suffix); err == nil {
			size += fi.Size()
		}
	}
	return result{
		Pages: st.Fetched, Articles: st.New + st.Updated + st.Unchanged, Failed: st.Failed,
		Elapsed: elapsed, CPU: cpu, PeakRSS: peakRSS(), Bytes: size, Detail: st.String(),
	}, nil
}

// crawlColly is the reference: plain Colly fetching and following links,
// nothing else (no robots.txt, no extraction, no storage). Its transport
// keeps as many idle connections per host as newsvault's does, so both
// reuse connections alike.
func crawlColly(ctx context.Context, start string) (result, error) {
	u, err := url.Parse(start)
	if err != nil {
		return result{}, err
	}
	c := colly.NewCollector(
		colly.Async(true),
		colly.MaxDepth(3), // colly counts the start page as depth 1
		colly.AllowedDomains(u.Hostname()),
		colly.StdlibContext(ctx),
	)
	c.WithTransport(&http.Transport{MaxIdleConns: 100, MaxIdleConnsPerHost: parallel, IdleConnTimeout: 90 * time.Second})
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: parallel}); err != nil {
		return result{}, err
	}
	var pages, articles, failed atomic.Int64
	c.OnResponse(func(r *colly.Response) {
		pages.Add(1)
		if strings.HasPrefix(r.Request.URL.Path, "/news/") {
			articles.Add(1)
		}
	})
	c.OnError(func(r *colly.Response, err error) { failed.Add(1) })
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		// Already-visited and off-site links come back as errors: expected.
		_ = e.Request.Visit(e.Attr("href"))
	})
	cpu0, t0 := rusage(), time.Now()
	if err := c.Visit(start); err != nil {
		return result{}, fmt.Errorf("visit %s: %w", start, err)
	}
	c.Wait()
	return result{
		Pages: int(pages.Load()), Articles: int(articles.Load()), Failed: int(failed.Load()),
		Elapsed: time.Since(t0), CPU: rusage() - cpu0, PeakRSS: peakRSS(),
	}, nil
}

// exportArchive writes every article of the archive in dir to /dev/null as
// JSON Lines, as "newsvault export" does.
func exportArchive(ctx context.Context, dir string) (result, error) {
	db := filepath.Join(dir, "bench.db")
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		return result{}, fmt.Errorf("open archive %s: %w", db, err)
	}
	defer store.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return result{}, err
	}
	defer null.Close()
	cpu0, t0 := rusage(), time.Now()
	enc := archive.NewEncoder(null, archive.JSONLines)
	// ArticlesAfter, in change order, is what "newsvault export" reads.
	if _, err := store.ArticlesAfter(ctx, archive.Filter{}, enc.Encode); err != nil {
		return result{}, fmt.Errorf("export: %w", err)
	}
	if err := enc.Close(); err != nil {
		return result{}, fmt.Errorf("export: %w", err)
	}
	return result{
		Pages: enc.Count(), Articles: enc.Count(),
		Elapsed: time.Since(t0), CPU: rusage() - cpu0, PeakRSS: peakRSS(),
	}, nil
}
