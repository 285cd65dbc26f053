package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/newsvault/newsvault/archive"
)

// wireStory is one agency-wire story, as two sites republish it.
var wireStory = []string{
	"The central bank kept its key interest rate unchanged on Friday, citing slowing inflation and a weaker labour market, and said it was ready to act if prices rose again.",
	"Governor Elena Markova told reporters that the board had discussed a cut but decided the risks of easing too early outweighed the benefits. Consumer prices rose 4.1 percent in the year to October, down from 5.3 percent in the summer, while unemployment edged up to 6.2 percent.",
	"Analysts had broadly expected the decision after last month's data showed retail sales falling for a second quarter. Several banks now forecast the first cut in March, when the central bank publishes its new economic projections.",
	"The national currency was little changed after the announcement, and government bond yields fell slightly as investors priced in lower rates next year.",
}

func paragraphs(ps []string) string {
	return "<p>" + strings.Join(ps, "</p>\n<p>") + "</p>"
}

// wireSites serves the story on two news sites with their own templates,
// navigation, share bars, related links and footers, plus an unrelated
// article on the second; the returned transport reaches both by name.
func wireSites(t *testing.T) http.RoundTripper {
	t.Helper()
	pages := map[string]string{
		"wire-a.example/business/rates-hold": `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Central bank holds rates as inflation slows | Wire A</title>
<meta property="og:type" content="article"><meta property="og:title" content="Central bank holds rates as inflation slows">
<meta property="article:published_time" content="2026-11-20T10:00:00Z"></head><body>
<header><nav><a href="/">Home</a> <a href="/business">Business</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>Central bank holds rates as inflation slows</h1><div class="byline">By Wire A staff</div>
<div class="article-body">` + paragraphs(wireStory) + `</div>
<div class="share">Share on Facebook Share on X Email this story</div></article>
<aside class="related"><h3>Related</h3><ul><li><a href="/business/1">Markets rally on Monday</a></li><li><a href="/business/2">Oil prices slip</a></li></ul></aside></main>
<footer>© 2026 Wire A Media. All rights reserved. Terms. Privacy. Contact us.</footer></body></html>`,
		"wire-b.example/news/2026/11/20/central-bank": `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Rates unchanged: central bank waits - Wire B News</title>
<meta property="og:type" content="article"><meta property="og:title" content="Rates unchanged: central bank waits">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Rates unchanged: central bank waits","datePublished":"2026-11-20T11:30:00+01:00"}</script></head><body>
<div id="top-bar"><ul class="menu"><li><a href="/">Front page</a></li><li><a href="/news">News</a></li><li><a href="/opinion">Opinion</a></li></ul></div>
<div class="layout"><div class="content"><h1>Rates unchanged: central bank waits</h1>
<div class="story-text">` + paragraphs(wireStory) + `</div>
<div class="newsletter">Subscribe to our morning newsletter for the day's top stories.</div></div>
<div class="sidebar"><h4>Most read</h4><ol><li><a href="/news/a">Storm closes schools</a></li><li><a href="/news/b">Mayor resigns</a></li></ol></div></div>
<div class="footer">Wire B News · Imprint · Advertise · Careers</div></body></html>`,
		"wire-b.example/news/2026/11/20/library": `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Library reopens after repairs - Wire B News</title><meta property="og:type" content="article"></head><body>
<div class="content"><h1>Library reopens after repairs</h1><div class="story-text">` + paragraphs([]string{
			"The city library reopened on Saturday after eight months of repairs to its roof and heating, with longer opening hours and a new children's reading room on the ground floor.",
			"Librarians said more than two thousand visitors came on the first day. The council plans a mobile library for villages in the north of the region from next spring, visiting each of them twice a week.",
			"Readers can now borrow electronic books with their library card, and the reading room hosts a chess club on Thursday evenings.",
		}) + `</div></div></body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := strings.Cut(r.Host, ":")
		if r.URL.Path == "/robots.txt" {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
			return
		}
		page, ok := pages[host+r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)
	var d net.Dialer
	return &http.Transport{DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
		switch hostport {
		case "wire-a.example:80", "wire-b.example:80":
			return d.DialContext(ctx, "tcp", srv.Listener.Addr().String())
		}
		t.Errorf("crawler dialed %s", hostport)
		return nil, fmt.Errorf("test: dial %s refused", hostport)
	}}
}

func TestSimilarLinksWireCopies(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	a := "http://wire-a.example/business/rates-hold"
	b := "http://wire-b.example/news/2026/11/20/central-bank"
	code, _, errOut := newsvault(t, &env{transport: wireSites(t)}, "crawl", "--db", db, "--delay", "0", "--depth", "0",
		a, b, "http://wire-b.example/news/2026/11/20/library")
	if code != exitOK || !strings.Contains(errOut, "new 3") {
		t.Fatalf("crawl exit %d:\n%s", code, errOut)
	}
	// Linked, not merged: three articles, each with its own key.
	if got := len(exportAll(t, db)); got != 3 {
		t.Fatalf("%d articles archived, want 3", got)
	}
	code, out, errOut := newsvault(t, &env{}, "similar", "--db", db, a)
	if code != exitOK {
		t.Fatalf("similar exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "DISTANCE") {
		t.Fatalf("similar to %s:\n%s", a, out)
	}
	f := strings.Fields(lines[1])
	t.Logf("similar to %s:\n%s", a, out)
	if d, err := strconv.Atoi(f[0]); err != nil || d > archive.NearDuplicateDistance || f[1] != "wire-b.example" || f[2] != "https://wire-b.example/news/2026/11/20/central-bank" {
		t.Errorf("link %q, want wire-b's copy at distance <= 3", lines[1])
	}
	// And back, by any form of the URL.
	_, out, _ = newsvault(t, &env{}, "similar", "--db", db, "https://WIRE-B.example/news/2026/11/20/central-bank/?utm_source=x")
	if !strings.Contains(out, "https://wire-a.example/business/rates-hold") || strings.Contains(out, "library") {
		t.Errorf("similar to b:\n%s", out)
	}
	_, out, _ = newsvault(t, &env{}, "similar", "--db", db, "http://wire-b.example/news/2026/11/20/library")
	if n := len(strings.Split(strings.TrimSpace(out), "\n")); n != 1 {
		t.Errorf("the unrelated article has links:\n%s", out)
	}
	if code, _, _ := newsvault(t, &env{}, "similar", "--db", db, "http://nowhere.example/x"); code != exitError {
		t.Errorf("unknown URL: exit %d, want %d", code, exitError)
	}
}
