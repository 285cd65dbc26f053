package scraper

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/newsvault/newsvault/archive"
)

// Extractor tells articles from other pages and extracts them.
// *selectors.Set satisfies it.
type Extractor interface {
	IsArticle(doc *goquery.Document, u *url.URL) bool
	// Extract may modify doc. An error wrapping ErrNotArticle (or
	// selectors.ErrNoContent) counts the page as skipped, not failed.
	Extract(doc *goquery.Document, u *url.URL) (archive.Article, error)
}

// Archive keeps what the crawl extracts; archive.Store satisfies it.
type Archive interface {
	Save(ctx context.Context, c *archive.Capture, a *archive.Article) (archive.Saved, error)
}

// ErrNotArticle says a page is not an article: a skip to count, not a
// failure.
var ErrNotArticle = errors.New("not an article")

// Config configures one crawl. The zero value of each field is usable and
// documented on the field; only StartURLs is required.
type Config struct {
	StartURLs []string // http or https; links are followed only on their hosts (www. or not)
	Depth     int      // link hops to follow: 0 fetches the start pages only
	MaxPages  int      // pages to request at most (retries not counted); 0 = no limit

	// Delay is the least time between the starts of two requests to one
	// host; 0 = none. A robots.txt Crawl-delay raises it (and limits the
	// host to one request at a time); a Crawl-delay over a minute defers the
	// host to a later run.
	Delay    time.Duration
	Parallel int           // requests in flight per host, callbacks included; 0 = 1
	Timeout  time.Duration // per request, body included; 0 = 30s
	MaxBody  int64         // largest body accepted, after decompression; 0 = 10 MiB. Larger pages are refused, never truncated.

	UserAgent    string // "" = DefaultUserAgent
	IgnoreRobots bool   // skip robots.txt entirely

	Logger *slog.Logger // nil = no logs
	// Progress, when set, is called about once a second and once at the
	// end with the counters so far; never concurrently.
	Progress func(Stats)
	// Transport makes the HTTP requests, robots.txt included; nil =
	// http.DefaultTransport. Tests pass one that dials only the test server.
	Transport http.RoundTripper

	backoff time.Duration // first retry's wait; 0 = defaultBackoff. Tests shorten it.
}

const (
	defaultTimeout = 30 * time.Second
	defaultMaxBody = 10 << 20
	// saveTimeout bounds a save that was under way when the crawl was
	// cancelled: it is allowed to finish rather than be torn.
	saveTimeout = 30 * time.Second
)

func (cfg Config) withDefaults() Config {
	cfg.Parallel = max(cfg.Parallel, 1)
	cfg.Delay = max(cfg.Delay, 0)
	cfg.Depth = max(cfg.Depth, 0)
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = defaultMaxBody
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport
	}
	if cfg.backoff <= 0 {
		cfg.backoff = defaultBackoff
	}
	return cfg
}

// Crawl fetches cfg.StartURLs and the pages they link to on the same sites,
// up to cfg.Depth hops, and saves every article ext finds to store.
//
// It returns the counters and an error when the crawl could not do its job:
// a bad Config, a store error (which stops the crawl: the disk may be full),
// no page fetched at all, or ctx cancelled. On cancellation it stops issuing
// requests, lets saves under way finish, and returns within a few seconds
// with an error wrapping ctx.Err(); everything saved stays saved.
func Crawl(ctx context.Context, cfg Config, ext Extractor, store Archive) (Stats, error) {
	cfg = cfg.withDefaults()
	if len(cfg.StartURLs) == 0 {
		return Stats{}, errors.New("crawl: no start URLs")
	}
	starts := make([]*url.URL, 0, len(cfg.StartURLs))
	sites := make(map[string]bool)
	for _, s := range cfg.StartURLs {
		u, err := normalizeURL(nil, s)
		if err != nil {
			return Stats{}, fmt.Errorf("start url %q: %w", s, err)
		}
		starts = append(starts, u)
		sites[siteKey(u)] = true
	}

	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	c := &crawler{
		cfg:   cfg,
		ext:   ext,
		store: store,
		log:   cfg.Logger,
		sites: sites,
		hosts: make(map[string]*host),
		seen:  make(map[string]bool),
		wake:  make(chan struct{}, 1),
		stop:  stop,
		// Each page in flight may hold up to MaxBody bytes (twice, raw and
		// decoded): bound them across hosts too.
		maxInFlight: max(8, 2*cfg.Parallel),
		robotsClient: &http.Client{
			Transport:     &limitTransport{base: cfg.Transport, maxBody: maxRobotsBytes},
			CheckRedirect: robotsRedirect,
			Timeout:       cfg.Timeout,
		},
	}
	c.col = c.newCollector(ctx)
	c.mu.Lock()
	for _, u := range starts {
		c.enqueue(u, 0)
	}
	c.mu.Unlock()

	progressDone := c.reportProgress()
	c.run(ctx)
	// In-flight requests see ctx and end at once; saves under way finish.
	c.col.Wait()
	c.loaders.Wait()
	progressDone()

	st := c.snapshot()
	if cfg.Progress != nil {
		cfg.Progress(st)
	}
	c.mu.Lock()
	storeErr := c.storeErr
	c.mu.Unlock()
	switch {
	case storeErr != nil:
		return st, storeErr
	case ctx.Err() != nil:
		return st, fmt.Errorf("crawl interrupted: %w", ctx.Err())
	case st.Fetched == 0:
		return st, fmt.Errorf("crawl: nothing fetched (%d failed, %d denied by robots.txt, %d skipped)",
			st.Failed, st.RobotsDenied, st.Skipped)
	}
	return st, nil
}

