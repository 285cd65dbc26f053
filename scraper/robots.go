package scraper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

const (
	maxRobotsBytes     = 512 << 10 // RFC 9309 asks parsers to read at least 500 KiB
	maxRobotsRedirects = 5
)

// RobotsStatus says what a host's robots.txt lets a crawl do.
type RobotsStatus string

const (
	// RobotsOK: robots.txt was read and its rules apply.
	RobotsOK RobotsStatus = "robots_ok"
	// RobotsMissing: robots.txt answered 4xx other than 429, or more than
	// five redirects; everything is allowed (RFC 9309 "unavailable").
	RobotsMissing RobotsStatus = "robots_missing"
	// RobotsUnreachable: robots.txt answered 5xx or 429, or the connection
	// failed, was reset or timed out; the host is denied for the crawl,
	// start URLs included (RFC 9309 "unreachable").
	RobotsUnreachable RobotsStatus = "robots_unreachable"
	// RobotsStale: robots.txt was unreachable, and the rules of its last
	// good copy in the RobotsCache apply instead.
	RobotsStale RobotsStatus = "robots_stale"

	robotsIgnored RobotsStatus = "robots_ignored" // Config.IgnoreRobots; logs only
)

// RobotsReport is how a crawl settled one host's robots.txt.
type RobotsReport struct {
	Host       string // as in the host's URLs: lower case, with any non-default port
	Status     RobotsStatus
	Detail     string    // the status line or error behind Status; "" for RobotsOK
	Fetched    bool      // robots.txt was requested in this crawl; false when the cache answered
	FetchedAt  time.Time // when the rules in use were fetched, by Config.Now; zero for RobotsUnreachable
	CrawlDelay time.Duration
	// Deferred: the Crawl-delay is over Config.MaxCrawlDelay, so the crawl
	// leaves the host to a later run.
	Deferred bool
}

// robotsRules is what one host's robots.txt lets us do. Once built it is
// never modified: a RobotsCache shares it between crawls.
type robotsRules struct {
	rules      []robotsRule // the group for our product token, else the * group
	allowAll   bool
	denyAll    bool
	crawlDelay time.Duration
	sitemaps   []string // the file's Sitemap: lines, as written
	status     RobotsStatus
	detail     string // the status line or error behind status, for logs
}

func (r *robotsRules) allowed(u *url.URL) bool {
	switch {
	case r.allowAll:
		return true
	case r.denyAll:
		return false
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return r.match(p)
}

func unreachable(detail string) *robotsRules {
	return &robotsRules{denyAll: true, status: RobotsUnreachable, detail: detail}
}

// fetchRobots fetches and parses robots.txt for u's host, once. It never
// fails: a missing file (4xx) allows everything; a server error, a 429, a
// network error or a timeout denies everything, as RFC 9309 says
// ("unreachable"), start URLs included. colly's own robots support, through
// robotstxt.FromResponse, allowed everything after a 5xx.
func fetchRobots(ctx context.Context, client *http.Client, userAgent string, u *url.URL) *robotsRules {
	target := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	req, err := http.NewRequestWithContext(withPrefixOnly(ctx), http.MethodGet, target.String(), nil)
	if err != nil {
		return unreachable(err.Error())
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "text/plain, */*;q=0.5")
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, errRobotsRedirects) {
			// Like a 404, as Google does after five hops.
			return &robotsRules{allowAll: true, status: RobotsMissing, detail: "too many redirects"}
		}
		return unreachable(err.Error())
	}
	defer resp.Body.Close()
	switch s := resp.StatusCode; {
	case s >= 200 && s <= 299:
	case s == http.StatusTooManyRequests || s >= 500:
		return unreachable(resp.Status)
	case s >= 400:
		return &robotsRules{allowAll: true, status: RobotsMissing, detail: resp.Status}
	default:
		return unreachable("unexpected status " + resp.Status)
	}
	// Rules past the first 512 KiB are dropped, as RFC 9309 allows; the
	// rest of the body is never read.
	b := make([]byte, maxRobotsBytes)
	n, err := io.ReadFull(resp.Body, b)
	// A page limit under 512 KiB cuts the file sooner; what came is parsed.
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) && !errors.Is(err, errTooLarge) {
		return unreachable(err.Error())
	}
	return parseRobots(b[:n])
}

var errRobotsRedirects = errors.New("robots.txt: too many redirects")

// robotsRedirect follows at most five redirects, to any host: the rules
// found at the end apply to the host that was asked.
func robotsRedirect(_ *http.Request, via []*http.Request) error {
	if len(via) > maxRobotsRedirects {
		return fmt.Errorf("after %d: %w", len(via), errRobotsRedirects)
	}
	return nil
}
