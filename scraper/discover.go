package scraper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/newsvault/newsvault/archive"
)

// candidate is a page URL found as a link or listed by a feed or sitemap,
// with the date the listing gives it (zero for links and undated entries).
type candidate struct {
	u      *url.URL
	listed time.Time
}

// matchTarget is what Include and Exclude patterns are matched against.
func matchTarget(u *url.URL) string {
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

func matchAny(res []*regexp.Regexp, u *url.URL) bool {
	if len(res) == 0 {
		return false
	}
	t := matchTarget(u)
	for _, re := range res {
		if re.MatchString(t) {
			return true
		}
	}
	return false
}

// mayBeArticle reports whether u can be an article by Include; without
// Include any page can.
func (c *crawler) mayBeArticle(u *url.URL) bool {
	return len(c.cfg.Include) == 0 || matchAny(c.cfg.Include, u)
}

// discover queues page candidates at depth: those on the crawl's sites,
// not excluded and not seen before. With cfg.Known, an article URL the
// archive knows is asked for conditionally, or not at all when it is fresh.
//
// It runs in the callback of the job that found the candidates, whose slot
// keeps the crawl from ending while the archive is asked.
func (c *crawler) discover(ctx context.Context, log *slog.Logger, cands []candidate, depth int) {
	// c.sites is read-only once the crawl runs.
	kept := make([]candidate, 0, len(cands))
	keys := make([]string, 0, len(cands))
	for _, cd := range cands {
		if c.sites[siteKey(cd.u)] && !skippedExt(cd.u.Path) {
			kept = append(kept, cd)
			keys = append(keys, cd.u.String())
		}
	}
	// One batch for the page's links: a frontier write per link would cost
	// a transaction each.
	fresh, err := c.mark(ctx, keys)
	if err != nil {
		return
	}
	var found []candidate
	for i, cd := range kept {
		if !fresh[i] {
			continue
		}
		if matchAny(c.cfg.Exclude, cd.u) {
			log.Debug("url excluded", "url", keys[i])
			continue
		}
		found = append(found, cd)
	}

	jobs := make([]*job, 0, len(found))
	nFresh := 0
	for _, cd := range found {
		if ctx.Err() != nil {
			break
		}
		j := &job{u: cd.u, depth: depth}
		isFresh, err := c.lookup(ctx, log, j, cd.listed)
		if err != nil {
			if ctx.Err() == nil {
				c.storeFailed(err)
			}
			break
		}
		if isFresh {
			nFresh++
			continue
		}
		jobs = append(jobs, j)
	}

	c.mu.Lock()
	c.stats.Fresh += nFresh
	for _, j := range jobs {
		c.queue(j)
	}
	c.mu.Unlock()
	c.flush(ctx)
}

// lookup asks cfg.Known about j's URL. It reports whether the page is
// fresh (fetched within Revisit, or listed with a date no later than its
// last fetch) and otherwise sets j.known for a conditional request.
func (c *crawler) lookup(ctx context.Context, log *slog.Logger, j *job, listed time.Time) (fresh bool, err error) {
	if c.cfg.Known == nil || !c.mayBeArticle(j.u) {
		return false, nil
	}
	u := j.u.String()
	v, err := c.cfg.Known.Seen(ctx, u)
	if errors.Is(err, archive.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up %s: %w", u, err)
	}
	if !v.FetchedAt.IsZero() {
		if c.cfg.Revisit > 0 && c.cfg.Now().Sub(v.FetchedAt) < c.cfg.Revisit {
			log.Debug("article fresh", "url", u, "reason", "revisit", "fetched_at", v.FetchedAt)
			return true, nil
		}
		if !listed.IsZero() && !listed.After(v.FetchedAt) {
			log.Debug("article fresh", "url", u, "reason", "listed unchanged", "listed", listed, "fetched_at", v.FetchedAt)
			return true, nil
		}
	}
	if v.ETag != "" || v.LastModified != "" {
		j.known = &v
	}
	return false, nil
}

// storeFailed records err, from the archive, as the crawl's store error:
// the first one stops the crawl and is returned by Crawl. It reports
// whether err was the first.
func (c *crawler) storeFailed(err error) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.storeFailedLocked(err)
}

// storeFailedLocked is storeFailed with c.mu held.
func (c *crawler) storeFailedLocked(err error) bool {
	first := c.storeErr == nil
	if first {
		c.storeErr = err
		// The archive is likely unusable (disk full, I/O error). Cancelling
		// only closes channels: nothing it sets off takes c.mu.
		c.stop(err)
	}
	return first
}

// pushDocument queues a feed or sitemap the crawl found, within
// maxSitemapNesting and maxDocuments. It reports whether it is queued (or
// was already). c.mu must be held.
func (c *crawler) pushDocument(ctx context.Context, j *job) bool {
	seen, err := c.front.Seen(ctx, j.u.String())
	if err != nil {
		c.frontierFailedLocked(ctx, err)
		return true // the crawl stops: nothing to warn about
	}
	if seen {
		return true
	}
	if j.nest > maxSitemapNesting || c.documents >= maxDocuments {
		return false
	}
	c.documents++
	c.push(ctx, j)
	return true
}

