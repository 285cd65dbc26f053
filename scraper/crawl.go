package scraper

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
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

// Known is what an incremental crawl asks of the archive about URLs it
// archived before; archive.Changes satisfies it.
type Known interface {
	// Seen returns the validators of the last fetch of url, or an error
	// wrapping archive.ErrNotFound when url never gave an article.
	Seen(ctx context.Context, url string) (archive.Validators, error)
	// Confirm records a 304 Not Modified answer for url.
	Confirm(ctx context.Context, url string, v archive.Validators) error
}

// ErrNotArticle says a page is not an article: a skip to count, not a
// failure.
var ErrNotArticle = errors.New("not an article")

// Config configures one crawl. The zero value of each field is usable and
// documented on the field; at least one of StartURLs, Feeds and Sitemaps is
// required.
type Config struct {
	StartURLs []string // http or https; links are followed only on their hosts (www. or not)
	Depth     int      // link hops to follow: 0 fetches the start pages only
	MaxPages  int      // pages to request at most (retries not counted); 0 = no limit

	// Feeds (RSS, Atom, JSON Feed) and Sitemaps (XML, gzipped or not,
	// sitemap indexes, Google News) are fetched whatever Depth is, and their
	// hosts join the start hosts. The entries they list are candidates one
	// hop from the start, so links on them are followed only when Depth > 1.
	// With Depth >= 1 the crawl also reads the Sitemap: lines of the start
	// hosts' robots.txt and the feeds start pages announce with <link
	// rel="alternate">.
	Feeds    []string
	Sitemaps []string

	// Include and Exclude are matched against a URL's escaped path plus
	// "?query" when it has one. An Exclude match is never fetched (start
	// URLs, feeds and sitemaps aside). When Include is set, a page matching
	// one of its patterns is an article and any other page is only followed;
	// when it is empty, the Extractor's IsArticle decides.
	Include []*regexp.Regexp
	Exclude []*regexp.Regexp

	// Known, when set, makes the crawl incremental: a URL it has seen is
	// fetched with If-None-Match / If-Modified-Since, and not at all when it
	// was fetched within Revisit or a feed or sitemap dates it no later than
	// its last fetch. nil = every page is fetched in full.
	Known   Known
	Revisit time.Duration // 0 = no revisit interval: known articles are always asked for
	// MaxAge skips feed and sitemap entries (and indexed sitemaps) whose
	// date is older than Now()-MaxAge; 0 = no horizon. Undated entries are kept.
	MaxAge time.Duration
	Now    func() time.Time // nil = time.Now; fetch times, Revisit, MaxAge and the robots.txt cache use it

	// Delay is the least time between the starts of two requests to one
	// host; 0 = none. A robots.txt Crawl-delay raises it (and limits the
	// host to one request at a time); a Crawl-delay over MaxCrawlDelay
	// defers the host to a later run: none of its URLs is requested.
	Delay    time.Duration
	Parallel int           // requests in flight per host, callbacks included; 0 = 1
	Timeout  time.Duration // per request, body included; 0 = 30s
	MaxBody  int64         // largest body accepted, after decompression; 0 = 10 MiB. Larger pages are refused, never truncated.

	UserAgent    string // "" = DefaultUserAgent
	IgnoreRobots bool   // skip robots.txt entirely
	// Robots keeps robots.txt rules across crawls, for 24 hours each; nil =
	// a cache for this crawl only. A scheduler passes one to all its crawls.
	Robots *RobotsCache
	// OnRobots, when set, is called once for each host whose robots.txt
	// the crawl settles (not with IgnoreRobots); never concurrently.
	OnRobots func(RobotsReport)
	// MaxCrawlDelay is the longest robots.txt Crawl-delay obeyed (see
	// Delay); 0 = 5 minutes.
	MaxCrawlDelay time.Duration

	Logger *slog.Logger // nil = no logs
	// Progress, when set, is called about once a second and once at the
	// end with the counters so far; never concurrently.
	Progress func(Stats)
	// Transport makes the HTTP requests, robots.txt included; nil = the
	// crawl's own http.Transport, which connects only through the SSRF
	// guard (see AllowPrivate) and is closed when the crawl ends. A
	// Transport given here does its own dialing: AllowPrivate, Resolver
	// and Dialer do not apply to it, and Proxy only when it is an
	// *http.Transport (a clone is used). Tests pass one that dials only the
	// test server.
	Transport http.RoundTripper

	// HeaderTimeout bounds the wait for a response's headers, so a server
	// that accepts and never answers fails early; 0 = only Timeout applies.
	HeaderTimeout time.Duration

	// Headers and Cookies go with every request to the hosts of StartURLs,
	// Feeds and Sitemaps (robots.txt included) and to no other host, not
	// even one a redirect leads to. Proxy, when set, carries every request
	// (http, https or socks5; its user info becomes Proxy-Authorization).
	// All three are secrets: their values are redacted from logs, errors
	// and OnOutcome, and never stored. nil = none.
	Headers http.Header
	Cookies []*http.Cookie
	Proxy   *url.URL

	// AllowPrivate lists the special-purpose destinations (loopback,
	// private, link-local, CGNAT, documentation, reserved... the IANA
	// registries) the crawl may connect to anyway: a host name (any port,
	// whatever it resolves to), a host:port, an IP (any port) or an IP:port.
	// A start URL, feed or sitemap given by IP address allows its IP:port,
	// and the proxy its host:port; nothing else special is ever dialed, so
	// a redirect or a DNS answer cannot lead the crawl into the network it
	// runs in. nil = only those implicit entries.
	AllowPrivate []string
	// Resolver looks up host names for the crawl's own transport; nil =
	// net.DefaultResolver.
	Resolver Resolver
	// Dialer connects the crawl's own transport to an address the guard
	// allowed; its Control, if any, runs after the guard's check. nil = a
	// net.Dialer with a 10 s connect timeout.
	Dialer *net.Dialer

	// OnOutcome, when set, is told the fate of every URL the crawl deals
	// with (see Reason); never concurrently.
	OnOutcome func(URLOutcome)

	// Frontier opens where the crawl keeps the URLs it has seen and those
	// waiting to be fetched beyond a window of a few dozen per host, so its
	// memory does not grow with the site; the archive's file is the place
	// (sqlite.Store.OpenFrontier). nil = in memory, which grows with the
	// number of URLs the crawl finds.
	Frontier OpenFrontier

	backoff time.Duration // first retry's wait; 0 = defaultBackoff. Tests shorten it.
	// bodyRead is told the bytes read of each body, after decompression.
	bodyRead func(u string, n int64)
}

