package scraper

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/newsvault/newsvault/archive"
)

// host is one server's queue and politeness state.
type host struct {
	name string // URL host: lower case, no default port
	log  *slog.Logger
	// First attempts, in discovery order: see window.go.
	queue      []*job
	stored     int
	flushing   int
	outbox     []*job
	retries    []*job // later attempts, each with its notBefore
	inFlight   int
	parallel   int
	delay      time.Duration
	last       time.Time // start of the latest request
	notBefore  time.Time // from a Retry-After
	robots     robotsState
	rules      *robotsRules
	robotsDone chan struct{} // closed when rules is set
	deferred   bool          // this run leaves the host alone
}

type robotsState int

const (
	robotsUnknown robotsState = iota
	robotsLoading
	robotsReady
)

// job is one URL to fetch. Its response fields belong to the goroutine
// running the current attempt.
type job struct {
	u         *url.URL
	kind      jobKind
	depth     int // link hops from a start URL; feed and sitemap entries are at 1
	nest      int // for sitemaps: how many indexes led here
	attempt   int // 0 for the first try
	notBefore time.Time
	host      *host
	// known holds the validators of the last fetch of an article URL the
	// archive knows; the request is then conditional.
	known *archive.Validators

	status    int
	header    http.Header
	fetchedAt time.Time
	notHTML   string // media type that made the attempt abort after the headers
}

// jobKind tells pages from the discovery documents that list them.
type jobKind int

const (
	kindPage jobKind = iota
	kindFeed
	kindSitemap
)

func (k jobKind) String() string {
	switch k {
	case kindFeed:
		return "feed"
	case kindSitemap:
		return "sitemap"
	}
	return "page"
}

// push queues j unless the crawl has seen its URL. It asks the frontier
// with c.mu held: it is used for start URLs, feeds and sitemaps only, a few
// hundred at most. c.mu must be held.
func (c *crawler) push(ctx context.Context, j *job) {
	fresh, err := c.front.Mark(ctx, []string{j.u.String()})
	if err != nil {
		c.frontierFailedLocked(ctx, err)
		return
	}
	if fresh[0] {
		c.queue(j)
	}
}

// host returns the host named name, creating it. c.mu must be held.
func (c *crawler) host(name string) *host {
	if h, ok := c.hosts[name]; ok {
		return h
	}
	h := &host{name: name, log: c.log.With("host", name), parallel: c.cfg.Parallel, delay: c.cfg.Delay}
	if c.cfg.IgnoreRobots {
		h.robots, h.rules = robotsReady, &robotsRules{allowAll: true, status: robotsIgnored}
		h.robotsDone = make(chan struct{})
		close(h.robotsDone)
	}
	// The scheduler already keeps to Parallel; the rule is colly's own
	// guard. Its Delay stays 0: colly sleeps it with time.Sleep after every
	// request, even a cancelled one, and before the response reaches our
	// callbacks. Delays are scheduled in next instead, where ctx can end them.
	if err := c.col.Limit(&colly.LimitRule{DomainRegexp: "^" + regexp.QuoteMeta(name) + "$", Parallelism: c.cfg.Parallel}); err != nil {
		h.log.Warn("colly limit rule rejected", "err", err)
	}
	c.hosts[name] = h
	c.order = append(c.order, h)
	return h
}

// run dispatches jobs until none is left or ctx ends.
func (c *crawler) run(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		c.mu.Lock()
		j, wait, idle := c.next(ctx, time.Now())
		c.mu.Unlock()
		if j != nil {
			c.launch(j)
			continue
		}
		if idle || ctx.Err() != nil {
			return
		}
		var tick <-chan time.Time
		if wait >= 0 {
			timer.Reset(wait)
			tick = timer.C
		}
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
		case <-tick:
		}
	}
}

// signal wakes run.
func (c *crawler) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// next picks a job that may start now and marks it started. Otherwise it
// returns how long until one may (-1: until something finishes) and
// whether the crawl is over. c.mu must be held.
func (c *crawler) next(ctx context.Context, now time.Time) (j *job, wait time.Duration, idle bool) {
	wait = -1
	busy := c.inFlight > 0 || c.loading > 0
	capped := c.cfg.MaxPages > 0 && c.dispatched >= c.cfg.MaxPages
	later := func(t time.Time) {
		if d := t.Sub(now); wait < 0 || d < wait {
			wait = d
		}
	}
	n := len(c.order)
	for i := range n {
		h := c.order[(c.turn+i)%n]
		if h.deferred {
			// Jobs being flushed are counted when flush is done.
			c.stats.Deferred += len(h.queue) + len(h.retries) + h.stored + len(h.outbox)
			c.unflushed -= len(h.outbox)
			h.queue, h.retries, h.outbox, h.stored = nil, nil, nil, 0
			continue
		}
		if len(h.retries) == 0 && (capped || h.pending() == 0) {
			continue
		}
		busy = true
		switch h.robots {
		case robotsUnknown:
			if u := c.firstURL(ctx, h); u != nil {
				c.loadRobots(ctx, h, u)
			}
			continue
		case robotsLoading:
			continue
		}
		if c.inFlight >= c.maxInFlight || h.inFlight >= h.parallel {
			continue
		}
		ready := h.notBefore
		if !h.last.IsZero() && h.last.Add(h.delay).After(ready) {
			ready = h.last.Add(h.delay)
		}
		if ready.After(now) {
			later(ready)
			continue
		}
		if j = c.pop(ctx, h, now, capped, later); j == nil {
			continue
		}
		h.inFlight++
		h.last = now
		c.inFlight++
		if j.attempt == 0 {
			c.dispatched++
		}
		c.turn = (c.turn + i + 1) % n
		return j, 0, false
	}
	if busy && c.inFlight == 0 && c.loading == 0 {
		// pop may have emptied the queues, denying their URLs.
		busy = false
		for _, h := range c.order {
			if len(h.retries) > 0 || (!capped && h.pending() > 0) {
				busy = true
				break
			}
		}
	}
	return nil, wait, !busy
}

