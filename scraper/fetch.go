package scraper

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/selectors"
)

const (
	maxRedirects = 10
	jobKey       = "newsvault.job"
	acceptHTML   = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
	acceptFeed   = "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9,application/json;q=0.8,*/*;q=0.1"
)

var (
	errTooManyRedirects = errors.New("too many redirects")
	errRedirectLoop     = errors.New("redirect loop")
	errOffsite          = errors.New("redirect leaves the start sites")
	errAlreadyQueued    = errors.New("redirect to a page already in this crawl")
	errRobotsDenied     = errors.New("redirect to a page robots.txt denies")
)

// statusError is a response whose status is not 2xx.
type statusError struct{ code int }

func (e statusError) Error() string {
	return fmt.Sprintf("http status %d %s", e.code, http.StatusText(e.code))
}

// newCollector builds this crawl's collector. Every colly default that
// matters is set here on purpose.
func (c *crawler) newCollector(ctx context.Context, base http.RoundTripper) *colly.Collector {
	col := &colly.Collector{}
	// colly.NewCollector would also apply COLLY_* environment variables;
	// Init sets the same defaults without reading the environment.
	col.Init()
	for _, opt := range []colly.CollectorOption{
		colly.StdlibContext(ctx),
		colly.Async(true),
		colly.UserAgent(c.cfg.UserAgent),
		// limitTransport refuses a body past MaxBody; colly's limit, which
		// truncates silently, sits one byte higher so ours always trips first.
		colly.MaxBodySize(int(c.cfg.MaxBody) + 1),
		// The crawler dedupes normalised URLs itself, and a retry asks for
		// the same URL again.
		colly.AllowURLRevisit(),
		// Statuses are judged in onResponse, with the headers at hand.
		colly.ParseHTTPErrorResponse(),
	} {
		opt(col)
	}
	col.IgnoreRobotsTxt = true // robots.go obeys robots.txt; colly's allows all on a 5xx
	col.DetectCharset = false  // DecodeHTML decides
	col.SetRequestTimeout(c.cfg.Timeout)
	col.WithTransport(&limitTransport{base: base, maxBody: c.cfg.MaxBody, headerTimeout: c.cfg.HeaderTimeout, bodyRead: c.cfg.bodyRead})
	col.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		return c.checkRedirect(ctx, req, via)
	})
	col.OnResponseHeaders(c.onHeaders)
	col.OnResponse(func(r *colly.Response) { c.onResponse(ctx, r) })
	col.OnError(func(r *colly.Response, err error) { c.onError(ctx, r, err) })
	return col
}

// launch issues j's request; colly runs it on its own goroutine, which
// ends in exactly one of onResponse and onError.
func (c *crawler) launch(j *job) {
	j.status, j.header, j.notHTML, j.fetchedAt = 0, nil, "", time.Time{}
	cctx := colly.NewContext()
	cctx.Put(jobKey, j)
	hdr := http.Header{}
	hdr.Set("User-Agent", c.cfg.UserAgent)
	if j.kind == kindPage {
		hdr.Set("Accept", acceptHTML)
	} else {
		hdr.Set("Accept", acceptFeed)
	}
	if v := j.known; v != nil {
		if v.ETag != "" {
			hdr.Set("If-None-Match", v.ETag)
		}
		if v.LastModified != "" {
			hdr.Set("If-Modified-Since", v.LastModified)
		}
	}
	if err := c.col.Request(http.MethodGet, j.u.String(), nil, cctx, hdr); err != nil {
		j.host.log.Warn("request refused", "url", j.u.String(), "err", err)
		c.mu.Lock()
		c.stats.Failed++
		c.finish(j)
		c.mu.Unlock()
		c.outcome(URLOutcome{URL: j.u.String(), Reason: reasonOf(err), Err: fmt.Errorf("request refused: %w", err)})
	}
}

func jobOf(ctx *colly.Context) *job {
	j, _ := ctx.GetAny(jobKey).(*job)
	return j
}

// onHeaders records the response's metadata and aborts a successful
// response for a page that is not HTML before its body is read.
func (c *crawler) onHeaders(r *colly.Response) {
	j := jobOf(r.Ctx)
	j.status = r.StatusCode
	j.header = r.Headers.Clone()
	j.fetchedAt = c.cfg.Now().UTC()
	if r.StatusCode/100 == 2 && j.kind == kindPage {
		if mt := r.Headers.Get("Content-Type"); !isHTML(mt) {
			j.notHTML = mt
			r.Request.Abort()
		}
	}
}

