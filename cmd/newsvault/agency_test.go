package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// agency is a generated news site on loopback with a home page, an RSS
// feed, a sitemap and articles that answer conditional GETs, as the sites a
// scheduled run visits do. down makes every response a 500.
type agency struct {
	host string
	srv  *httptest.Server

	mu       sync.Mutex
	articles map[int]string // id -> text
	down     bool
	slow     time.Duration               // added before every article response
	robots   int                         // when set, robots.txt answers this status
	log      []string                    // "METHOD path?query [if-none-match]"
	extra    map[string]http.HandlerFunc // more routes, by path, ahead of the built-in ones
}

func newAgency(t *testing.T, host string, n int) *agency {
	a := &agency{host: host, articles: map[int]string{}}
	for id := 1; id <= n; id++ {
		a.articles[id] = fmt.Sprintf("Story %d of %s. The council met on Tuesday and approved the budget after a long debate about roads, schools and parks in the district.", id, host)
	}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

// lastModified is every article's Last-Modified: conditional GETs may use
// either validator.
const lastModified = "Tue, 24 Nov 2026 10:00:00 GMT"

func (a *agency) serve(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	slow := a.slow
	a.mu.Unlock()
	if slow > 0 && strings.HasPrefix(r.URL.Path, "/news/") {
		select {
		case <-time.After(slow):
		case <-r.Context().Done():
			return
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.log = append(a.log, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("If-None-Match"))
	if h, ok := a.extra[r.URL.Path]; ok && !a.down {
		h(w, r)
		return
	}
	if a.down {
		http.Error(w, "upstream broken", http.StatusInternalServerError)
		return
	}
	base := "http://" + a.host
	switch p := r.URL.Path; {
	case p == "/robots.txt" && a.robots != 0:
		http.Error(w, "robots unavailable", a.robots)
	case p == "/robots.txt":
		fmt.Fprintf(w, "User-agent: *\nAllow: /\nSitemap: %s/sitemap.xml\n", base)
	case p == "/":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%s</title><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body><nav><a href="/about">About</a></nav></body></html>`, a.host)
	case p == "/about":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>About us</title></head><body><h1>About us</h1><p>We are a news agency.</p></body></html>`)
	case p == "/rss.xml":
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>%s/</link><description>news</description>`, a.host, base)
		for id := range a.articles {
			fmt.Fprintf(w, `<item><title>Story %d</title><link>%s/news/%d</link></item>`, id, base, id)
		}
		fmt.Fprint(w, `</channel></rss>`)
	case p == "/sitemap.xml":
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for id := range a.articles {
			fmt.Fprintf(w, `<url><loc>%s/news/%d</loc></url>`, base, id)
		}
		fmt.Fprint(w, `</urlset>`)
	case strings.HasPrefix(p, "/news/"):
		var id int
		fmt.Sscanf(p, "/news/%d", &id)
		text, ok := a.articles[id]
		if !ok {
			http.NotFound(w, r)
			return
		}
		page := fmt.Sprintf(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story %d | %s</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="2026-11-2%dT10:00:00+03:00">
<link rel="canonical" href="%s/news/%d"></head><body><nav><a href="/">Home</a></nav>
<article><h1>Story %d</h1><p>%s</p><p>%s</p><p>%s</p></article><footer>© agency</footer></body></html>`,
			id, a.host, id%10, base, id, id, text, text, text)
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(page)))
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastModified)
		inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		if inm == etag || (inm == "" && ims == lastModified) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	default:
		http.NotFound(w, r)
	}
}

// handle adds a route; call it before the site is crawled.
func (a *agency) handle(path string, h http.HandlerFunc) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.extra == nil {
		a.extra = map[string]http.HandlerFunc{}
	}
	a.extra[path] = h
}

func (a *agency) edit(id int, text string) {
	a.mu.Lock()
	a.articles[id] = text
	a.mu.Unlock()
}

func (a *agency) setDown(down bool) {
	a.mu.Lock()
	a.down = down
	a.mu.Unlock()
}

// hits counts the requests since the last call of requests whose
// "METHOD path" starts with prefix.
func (a *agency) hits(prefix string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, r := range a.log {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

// requests returns the log since the last call.
func (a *agency) requests() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	l := a.log
	a.log = nil
	return l
}

// agencyTransport routes each agency's host name to its loopback server and
// fails the test for any other destination.
func agencyTransport(t *testing.T, sites ...*agency) http.RoundTripper {
	addrs := map[string]string{}
	for _, s := range sites {
		addrs[s.host+":80"] = s.srv.Listener.Addr().String()
	}
	var d net.Dialer
	return &http.Transport{
		DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			addr, ok := addrs[hostport]
			if !ok {
				t.Errorf("dial %s: not a test site", hostport)
				return nil, fmt.Errorf("test: dial %s refused", hostport)
			}
			return d.DialContext(ctx, "tcp", addr)
		},
		ResponseHeaderTimeout: 10 * time.Second,
	}
}
