package main

import (
	"context"
	"fmt"
	"time"

	"github.com/newsvault/newsvault/scraper"
)

const crawlUsage = "[flags] URL..."

func runCrawl(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("crawl", crawlUsage, e.stderr)
	var (
		logs      logFlags
		db        = fs.String("db", "newsvault.db", "archive `path`")
		depth     = fs.Int("depth", 2, "link hops from a start URL (the start page is hop 0)")
		maxPages  = fs.Int("max-pages", 0, "stop after fetching this many pages (0 = no limit)")
		delay     = fs.Duration("delay", time.Second, "delay between requests to one host (0 = none; robots.txt Crawl-delay still applies)")
		parallel  = fs.Int("parallel", 2, "concurrent requests per host")
		timeout   = fs.Duration("timeout", 30*time.Second, "time limit for one request")
		userAgent = fs.String("user-agent", scraper.DefaultUserAgent, "User-Agent header")
		noRobots  = fs.Bool("ignore-robots", false, "do not obey robots.txt")
		profiles  = fs.String("selectors", "", "YAML `file` of extra site profiles")
		maxBody   = byteSize(10 << 20)
		private   listFlag
	)
	fs.Var(&private, "allow-private", "a `host` (name, host:port, IP or IP:port) the crawl may reach although it is loopback or private, e.g. localhost:8080 (repeatable; start URLs given by IP address are allowed already)")
	fs.Var(&maxBody, "max-body", "largest page accepted, after decompression (e.g. 10MiB); larger pages are refused")
	logs.register(fs)
	urls, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(urls) == 0 {
		fs.Usage()
		return usagef("crawl needs at least one start URL")
	}
	switch {
	case *depth < 0:
		return usagef("--depth must be 0 or more")
	case *maxPages < 0:
		return usagef("--max-pages must be 0 or more")
	case *parallel < 1:
		return usagef("--parallel must be 1 or more")
	case *delay < 0 || *timeout <= 0:
		return usagef("--delay must be 0 or more and --timeout more than 0")
	}
	log, err := logs.logger(e.stderr)
	if err != nil {
		return err
	}
	set, err := loadProfiles(*profiles)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()

	fetchLog := newFetchLogger(store, 0, log)
	progress := newProgress(e.stderr)
	stats, crawlErr := scraper.Crawl(ctx, scraper.Config{
		StartURLs:    urls,
		Depth:        *depth,
		MaxPages:     *maxPages,
		Delay:        *delay,
		Parallel:     *parallel,
		Timeout:      *timeout,
		MaxBody:      int64(maxBody),
		UserAgent:    *userAgent,
		IgnoreRobots: *noRobots,
		AllowPrivate: private,
		Logger:       log,
		Progress:     progress.update,
		OnOutcome:    fetchLog.onOutcome(ctx, log),
		Transport:    e.transport,
		Frontier:     frontier(store),
	}, set, store)
	progress.done()
	fetchLog.report()
	fmt.Fprintf(e.stderr, "crawl done in %s: %s\n", progress.elapsed().Round(time.Millisecond), stats)
	if crawlErr != nil {
		return crawlErr
	}
	return nil
}