func (c *crawler) onError(ctx context.Context, r *colly.Response, err error) {
	j := jobOf(r.Ctx)
	h := j.host
	u := j.u.String()
	var count func(*Stats)
	switch {
	case errors.Is(err, colly.ErrAbortedAfterHeaders) && j.notHTML != "":
		h.log.Info("page skipped", "url", u, "reason", ReasonSkippedContentType, "content_type", j.notHTML)
		c.outcome(URLOutcome{URL: u, Reason: ReasonSkippedContentType, Status: j.status,
			Err: fmt.Errorf("content type %s", j.notHTML)})
		count = func(s *Stats) { s.Skipped++ }
	case errors.Is(err, errAlreadyQueued), errors.Is(err, errOffsite), errors.Is(err, errSchemeBlocked):
		reason := reasonOf(err)
		h.log.Info("redirect not followed", "url", u, "reason", reason, "err", err)
		c.outcome(URLOutcome{URL: u, Reason: reason, Status: j.status, Err: err})
		count = func(s *Stats) { s.Skipped++ }
	case errors.Is(err, errRobotsDenied):
		h.log.Info("robots.txt denies redirect target", "url", u, "err", err)
		count = func(s *Stats) { s.RobotsDenied++ }
	default:
		c.failAttempt(ctx, j, err)
		return
	}
	c.mu.Lock()
	count(&c.stats)
	c.finish(j)
	c.mu.Unlock()
}