const (
	defaultTimeout = 30 * time.Second
	defaultMaxBody = 10 << 20
	// saveTimeout bounds a save that was under way when the crawl was
	// cancelled: it is allowed to finish rather than be torn.
	saveTimeout = 30 * time.Second
	// frontierCloseTimeout bounds the frontier's Close after a cancelled
	// crawl.
	frontierCloseTimeout = 2 * time.Second
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
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	if cfg.Dialer == nil {
		cfg.Dialer = defaultDialer()
	}
	if cfg.backoff <= 0 {
		cfg.backoff = defaultBackoff
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxCrawlDelay <= 0 {
		cfg.MaxCrawlDelay = defaultMaxCrawlDelay
	}
	if cfg.Robots == nil {
		cfg.Robots = &RobotsCache{}
	}
	cfg.Revisit = max(cfg.Revisit, 0)
	cfg.MaxAge = max(cfg.MaxAge, 0)
	return cfg
}

// Crawl fetches cfg.StartURLs, cfg.Feeds and cfg.Sitemaps, the pages they
// link to or list on the same sites, up to cfg.Depth hops, and saves every
// article ext finds to store.
//
// Crawl shares nothing with other calls: several may run at once, one per
// site, in one process.
//
// It returns the counters and an error when the crawl could not do its job:
// a bad Config, a store error (which stops the crawl: the disk may be full),
// no page fetched at all, or ctx cancelled. On cancellation it stops issuing
// requests, lets saves under way finish, and returns within a few seconds
// with an error wrapping ctx.Err(); everything saved stays saved.
func Crawl(ctx context.Context, cfg Config, ext Extractor, store Archive) (Stats, error) {
	cfg = cfg.withDefaults()
	if len(cfg.StartURLs)+len(cfg.Feeds)+len(cfg.Sitemaps) == 0 {
		return Stats{}, errors.New("crawl: no start URLs, feeds or sitemaps")
	}
	sites := make(map[string]bool)
	named := make(map[string]bool) // hosts that get Headers and Cookies
	policy := newAddrPolicy()
	var blocked []URLOutcome
	var starts []*job
	for _, list := range []struct {
		name string
		urls []string
		kind jobKind
	}{{"start url", cfg.StartURLs, kindPage}, {"feed", cfg.Feeds, kindFeed}, {"sitemap", cfg.Sitemaps, kindSitemap}} {
		for _, s := range list.urls {
			u, err := normalizeURL(nil, s)
			if errors.Is(err, errSchemeBlocked) {
				blocked = append(blocked, URLOutcome{URL: s, Reason: ReasonSchemeBlocked, Err: err})
				continue
			}
			if err != nil {
				return Stats{}, fmt.Errorf("%s %q: %w", list.name, s, err)
			}
			starts = append(starts, &job{u: u, kind: list.kind})
			sites[siteKey(u)] = true
			named[hostKey(u)] = true
			policy.allowURLHost(u.Hostname(), portOf(u))
		}
	}
	for _, e := range cfg.AllowPrivate {
		if err := policy.allow(e); err != nil {
			return Stats{}, fmt.Errorf("crawl config: %w", err)
		}
	}
	sec := newSecrets(cfg, named)
	if len(sec.values) > 0 {
		cfg.Logger = slogWith(cfg.Logger, sec)
	}
	base, own, err := crawlTransport(cfg, policy)
	if err != nil {
		return Stats{}, sec.wrapErr(err)
	}
	if own != nil {
		defer own.CloseIdleConnections()
	}
	base = &secretTransport{base: noReplayTransport{base}, s: sec}

	openFrontier := cfg.Frontier
	if openFrontier == nil {
		openFrontier = newMemFrontier
	}
	front, err := openFrontier(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("open crawl frontier: %w", err)
	}
	parent := ctx
	defer func() {
		// Also after a cancellation, but then briefly: a cancelled crawl
		// must return within seconds, and what Close leaves is deleted
		// when the next crawl starts.
		timeout := saveTimeout
		if parent.Err() != nil {
			timeout = frontierCloseTimeout
		}
		cctx, cancel := context.WithTimeout(context.WithoutCancel(parent), timeout)
		defer cancel()
		if err := front.Close(cctx); err != nil {
			cfg.Logger.Warn("crawl frontier not deleted; a later crawl will", "err", err)
		}
	}()

	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	c := &crawler{
		cfg:   cfg,
		ext:   ext,
		store: store,
		log:   cfg.Logger,
		sites: sites,
		hosts: make(map[string]*host),
		front: front,
		wake:  make(chan struct{}, 1),
		stop:  stop,
		// Each page in flight may hold up to MaxBody bytes (twice, raw and
		// decoded): bound them across hosts too.
		maxInFlight: max(8, 2*cfg.Parallel),
		secrets:     sec,
		robotsClient: &http.Client{
			Transport:     &limitTransport{base: base, maxBody: maxRobotsBytes, headerTimeout: cfg.HeaderTimeout},
			CheckRedirect: robotsRedirect,
			Timeout:       cfg.Timeout,
		},
	}
	c.col = c.newCollector(ctx, base)
	c.col.OnRequest(c.onRequest)
	for _, o := range blocked {
		c.log.Warn("url not fetched", "url", o.URL, "reason", o.Reason, "err", o.Err)
		c.outcome(o)
	}
	c.mu.Lock()
	for _, j := range starts {
		c.push(ctx, j)
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
		return st, sec.wrapErr(storeErr)
	case ctx.Err() != nil:
		return st, fmt.Errorf("crawl interrupted: %w", ctx.Err())
	case st.Fetched == 0:
		return st, fmt.Errorf("crawl: nothing fetched (%d failed, %d denied by robots.txt, %d skipped, %d blocked)",
			st.Failed, st.RobotsDenied, st.Skipped, st.Reasons[ReasonSchemeBlocked]+st.Reasons[ReasonAddressBlocked])
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
	secrets      *secrets
	outMu        sync.Mutex // serialises cfg.OnOutcome
	maxInFlight  int
	wake         chan struct{} // a job finished or robots.txt arrived
	stop         context.CancelCauseFunc
	loaders      sync.WaitGroup // robots.txt fetches
	reportMu     sync.Mutex     // serialises cfg.OnRobots
	// front holds the seen set (normalised URLs queued or fetched in this
	// crawl, and "blocked "+href for links not followed) and the hosts'
	// queued jobs beyond their windows. flushMu serialises flush.
	front   Frontier
	flushMu sync.Mutex

	mu         sync.Mutex
	hosts      map[string]*host
	order      []*host
	turn       int // round-robin start in order
	inFlight   int
	loading    int // robots.txt fetches under way
	dispatched int // first attempts issued, for MaxPages
	documents  int // feeds and sitemaps queued, for maxDocuments
	unflushed  int // jobs in the hosts' outboxes
	stats      Stats
	textLens   textLens // Article.Text lengths of the extracted pages, for MedianTextLen
	storeErr   error    // the first Save, Confirm or Seen error; it stops the crawl
}
