package scraper

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/newsvault/newsvault/archive"
)

// Stats counts what a crawl did. Every URL the crawler requests ends in
// exactly one of New, Updated, Unchanged, NotModified, Skipped, Failed (or
// is cut short by cancellation); feeds and sitemaps count as Skipped.
// RobotsDenied, Deferred and Fresh count URLs that were never requested.
type Stats struct {
	Fetched      int // pages whose body was downloaded in full, and 304 answers
	Queued       int // URLs discovered and still waiting to be fetched
	New          int // articles archived for the first time
	Updated      int // articles archived as a new version
	Unchanged    int // articles identical to their latest version
	NotModified  int // known articles answered 304 to a conditional request, and confirmed
	Fresh        int // known articles not requested: within Revisit, or listed as unchanged since their last fetch
	Skipped      int // pages that are not articles, not HTML, or redirects to pages already queued; feeds and sitemaps
	Failed       int // fetch, parse, extraction or save errors (after retries)
	RobotsDenied int // URLs robots.txt does not let us fetch
	Deferred     int // URLs left for a later run: the host asked to wait longer than we will
	Retries      int // extra attempts after a retryable error
	// Reasons counts the URLs by how they ended, indexed by Reason:
	// Reasons[ReasonTooLarge] pages were refused as too large.
	Reasons [NumReasons]int

	// Extraction health over the article pages extracted and saved
	// (New + Updated + Unchanged): a site redesign shows up here first.
	Extracted     int
	EmptyText     int // Text is empty
	NoTitle       int
	NoDate        int // PublishedAt is zero
	MedianTextLen int // median length of Text in characters; 0 when nothing was extracted
}

// String is a one-line summary, e.g.
// "fetched 12, new 3, updated 1, unchanged 0, skipped 8, failed 0, queued 4, robots-denied 1".
// Counters that are usually zero (not-modified, fresh, deferred, retries)
// and the extraction health appear when they have something to say.
func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "fetched %d, new %d, updated %d, unchanged %d, skipped %d, failed %d, queued %d, robots-denied %d",
		s.Fetched, s.New, s.Updated, s.Unchanged, s.Skipped, s.Failed, s.Queued, s.RobotsDenied)
	for _, f := range []struct {
		name string
		n    int
	}{{"not-modified", s.NotModified}, {"fresh", s.Fresh}, {"deferred", s.Deferred}, {"retries", s.Retries}} {
		if f.n > 0 {
			fmt.Fprintf(&b, ", %s %d", f.name, f.n)
		}
	}
	if s.Extracted > 0 {
		fmt.Fprintf(&b, "; extracted %d (empty-text %d, no-title %d, no-date %d, median-text %d)",
			s.Extracted, s.EmptyText, s.NoTitle, s.NoDate, s.MedianTextLen)
	}
	return b.String()
}

// SiteRun is s as the run log records it for the site named name. Queued,
// RobotsDenied and Retries have no place there; Error is left for the
// caller, who knows whether the site failed as a whole.
func (s Stats) SiteRun(name string) archive.SiteRun {
	return archive.SiteRun{
		Site:          name,
		Fetched:       s.Fetched,
		NotModified:   s.NotModified,
		New:           s.New,
		Updated:       s.Updated,
		Unchanged:     s.Unchanged,
		Fresh:         s.Fresh,
		Skipped:       s.Skipped,
		Failed:        s.Failed,
		Deferred:      s.Deferred,
		Extracted:     s.Extracted,
		EmptyText:     s.EmptyText,
		NoTitle:       s.NoTitle,
		NoDate:        s.NoDate,
		MedianTextLen: s.MedianTextLen,
	}
}

// health counts an extracted and saved article. c.mu must be held.
func (c *crawler) health(a *archive.Article) {
	c.stats.Extracted++
	if strings.TrimSpace(a.Text) == "" {
		c.stats.EmptyText++
	}
	if strings.TrimSpace(a.Title) == "" {
		c.stats.NoTitle++
	}
	if a.PublishedAt.IsZero() {
		c.stats.NoDate++
	}
	c.textLens.add(utf8.RuneCountInString(a.Text))
}

// median of ns, the mean of the middle two for an even count; 0 for none.
// ns itself is not reordered.
func median(ns []int) int {
	if len(ns) == 0 {
		return 0
	}
	s := slices.Clone(ns)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

func (c *crawler) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.MedianTextLen = c.textLens.median()
	for _, h := range c.order {
		s.Queued += h.pending() + len(h.retries)
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