// failAttempt queues j again after a retryable error, or counts it failed.
func (c *crawler) failAttempt(ctx context.Context, j *job, err error) {
	h := j.host
	u := j.u.String()
	var out *URLOutcome
	defer func() { // after c.mu is released
		if out != nil {
			c.outcome(*out)
		}
	}()
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.finish(j)
	if ctx.Err() != nil {
		return // cancelled: neither a failure nor worth a retry
	}
	now := time.Now()
	var retry bool
	var ra time.Duration
	var hasRA bool
	reason := reasonOf(err)
	if se, ok := errors.AsType[statusError](err); ok {
		retry = retryableStatus(se.code)
		ra, hasRA = retryAfter(j.header.Get("Retry-After"), now)
	} else {
		retry = retryableError(err) && reason == ReasonFetchFailed
	}
	if retry && hasRA && ra <= maxRetryAfter {
		// The host asked for a pause, even on the URL's last attempt.
		h.notBefore = later(h.notBefore, now.Add(ra))
	}
	switch {
	case retry && hasRA && ra > maxRetryAfter:
		h.deferred = true
		c.stats.Deferred++
		h.log.Warn("retry-after over the cap; host deferred to a later run",
			"url", u, "status", j.status, "retry_after", ra, "cap", maxRetryAfter)
	case retry && j.attempt+1 < maxAttempts:
		wait := max(backoff(c.cfg.backoff, j.attempt+1), ra)
		j.attempt++
		j.notBefore = now.Add(wait)
		h.retries = append(h.retries, j)
		c.stats.Retries++
		h.log.Debug("fetch retried", "url", u, "status", j.status, "attempt", j.attempt+1, "wait", wait, "err", err)
	default:
		c.stats.Failed++
		h.log.Warn("fetch failed", "url", u, "reason", reason, "status", j.status, "attempts", j.attempt+1, "err", err)
		out = &URLOutcome{URL: u, Reason: reason, Status: j.status, Err: err}
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (c *crawler) onResponse(ctx context.Context, r *colly.Response) {
	j := jobOf(r.Ctx)
	if r.StatusCode == http.StatusNotModified && j.known != nil {
		c.mu.Lock()
		c.stats.Fetched++
		c.mu.Unlock()
		count := c.notModified(ctx, j)
		c.outcome(URLOutcome{URL: j.u.String(), Reason: ReasonNotModified, Status: j.status})
		c.mu.Lock()
		count(&c.stats)
		c.finish(j)
		c.mu.Unlock()
		return
	}
	if r.StatusCode/100 != 2 {
		c.failAttempt(ctx, j, statusError{r.StatusCode})
		return
	}
	final, err := normalizeURL(nil, r.Request.URL.String())
	if err != nil {
		final = r.Request.URL
	}
	c.mu.Lock()
	c.stats.Fetched++
	c.mu.Unlock()
	if key := final.String(); key != j.u.String() {
		// Redirected: links to where it led need not be fetched again. An
		// error has stopped the crawl; the page is handled all the same.
		_, _ = c.mark(ctx, []string{key})
	}

	var count func(*Stats)
	if j.kind == kindPage {
		count = c.page(ctx, j, r, final)
	} else {
		count = c.readDocument(ctx, j, r, final)
	}
	c.mu.Lock()
	count(&c.stats)
	c.finish(j)
	c.mu.Unlock()
}

// page handles one fetched HTML page: decode, parse once, queue its links,
// extract and save. It returns how to count the outcome.
func (c *crawler) page(ctx context.Context, j *job, r *colly.Response, final *url.URL) func(*Stats) {
	h := j.host
	u := final.String()
	raw := r.Body
	skipped := func(reason Reason, why string) func(*Stats) {
		h.log.Debug("page skipped", "url", u, "reason", reason, "why", why)
		c.outcome(URLOutcome{URL: u, Reason: reason, Status: j.status, Err: errors.New(why)})
		return func(s *Stats) { s.Skipped++ }
	}
	// thin is a page taken for an article that gave too little text: its
	// body goes to OnOutcome, to be looked at (a section page is expected
	// not to be an article, and its body is of no interest).
	thin := func(why string) func(*Stats) {
		h.log.Debug("page skipped", "url", u, "reason", ReasonNoArticle, "why", why)
		c.outcome(URLOutcome{URL: u, Reason: ReasonNoArticle, Status: j.status, Err: errors.New(why), Body: raw})
		return func(s *Stats) { s.Skipped++ }
	}
	failed := func(reason Reason, msg string, err error) func(*Stats) {
		h.log.Warn(msg, "url", u, "reason", reason, "status", j.status, "err", err)
		o := URLOutcome{URL: u, Reason: reason, Status: j.status, Err: err}
		if reason == ReasonParseFailed {
			o.Body = raw
		}
		c.outcome(o)
		return func(s *Stats) { s.Failed++ }
	}

	if sniffed := mediaType(http.DetectContentType(raw)); binaryMedia(sniffed) {
		return skipped(ReasonSkippedContentType, "body is "+sniffed)
	}
	contentType := r.Headers.Get(hdrContentType)
	text, cs, source, err := DecodeHTML(raw, contentType)
	if err != nil {
		return failed(ReasonParseFailed, "page not decoded", err)
	}
	doc, err := parseHTML(text)
	if err != nil {
		return failed(ReasonParseFailed, "page not parsed", err)
	}
	// Links first: Extract may modify doc.
	if j.depth < c.cfg.Depth && ctx.Err() == nil {
		if j.depth == 0 {
			c.autodiscover(ctx, h, feedLinks(doc, final))
		}
		found, blocked := links(doc, final)
		c.schemeBlocked(ctx, h, final, blocked)
		cands := make([]candidate, len(found))
		for i, l := range found {
			cands[i] = candidate{u: l}
		}
		c.discover(ctx, h.log, cands, j.depth+1)
	}
	if len(c.cfg.Include) > 0 {
		if !matchAny(c.cfg.Include, j.u) && !matchAny(c.cfg.Include, final) {
			return skipped(ReasonNoArticle, "not an article (include)")
		}
	} else if !c.ext.IsArticle(doc, final) {
		return skipped(ReasonNoArticle, "not an article")
	}
	a, prov, err := extract(c.ext, doc, final)
	switch {
	case errors.Is(err, ErrNotArticle), errors.Is(err, selectors.ErrNoContent):
		return thin(err.Error())
	case err != nil:
		return failed(ReasonParseFailed, "article not extracted", err)
	}
	if th, ok := c.ext.(thinChecker); ok && th.Thin(&a) {
		return thin("too little text")
	}
	if a.URL == "" {
		a.URL = u
	}
	sanitizeArticle(&a)
	capture := &archive.Capture{
		URL:           j.u.String(),
		FinalURL:      u,
		Status:        j.status,
		FetchedAt:     j.fetchedAt,
		ETag:          j.header.Get("ETag"),
		LastModified:  j.header.Get("Last-Modified"),
		ContentType:   contentType,
		Charset:       cs,
		CharsetSource: source,
		Body:          raw,
	}
	// A save under way when the crawl is cancelled finishes: it is one
	// short transaction, and the page is already downloaded.
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	saved, err := save(saveCtx, c.store, capture, &a, &prov)
	cancel()
	if err != nil {
		err = fmt.Errorf("save %s: %w", a.Key(), err)
		if c.storeFailed(err) {
			c.outcome(URLOutcome{URL: u, Reason: ReasonSaveFailed, Status: j.status, Err: err})
			return func(s *Stats) { s.Failed++ }
		}
		return failed(ReasonSaveFailed, "article not saved", err)
	}
	c.outcome(URLOutcome{URL: u, Reason: ReasonOK, Status: j.status})
	c.mu.Lock()
	c.health(&a)
	c.mu.Unlock()
	// Confirmations are the bulk of a scheduled re-crawl; only changes are news.
	level := slog.LevelInfo
	if saved.Outcome == archive.Unchanged {
		level = slog.LevelDebug
	}
	h.log.Log(context.Background(), level, "article saved", "url", u, "outcome", saved.Outcome.String(), "version", saved.Version)
	switch saved.Outcome {
	case archive.New:
		return func(s *Stats) { s.New++ }
	case archive.Updated:
		return func(s *Stats) { s.Updated++ }
	default:
		return func(s *Stats) { s.Unchanged++ }
	}
}

// binaryMedia reports sniffed types that cannot be a page, whatever the
// Content-Type header claimed.
func binaryMedia(media string) bool {
	for _, p := range []string{"image/", "audio/", "video/", "font/"} {
		if strings.HasPrefix(media, p) {
			return true
		}
	}
	switch media {
	case "application/pdf", "application/zip", "application/x-gzip", "application/x-rar-compressed",
		"application/wasm", "application/ogg", "application/vnd.ms-fontobject", "application/postscript":
		return true
	}
	return false
}

// checkRedirect decides whether to follow a redirect: at most ten hops, no
// loops, only to the start sites, only to URLs this crawl has not queued
// and robots.txt allows.
func (c *crawler) checkRedirect(ctx context.Context, req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w (%d): %s", errTooManyRedirects, len(via), chain(req, via))
	}
	u, err := normalizeURL(nil, req.URL.String())
	if err != nil {
		return fmt.Errorf("redirect: %w", err)
	}
	key := u.String()
	visits := 0
	for _, v := range via {
		if n, err := normalizeURL(nil, v.URL.String()); err == nil && n.String() == key {
			visits++
		}
	}
	// One return to a URL is allowed: sites set a cookie and redirect back.
	if visits >= 2 {
		return fmt.Errorf("%w: %s", errRedirectLoop, chain(req, via))
	}
	if !c.sites[siteKey(u)] {
		return fmt.Errorf("%w: %s", errOffsite, key)
	}
	fresh, err := c.mark(ctx, []string{key})
	if err != nil {
		return fmt.Errorf("redirect to %s: %w", key, err)
	}
	if visits == 0 && !fresh[0] {
		return fmt.Errorf("%w: %s", errAlreadyQueued, key)
	}
	c.mu.Lock()
	h := c.host(u.Host)
	if h.robots == robotsUnknown {
		c.loadRobots(ctx, h, u)
	}
	done := h.robotsDone
	c.mu.Unlock()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	c.mu.Lock()
	allowed := h.rules.allowed(u)
	c.mu.Unlock()
	if !allowed {
		return fmt.Errorf("%w: %s", errRobotsDenied, key)
	}
	stripOnHostChange(req, via)
	return nil
}

// thinChecker is an Extractor that refuses pages too thin to be articles
// (a cookie wall, a paywall stub, a soft 404); *selectors.Set is one.
type thinChecker interface {
	Thin(a *archive.Article) bool
}

// schemeBlocked records the links of page that are not http or https,
// once per crawl each.
func (c *crawler) schemeBlocked(ctx context.Context, h *host, page *url.URL, hrefs []string) {
	keys := make([]string, len(hrefs))
	for i, href := range hrefs {
		keys[i] = "blocked " + href
	}
	isNew, err := c.mark(ctx, keys)
	if err != nil {
		return
	}
	var fresh []string
	for i, href := range hrefs {
		if isNew[i] {
			fresh = append(fresh, href)
		}
	}
	for _, href := range fresh {
		h.log.Debug("link not followed", "url", href, "page", page.String(), "reason", ReasonSchemeBlocked)
		c.outcome(URLOutcome{URL: href, Reason: ReasonSchemeBlocked, Err: errSchemeBlocked})
	}
}

// chain lists a redirect chain for error messages.
func chain(req *http.Request, via []*http.Request) string {
	var b strings.Builder
	for _, v := range via {
		b.WriteString(v.URL.String())
		b.WriteString(" -> ")
	}
	b.WriteString(req.URL.String())
	return b.String()
}

// notModified confirms a 304 answer to a conditional request in the
// archive, with the validators the answer brings, if any.
func (c *crawler) notModified(ctx context.Context, j *job) func(*Stats) {
	u := j.u.String()
	v := *j.known
	if etag := j.header.Get("ETag"); etag != "" {
		v.ETag = etag
	}
	if lm := j.header.Get("Last-Modified"); lm != "" {
		v.LastModified = lm
	}
	v.FetchedAt = j.fetchedAt
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	err := c.cfg.Known.Confirm(saveCtx, u, v)
	cancel()
	if err != nil {
		err = fmt.Errorf("confirm %s: %w", u, err)
		if !c.storeFailed(err) {
			j.host.log.Warn("article not confirmed", "url", u, "err", err)
		}
		return func(s *Stats) { s.Failed++ }
	}
	j.host.log.Debug("article not modified", "url", u)
	return func(s *Stats) { s.NotModified++ }
}
