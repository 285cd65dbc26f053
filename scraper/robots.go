package scraper

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/temoto/robotstxt"
)

const (
	maxRobotsBytes     = 512 << 10 // RFC 9309 asks parsers to read at least 500 KiB
	maxRobotsRedirects = 5
)

// robotsRules is what one host's robots.txt lets us do.
type robotsRules struct {
	group      *robotstxt.Group // nil with allowAll or denyAll
	allowAll   bool
	denyAll    bool
	crawlDelay time.Duration
	sitemaps   []string // the file's Sitemap: lines, as written
	state      string   // for logs: "ok", "missing", "unreachable", ...
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
	return r.group.Test(p)
}

// fetchRobots fetches and parses robots.txt for u's host. It never fails:
// a missing file (4xx) allows everything; a server error, a 429, a network
// error or a timeout denies everything for this run, as RFC 9309 says
// ("unreachable"), start URLs included. colly's own robots support, through
// robotstxt.FromResponse, allowed everything after a 5xx.
func fetchRobots(ctx context.Context, client *http.Client, userAgent string, u *url.URL) *robotsRules {
	target := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target.String(), nil)
	if err != nil {
		return &robotsRules{denyAll: true, state: "unreachable: " + err.Error()}
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "text/plain, */*;q=0.5")
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, errRobotsRedirects) {
			// Like a 404, as Google does after five hops.
			return &robotsRules{allowAll: true, state: "too many redirects"}
		}
		return &robotsRules{denyAll: true, state: "unreachable: " + err.Error()}
	}
	defer resp.Body.Close()
	switch s := resp.StatusCode; {
	case s >= 200 && s <= 299:
	case s == http.StatusTooManyRequests || s >= 500:
		return &robotsRules{denyAll: true, state: "unreachable: " + resp.Status}
	case s >= 400:
		return &robotsRules{allowAll: true, state: "missing: " + resp.Status}
	default:
		return &robotsRules{denyAll: true, state: "unexpected status: " + resp.Status}
	}
	// Rules past the first 512 KiB are dropped, as RFC 9309 allows.
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxRobotsBytes))
	if err != nil && !errors.Is(err, errTooLarge) {
		return &robotsRules{denyAll: true, state: "unreachable: " + err.Error()}
	}
	return parseRobots(b)
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

// parseRobots parses a robots.txt body for our product token. robotstxt
// rejects a whole file for one bad line (a rule before any User-agent, an
// invalid Crawl-delay); such lines are dropped and the rest is parsed again.
func parseRobots(b []byte) *robotsRules {
	data, err := robotstxt.FromBytes(b)
	if err != nil {
		data, err = robotstxt.FromBytes(dropBadRobotsLines(b))
	}
	if err != nil {
		return &robotsRules{denyAll: true, state: "unparsable"}
	}
	g := data.FindGroup(robotsAgent)
	return &robotsRules{group: g, crawlDelay: g.CrawlDelay, sitemaps: data.Sitemaps, state: "ok"}
}

func dropBadRobotsLines(b []byte) []byte {
	var out bytes.Buffer
	sawAgent := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxRobotsBytes)
	for sc.Scan() {
		line := sc.Text()
		content, _, _ := strings.Cut(line, "#")
		key, val, ok := strings.Cut(content, ":")
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch {
		case !ok:
		case key == "user-agent" || key == "useragent":
			sawAgent = true
		case key == "allow" || key == "disallow":
			if !sawAgent {
				continue
			}
		case key == "crawl-delay" || key == "crawldelay":
			d, err := strconv.ParseFloat(val, 64)
			if !sawAgent || err != nil || d < 0 || math.IsInf(d, 0) || math.IsNaN(d) {
				continue
			}
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}