// pop takes h's next job that may start now and robots.txt allows,
// counting the ones it denies. c.mu must be held.
func (c *crawler) pop(ctx context.Context, h *host, now time.Time, capped bool, later func(time.Time)) *job {
	for i, r := range h.retries {
		if !r.notBefore.After(now) {
			h.retries = append(h.retries[:i], h.retries[i+1:]...)
			return r
		}
		later(r.notBefore)
	}
	for !capped {
		c.fill(ctx, h)
		if len(h.queue) == 0 {
			break
		}
		j := h.queue[0]
		h.queue[0] = nil
		h.queue = h.queue[1:]
		if h.rules.allowed(j.u) {
			return j
		}
		c.stats.RobotsDenied++
		h.log.Info("robots.txt denies url", "url", j.u.String(), "robots", h.rules.status)
	}
	return nil
}

// loadRobots settles h's robots.txt in the background, from the cache or
// the host. c.mu must be held. u's scheme is used for the robots.txt URL.
func (c *crawler) loadRobots(ctx context.Context, h *host, u *url.URL) {
	h.robots = robotsLoading
	h.robotsDone = make(chan struct{})
	c.loading++
	c.loaders.Go(func() {
		rules, rep := c.robots(ctx, u)
		c.mu.Lock()
		c.loading--
		rep.CrawlDelay = rules.crawlDelay
		rep.Deferred = c.settleRobots(ctx, h, rules)
		c.signal()
		c.mu.Unlock()
		if c.cfg.OnRobots != nil {
			c.reportMu.Lock()
			c.cfg.OnRobots(rep)
			c.reportMu.Unlock()
		}
	})
}

// settleRobots applies rules to h and reports whether they defer it.
// c.mu must be held.
func (c *crawler) settleRobots(ctx context.Context, h *host, rules *robotsRules) (deferred bool) {
	h.robots, h.rules = robotsReady, rules
	close(h.robotsDone)
	switch {
	case rules.crawlDelay > c.cfg.MaxCrawlDelay:
		h.deferred = true
		h.log.Warn("robots.txt crawl-delay over the cap; host deferred to a later run",
			"crawl_delay", rules.crawlDelay, "cap", c.cfg.MaxCrawlDelay)
	case rules.crawlDelay > 0:
		h.delay = max(h.delay, rules.crawlDelay)
		h.parallel = 1
	}
	switch rules.status {
	case RobotsUnreachable:
		h.log.Warn("robots.txt unreachable; host denied for this crawl", "robots", rules.status, "detail", rules.detail)
	case RobotsStale:
		h.log.Warn("robots.txt unreachable; its last good copy applies", "robots", rules.status, "detail", rules.detail)
	default:
		h.log.Debug("robots.txt loaded", "robots", rules.status, "detail", rules.detail,
			"crawl_delay", rules.crawlDelay, "sitemaps", len(rules.sitemaps))
	}
	if c.cfg.Depth >= 1 && !h.deferred {
		c.robotsSitemaps(ctx, h, rules.sitemaps)
	}
	return h.deferred
}

// firstURL is a URL h's robots.txt is fetched for: its scheme is used.
// nil when h has none in memory yet (they are being flushed). c.mu must
// be held.
func (c *crawler) firstURL(ctx context.Context, h *host) *url.URL {
	c.fill(ctx, h)
	switch {
	case len(h.queue) > 0:
		return h.queue[0].u
	case len(h.outbox) > 0:
		return h.outbox[0].u
	case len(h.retries) > 0:
		return h.retries[0].u
	}
	return nil
}

// onRequest stamps the start of j's request on its host when colly sends
// it, later than next dispatched it: the gaps the server sees then never
// fall short of the delay by colly's dispatch latency.
func (c *crawler) onRequest(r *colly.Request) {
	j := jobOf(r.Ctx)
	c.mu.Lock()
	j.host.last = later(j.host.last, time.Now())
	c.mu.Unlock()
}

// finish ends j's attempt: its slot is free again. c.mu must be held.
func (c *crawler) finish(j *job) {
	j.host.inFlight--
	c.inFlight--
	c.signal()
}
