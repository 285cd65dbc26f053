package scraper

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"
)

// errNotFeed says gofeed recognised no RSS, Atom or JSON Feed.
var errNotFeed = errors.New("not an rss, atom or json feed")

// feedEntries parses an RSS 0.9x/1.0/2.0, Atom or JSON feed and returns
// its items' links with their latest date (published or updated), at most
// maxEntries of them, and the feed's format.
func feedEntries(body []byte) (entries []entry, format string, dropped int, err error) {
	// A parser per call: gofeed.Parser holds per-parse state.
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return nil, "", 0, errNotFeed
	}
	if err != nil {
		return nil, "", 0, fmt.Errorf("parse feed: %w", err)
	}
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		loc := itemLink(it)
		if loc == "" {
			continue
		}
		if len(entries) >= maxEntries {
			dropped++
			continue
		}
		e := entry{loc: loc}
		for _, t := range []*time.Time{it.PublishedParsed, it.UpdatedParsed} {
			if t != nil && t.After(e.date) {
				e.date = *t
			}
		}
		entries = append(entries, e)
	}
	return entries, f.FeedType, dropped, nil
}

// itemLink is the page a feed item points to: its link, else its first
// listed link, else a GUID that is an absolute http(s) URL (RSS items
// without <link> use a permalink GUID).
func itemLink(it *gofeed.Item) string {
	if l := strings.TrimSpace(it.Link); l != "" {
		return l
	}
	for _, l := range it.Links {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	g := strings.TrimSpace(it.GUID)
	if strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
		return g
	}
	return ""
}

// feedTypes are the <link rel="alternate" type> values of feeds. A bare
// "application/json" is left out on purpose: WordPress announces its REST
// API (one post as JSON) with it.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
}

// feedLinks returns the feeds a page announces with <link rel="alternate">,
// resolved and normalised, comment feeds left out.
func feedLinks(doc *goquery.Document, page *url.URL) []*url.URL {
	base := docBase(doc, page)
	var out []*url.URL
	doc.Find("link[href]").Each(func(_ int, s *goquery.Selection) {
		rel, _ := s.Attr("rel")
		typ, _ := s.Attr("type")
		if !hasToken(rel, "alternate") || !feedTypes[strings.ToLower(strings.TrimSpace(typ))] {
			return
		}
		href, _ := s.Attr("href")
		u, err := normalizeURL(base, href)
		if err != nil {
			return
		}
		// WordPress and others announce a comments feed next to the
		// articles feed; its items are comments on pages we already list.
		if strings.Contains(strings.ToLower(u.Path), "comments") {
			return
		}
		out = append(out, u)
	})
	return out
}

// hasToken reports whether a space-separated attribute value such as rel
// holds token, ignoring case.
func hasToken(list, token string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, token) {
			return true
		}
	}
	return false
}