// robotsSitemaps queues the Sitemap: lines of h's robots.txt that lead
// into the crawl's sites. c.mu must be held.
func (c *crawler) robotsSitemaps(ctx context.Context, h *host, lines []string) {
	for _, s := range lines {
		u, err := normalizeURL(nil, s)
		if err != nil || !c.sites[siteKey(u)] {
			h.log.Debug("robots.txt sitemap ignored", "sitemap", s, "err", err)
			continue
		}
		if !c.pushDocument(ctx, &job{u: u, kind: kindSitemap}) {
			h.log.Warn("robots.txt sitemap not followed: too many feeds and sitemaps", "sitemap", s, "max", maxDocuments)
		}
	}
}

// autodiscover queues the feeds a start page announces. c.mu must not be held.
func (c *crawler) autodiscover(ctx context.Context, h *host, feeds []*url.URL) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, u := range feeds {
		if !c.sites[siteKey(u)] {
			h.log.Debug("announced feed ignored: off the crawl's sites", "feed", u.String())
			continue
		}
		if !c.pushDocument(ctx, &job{u: u, kind: kindFeed}) {
			h.log.Warn("announced feed not followed: too many feeds and sitemaps", "feed", u.String(), "max", maxDocuments)
		}
	}
}

// document is a parsed feed or sitemap.
type document struct {
	format   string  // "rss", "atom", "json", "sitemap" or "sitemapindex"
	entries  []entry // pages
	sitemaps []entry // sitemaps, for a sitemap index
	dropped  int     // entries past maxEntries
}

// parseDocument reads a feed or a sitemap, whichever body is. On a
// sitemap syntax error it returns the entries before the error with it.
func parseDocument(body []byte) (document, error) {
	body = bytes.TrimPrefix(body, []byte("\uFEFF"))
	sm, err := parseSitemap(bytes.NewReader(body))
	re, notSitemap := errors.AsType[*rootError](err)
	if !notSitemap {
		d := document{format: "sitemap", entries: sm.entries, dropped: sm.dropped}
		if sm.index {
			d = document{format: "sitemapindex", sitemaps: sm.entries, dropped: sm.dropped}
		}
		return d, err
	}
	entries, format, dropped, err := feedEntries(body)
	if errors.Is(err, errNotFeed) {
		return document{}, fmt.Errorf("neither a feed nor a sitemap: %w", re)
	}
	if err != nil {
		return document{}, err
	}
	return document{format: format, entries: entries, dropped: dropped}, nil
}

// readDocument handles a fetched feed or sitemap: it queues the sitemaps
// it indexes and the pages it lists, one hop from the start, leaving out
// those older than MaxAge. It returns how to count the outcome: a
// document is not an article, so a readable one counts as skipped.
func (c *crawler) readDocument(ctx context.Context, j *job, r *colly.Response, final *url.URL) func(*Stats) {
	h := j.host
	u := final.String()
	failed := func(reason Reason, msg string, err error, args ...any) func(*Stats) {
		h.log.Warn(msg, append([]any{"url", u, "kind", j.kind.String(), "reason", reason, "err", err}, args...)...)
		c.outcome(URLOutcome{URL: u, Reason: reason, Status: j.status, Err: fmt.Errorf("%s: %w", msg, err)})
		return func(s *Stats) { s.Failed++ }
	}
	body, err := gunzipMagic(r.Body, c.cfg.MaxBody)
	if err != nil {
		reason := ReasonParseFailed
		if errors.Is(err, errTooLarge) {
			reason = ReasonTooLarge
		}
		return failed(reason, j.kind.String()+" not decompressed", err)
	}
	doc, parseErr := parseDocument(body)
	if parseErr != nil && len(doc.entries)+len(doc.sitemaps) == 0 {
		return failed(ReasonParseFailed, j.kind.String()+" not parsed", parseErr)
	}

	var horizon time.Time
	if c.cfg.MaxAge > 0 {
		horizon = c.cfg.Now().Add(-c.cfg.MaxAge)
	}
	old, offsite := 0, 0
	resolve := func(e entry) *url.URL {
		if !horizon.IsZero() && !e.date.IsZero() && e.date.Before(horizon) {
			old++
			return nil
		}
		l, err := normalizeURL(final, e.loc)
		if err != nil || !c.sites[siteKey(l)] {
			offsite++
			return nil
		}
		return l
	}

	refused := 0
	c.mu.Lock()
	for _, e := range doc.sitemaps {
		if l := resolve(e); l != nil && !c.pushDocument(ctx, &job{u: l, kind: kindSitemap, nest: j.nest + 1}) {
			refused++
		}
	}
	c.mu.Unlock()
	if refused > 0 {
		h.log.Warn("indexed sitemaps not followed: nested too deep or too many feeds and sitemaps",
			"url", u, "refused", refused, "max_nesting", maxSitemapNesting, "max_documents", maxDocuments)
	}

	cands := make([]candidate, 0, len(doc.entries))
	for _, e := range doc.entries {
		if l := resolve(e); l != nil {
			cands = append(cands, candidate{u: l, listed: e.date})
		}
	}
	if ctx.Err() == nil {
		c.discover(ctx, h.log, cands, 1)
	}
	h.log.Info(j.kind.String()+" read", "url", u, "format", doc.format,
		"entries", len(doc.entries), "sitemaps", len(doc.sitemaps), "too_old", old, "offsite", offsite, "dropped", doc.dropped)
	if parseErr != nil {
		return failed(ReasonParseFailed, j.kind.String()+" malformed; entries before the error kept", parseErr,
			"kept", len(doc.entries)+len(doc.sitemaps))
	}
	return func(s *Stats) { s.Skipped++ }
}
