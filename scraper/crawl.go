package scraper

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
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
