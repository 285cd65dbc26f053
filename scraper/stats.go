package scraper

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Stats counts what a crawl did. Every page the crawler requests ends in
// exactly one of New, Updated, Unchanged, Skipped, Failed (or is cut short by
// cancellation); RobotsDenied and Deferred count URLs that were never
// requested.
type Stats struct {
	Fetched      int // pages whose body was downloaded in full
	Queued       int // URLs discovered and still waiting to be fetched
	New          int // articles archived for the first time
	Updated      int // articles archived as a new version
	Unchanged    int // articles identical to their latest version
	Skipped      int // pages that are not articles, not HTML, or redirects to pages already queued
	Failed       int // fetch, extraction or save errors (after retries)
	RobotsDenied int // URLs robots.txt does not let us fetch
	Deferred     int // URLs left for a later run: the host asked to wait longer than we will
	Retries      int // extra attempts after a retryable error
}

// String is a one-line summary, e.g.
// "fetched 12, new 3, updated 1, unchanged 0, skipped 8, failed 0, queued 4, robots-denied 1".
func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "fetched %d, new %d, updated %d, unchanged %d, skipped %d, failed %d, queued %d, robots-denied %d",
		s.Fetched, s.New, s.Updated, s.Unchanged, s.Skipped, s.Failed, s.Queued, s.RobotsDenied)
	if s.Deferred > 0 {
		fmt.Fprintf(&b, ", deferred %d", s.Deferred)
	}
	if s.Retries > 0 {
		fmt.Fprintf(&b, ", retries %d", s.Retries)
	}
	return b.String()
}

func (c *crawler) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	for _, h := range c.order {
		s.Queued += len(h.queue) + len(h.retries)
	}
	return s
}

// reportProgress calls cfg.Progress every second until the returned func
// is called, which waits for the reporting goroutine to end.
func (c *crawler) reportProgress() func() {
	if c.cfg.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				c.cfg.Progress(c.snapshot())
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}
