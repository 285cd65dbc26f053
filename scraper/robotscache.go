package scraper

import (
	"context"
	"net/url"
	"sync"
	"time"
)

const (
	// robotsTTL is how long fetched rules are used: RFC 9309 asks crawlers
	// not to cache robots.txt for more than 24 hours.
	robotsTTL = 24 * time.Hour
	// robotsStaleMax is how long the last good rules may stand in for an
	// unreachable robots.txt (RFC 9309's "reasonably long period", 30 days).
	robotsStaleMax = 30 * 24 * time.Hour
)

// RobotsCache keeps the robots.txt rules crawls fetch, so that the crawls
// of one process (a scheduler's passes) ask each host for robots.txt at most
// once a day: an entry is used for 24 hours after its fetch, by Config.Now.
// When a refetch finds robots.txt unreachable, the last good rules, up to
// 30 days old, keep applying (RFC 9309 allows a cached copy then) and the
// next crawl asks again. An unreachable robots.txt is never cached: it
// denies its host for one crawl only.
//
// A RobotsCache is safe for concurrent use by several crawls. Its zero
// value is an empty cache.
type RobotsCache struct {
	mu      sync.Mutex
	entries map[string]robotsEntry // by scheme://host
}

type robotsEntry struct {
	rules     *robotsRules
	fetchedAt time.Time
}

// lookup returns key's entry, if any, and whether it is fresh at now.
func (rc *RobotsCache) lookup(key string, now time.Time) (e robotsEntry, fresh bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e, ok := rc.entries[key]
	return e, ok && now.Sub(e.fetchedAt) < robotsTTL
}

// store records rules fetched at now, and forgets entries too old to be
// of any use, so a long-lived cache does not grow with every host ever seen.
func (rc *RobotsCache) store(key string, rules *robotsRules, now time.Time) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.entries == nil {
		rc.entries = make(map[string]robotsEntry)
	}
	for k, e := range rc.entries {
		if now.Sub(e.fetchedAt) > robotsStaleMax {
			delete(rc.entries, k)
		}
	}
	rc.entries[key] = robotsEntry{rules: rules, fetchedAt: now}
}

// robots returns the rules for u's host, from the cache while they are
// fresh, else fetched, and how they were settled.
func (c *crawler) robots(ctx context.Context, u *url.URL) (*robotsRules, RobotsReport) {
	key := u.Scheme + "://" + u.Host
	now := c.cfg.Now()
	cached, fresh := c.cfg.Robots.lookup(key, now)
	if fresh {
		return cached.rules, RobotsReport{Host: u.Host, Status: cached.rules.status, Detail: cached.rules.detail, FetchedAt: cached.fetchedAt}
	}
	rules := fetchRobots(ctx, c.robotsClient, c.cfg.UserAgent, u)
	rep := RobotsReport{Host: u.Host, Status: rules.status, Detail: rules.detail, Fetched: true}
	switch {
	case rules.status != RobotsUnreachable:
		c.cfg.Robots.store(key, rules, now)
		rep.FetchedAt = now
	case cached.rules != nil && cached.rules.status == RobotsOK && now.Sub(cached.fetchedAt) <= robotsStaleMax:
		// Only a file that was read stands in: a host that had none and
		// now fails is more likely overloaded than open to all.
		stale := *cached.rules
		stale.status, stale.detail = RobotsStale, rules.detail
		rules = &stale
		rep.Status, rep.FetchedAt = RobotsStale, cached.fetchedAt
	}
	return rules, rep
}