// crawler is the state of one Crawl. mu guards every field below it.
type crawler struct {
	cfg          Config
	ext          Extractor
	store        Archive
	log          *slog.Logger
	sites        map[string]bool // siteKeys of the start URLs
	col          *colly.Collector
	robotsClient *http.Client
	maxInFlight  int
	wake         chan struct{} // a job finished or robots.txt arrived
	stop         context.CancelCauseFunc
	loaders      sync.WaitGroup // robots.txt fetches

	mu         sync.Mutex
	hosts      map[string]*host
	order      []*host
	turn       int             // round-robin start in order
	seen       map[string]bool // normalised URLs queued or fetched in this crawl
	inFlight   int
	loading    int // robots.txt fetches under way
	dispatched int // first attempts issued, for MaxPages
	stats      Stats
	storeErr   error // the first Save error; it stops the crawl
}

// host is one server's queue and politeness state.
type host struct {
	name       string // URL host: lower case, no default port
	log        *slog.Logger
	queue      []*job // first attempts, in discovery order
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
	depth     int
	attempt   int // 0 for the first try
	notBefore time.Time
	host      *host

	status    int
	header    http.Header
	fetchedAt time.Time
	notHTML   string // media type that made the attempt abort after the headers
}

// enqueue adds u at depth unless the crawl has seen it. c.mu must be held.
func (c *crawler) enqueue(u *url.URL, depth int) {
	key := u.String()
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	h := c.host(u.Host)
	if h.deferred {
		c.stats.Deferred++
		return
	}
	h.queue = append(h.queue, &job{u: u, depth: depth, host: h})
}

// host returns the host named name, creating it. c.mu must be held.
func (c *crawler) host(name string) *host {
	if h, ok := c.hosts[name]; ok {
		return h
	}
	h := &host{name: name, log: c.log.With("site", name), parallel: c.cfg.Parallel, delay: c.cfg.Delay}
	if c.cfg.IgnoreRobots {
		h.robots, h.rules = robotsReady, &robotsRules{allowAll: true, state: "ignored"}
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
			c.stats.Deferred += len(h.queue) + len(h.retries)
			h.queue, h.retries = nil, nil
			continue
		}
		if len(h.retries) == 0 && (capped || len(h.queue) == 0) {
			continue
		}
		busy = true
		switch h.robots {
		case robotsUnknown:
			c.loadRobots(ctx, h, h.firstURL())
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
		if j = c.pop(h, now, capped, later); j == nil {
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
			if len(h.retries) > 0 || (!capped && len(h.queue) > 0) {
				busy = true
				break
			}
		}
	}
	return nil, wait, !busy
}

// pop takes h's next job that may start now and robots.txt allows,
// counting the ones it denies. c.mu must be held.
func (c *crawler) pop(h *host, now time.Time, capped bool, later func(time.Time)) *job {
	for i, r := range h.retries {
		if !r.notBefore.After(now) {
			h.retries = append(h.retries[:i], h.retries[i+1:]...)
			return r
		}
		later(r.notBefore)
	}
	for !capped && len(h.queue) > 0 {
		j := h.queue[0]
		h.queue[0] = nil
		h.queue = h.queue[1:]
		if h.rules.allowed(j.u) {
			return j
		}
		c.stats.RobotsDenied++
		h.log.Info("robots.txt denies url", "url", j.u.String(), "robots", h.rules.state)
	}
	return nil
}

// loadRobots fetches h's robots.txt in the background. c.mu must be held.
// u's scheme is used for the robots.txt URL.
func (c *crawler) loadRobots(ctx context.Context, h *host, u *url.URL) {
	h.robots = robotsLoading
	h.robotsDone = make(chan struct{})
	c.loading++
	c.loaders.Go(func() {
		rules := fetchRobots(ctx, c.robotsClient, c.cfg.UserAgent, u)
		c.mu.Lock()
		defer c.mu.Unlock()
		c.loading--
		h.robots, h.rules = robotsReady, rules
		close(h.robotsDone)
		switch {
		case rules.crawlDelay > maxCrawlDelay:
			h.deferred = true
			h.log.Warn("robots.txt crawl-delay over the cap; host deferred to a later run",
				"crawl_delay", rules.crawlDelay, "cap", maxCrawlDelay)
		case rules.crawlDelay > 0:
			h.delay = max(h.delay, rules.crawlDelay)
			h.parallel = 1
		}
		h.log.Debug("robots.txt loaded", "robots", rules.state, "crawl_delay", rules.crawlDelay)
		c.signal()
	})
}

func (h *host) firstURL() *url.URL {
	if len(h.queue) > 0 {
		return h.queue[0].u
	}
	return h.retries[0].u
}

// finish ends j's attempt: its slot is free again. c.mu must be held.
func (c *crawler) finish(j *job) {
	j.host.inFlight--
	c.inFlight--
	c.signal()
}

func (c *crawler) count(f func(*Stats)) {
	c.mu.Lock()
	f(&c.stats)
	c.mu.Unlock()
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
