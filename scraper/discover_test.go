package scraper

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/newsvault/newsvault/archive"
)

// agencyNow is the clock of the first crawl of the agency site; the
// fixtures' dates are set around it.
var agencyNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// agencyLastModified is the Last-Modified of every agency file.
var agencyLastModified = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// agencyArticles are the pages the agency's feeds and sitemaps list that a
// first crawl archives.
var agencyArticles = []string{
	"/news/rss-1.html", "/news/no-title.html", // RSS
	"/news/atom-1.html", "/news/no-date.html", // Atom
	"/news/json-1.html",                  // JSON Feed
	"/news/gz-1.html", "/news/gz-2.html", // gzipped sitemap
	"/news/gnews-1.html", "/news/empty-text.html", // Google News sitemap
}

// newAgency serves testdata/agency on 127.0.0.1: "{{BASE}}" in a file
// becomes the server's URL, X.xml.gz is X.xml gzipped (served without a
// Content-Encoding, as sitemap files are), the Atom feed is gzipped in
// transit when the client accepts it, and pages answer conditional
// requests from their ETag and Last-Modified.
func newAgency(t testing.TB) *testSite {
	site := newTestSite(t, map[string]http.HandlerFunc{})
	site.fallback = func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		gz := strings.HasSuffix(p, ".xml.gz")
		b, err := os.ReadFile(filepath.Join("testdata/agency", filepath.FromSlash(path.Clean(strings.TrimSuffix(p, ".gz")))))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		b = bytes.ReplaceAll(b, []byte("{{BASE}}"), []byte(site.srv.URL))
		switch {
		case gz:
			w.Header().Set("Content-Type", "application/x-gzip")
			b = gzipBytes(t, b)
		case path.Ext(p) == ".html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		case path.Ext(p) == ".json":
			w.Header().Set("Content-Type", "application/feed+json")
		case strings.HasPrefix(p, "/feeds/"):
			w.Header().Set("Content-Type", "application/xml")
		case path.Ext(p) == ".txt":
			w.Header().Set("Content-Type", "text/plain")
		default:
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		}
		if p == "/feeds/atom.xml" && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipBytes(t, b))
			return
		}
		w.Header().Set("ETag", fmt.Sprintf(`"%x"`, archive.TextSHA256(string(b))[:16]))
		http.ServeContent(w, r, p, agencyLastModified, bytes.NewReader(b))
	}
	return site
}

func gzipBytes(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// agencyConfig is the agency's crawl as a scheduled run configures it.
func agencyConfig(t testing.TB, site *testSite, now time.Time) Config {
	cfg := site.config(t, "/")
	cfg.Depth = 1
	cfg.Feeds = []string{site.url("/feeds/feed.json")}
	cfg.Include = []*regexp.Regexp{regexp.MustCompile(`^/news/`)}
	cfg.Exclude = []*regexp.Regexp{regexp.MustCompile(`^/video/`)}
	cfg.MaxAge = 30 * 24 * time.Hour
	cfg.Now = func() time.Time { return now }
	return cfg
}

// agencyExtractor extracts title (<h1>), text (<p>s) and date (<time
// datetime>) from an <article>, and, unlike testExtractor, lets an empty
// text through so the health counters can see it.
type agencyExtractor struct{}

func (agencyExtractor) IsArticle(doc *goquery.Document, _ *url.URL) bool {
	return doc.Find("article").Length() > 0
}

func (agencyExtractor) Extract(doc *goquery.Document, u *url.URL) (archive.Article, error) {
	var paras []string
	doc.Find("article p").Each(func(_ int, s *goquery.Selection) {
		paras = append(paras, strings.TrimSpace(s.Text()))
	})
	a := archive.Article{
		URL:   u.String(),
		Title: strings.TrimSpace(doc.Find("article h1").First().Text()),
		Text:  strings.Join(paras, "\n\n"),
	}
	if dt, ok := doc.Find("article time[datetime]").Attr("datetime"); ok {
		a.PublishedAt, _ = time.Parse(time.RFC3339, dt)
	}
	return a, nil
}

// memKnown is an in-memory Known, filled from what a recorder saved.
type memKnown struct {
	mu        sync.Mutex
	seen      map[string]archive.Validators
	confirmed map[string]archive.Validators
}

func knownFrom(rec *recorder) *memKnown {
	k := &memKnown{seen: map[string]archive.Validators{}, confirmed: map[string]archive.Validators{}}
	for _, p := range rec.pages() {
		v := archive.Validators{ETag: p.c.ETag, LastModified: p.c.LastModified, FetchedAt: p.c.FetchedAt}
		k.seen[p.c.URL], k.seen[p.c.FinalURL] = v, v
	}
	return k
}

func (k *memKnown) Seen(_ context.Context, u string) (archive.Validators, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.seen[u]
	if !ok {
		return archive.Validators{}, fmt.Errorf("seen %s: %w", u, archive.ErrNotFound)
	}
	return v, nil
}

func (k *memKnown) Confirm(_ context.Context, u string, v archive.Validators) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.seen[u]; !ok {
		return fmt.Errorf("confirm %s: %w", u, archive.ErrNotFound)
	}
	k.seen[u], k.confirmed[u] = v, v
	return nil
}

// crawlAgency runs the agency's first crawl and checks it archived
// every listed article.
func crawlAgency(t *testing.T, site *testSite) (*recorder, Stats) {
	t.Helper()
	rec := &recorder{}
	st, err := Crawl(t.Context(), agencyConfig(t, site, agencyNow), agencyExtractor{}, rec)
	if err != nil {
		t.Fatalf("Crawl: %v (%s)", err, st)
	}
	var saved []string
	for _, p := range rec.pages() {
		saved = append(saved, strings.TrimPrefix(p.c.URL, site.srv.URL))
	}
	slices.Sort(saved)
	want := slices.Sorted(slices.Values(agencyArticles))
	if !slices.Equal(saved, want) {
		t.Fatalf("saved %q\nwant  %q\nrequests %q", saved, want, site.requests())
	}
	return rec, st
}

func TestCrawlDiscoversFeedsAndSitemaps(t *testing.T) {
	site := newAgency(t)
	rec, st := crawlAgency(t, site)

	for _, uri := range []string{
		"/robots.txt", "/", "/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json",
		"/sitemap_index.xml", "/sitemap-articles.xml.gz", "/sitemap-news.xml",
		"/section/world.html", "/about.html",
	} {
		if n := site.count(uri); n != 1 {
			t.Errorf("%s requested %d times, want 1", uri, n)
		}
	}
	for _, uri := range agencyArticles {
		if n := site.count(uri); n != 1 {
			t.Errorf("%s requested %d times, want 1", uri, n)
		}
	}
	never := map[string]string{
		"/video/clip-1.html":              "excluded",
		"/news/rss-old.html":              "older than MaxAge",
		"/sitemap-2024.xml":               "indexed with a lastmod older than MaxAge",
		"/news/2024-story.html":           "listed only in the old sitemap",
		"/comments/feed/":                 "a comments feed",
		"/wp-json/wp/v2/pages/2":          "announced as application/json",
		"/private/leak.html":              "denied by robots.txt",
		"/img/gz-1.jpg":                   "an image sitemap entry",
		"/news/rss-1.html?utm_source=rss": "a tracking URL",
	}
	for _, uri := range site.requests() {
		if why, ok := never[uri]; ok {
			t.Errorf("%s requested: it is %s", uri, why)
		}
	}

	if st.New != len(agencyArticles) || st.Failed != 0 || st.RobotsDenied != 1 || st.Fresh != 0 || st.NotModified != 0 {
		t.Errorf("stats %s", st)
	}
	// about.html has an <article> but is not under Include's /news/.
	if _, ok := rec.byURL(site.url("/about.html")); ok {
		t.Error("about.html archived; Include should have kept it out")
	}
	var lens []int
	for _, p := range rec.pages() {
		lens = append(lens, len([]rune(p.a.Text)))
	}
	if st.Extracted != len(agencyArticles) || st.EmptyText != 1 || st.NoTitle != 1 || st.NoDate != 1 || st.MedianTextLen != median(lens) || st.MedianTextLen == 0 {
		t.Errorf("health: %s; want %d extracted, 1 empty text, 1 without title, 1 without date, median %d",
			st, len(agencyArticles), median(lens))
	}
	if s := st.String(); strings.Contains(s, "\n") || !strings.Contains(s, "empty-text 1") {
		t.Errorf("String() = %q", s)
	}
	p, _ := rec.byURL(site.url("/news/gz-1.html"))
	if p.c.ETag == "" || p.c.LastModified == "" || !p.c.FetchedAt.Equal(agencyNow) {
		t.Errorf("capture validators %q %q fetched %v; want both, fetched at Config.Now", p.c.ETag, p.c.LastModified, p.c.FetchedAt)
	}
}

func TestCrawlIncremental(t *testing.T) {
	site := newAgency(t)
	rec, _ := crawlAgency(t, site)
	before := len(rec.pages())
	known := knownFrom(rec)
	first := len(site.requests())

	cfg := agencyConfig(t, site, agencyNow.Add(48*time.Hour))
	cfg.Known = known
	st, err := Crawl(t.Context(), cfg, agencyExtractor{}, rec)
	if err != nil {
		t.Fatalf("Crawl: %v (%s)", err, st)
	}
	if n := len(rec.pages()); n != before {
		t.Errorf("%d pages saved by the second crawl, want none", n-before)
	}
	// gz-1 is listed undated and gz-2 with a lastmod after the first
	// crawl: both are asked for conditionally. Every other article is
	// listed with a date no later than its fetch: not asked for at all.
	conditional := []string{"/news/gz-1.html", "/news/gz-2.html"}
	if st.NotModified != 2 || st.Fresh != len(agencyArticles)-2 || st.New+st.Updated+st.Unchanged != 0 || st.Failed != 0 {
		t.Errorf("stats %s; want 2 not modified, %d fresh, nothing saved", st, len(agencyArticles)-2)
	}
	second := site.requestsSince(first)
	for _, uri := range agencyArticles {
		n := 0
		for _, r := range second {
			if r.uri == uri {
				n++
				if r.hdr.Get("If-None-Match") == "" || r.hdr.Get("If-Modified-Since") != agencyLastModified.Format(http.TimeFormat) {
					t.Errorf("%s asked for without validators: %v", uri, r.hdr)
				}
			}
		}
		if want := map[bool]int{true: 1, false: 0}[slices.Contains(conditional, uri)]; n != want {
			t.Errorf("%s requested %d times by the second crawl, want %d", uri, n, want)
		}
	}
	for _, uri := range conditional {
		v, ok := known.confirmed[site.url(uri)]
		if !ok || !v.FetchedAt.Equal(cfg.Now()) || v.ETag == "" {
			t.Errorf("%s confirmed: %v %+v", uri, ok, v)
		}
	}
	if len(known.confirmed) != 2 {
		t.Errorf("confirmed %v", known.confirmed)
	}
	// Start page, feeds and sitemaps are fetched again, in full.
	for _, uri := range []string{"/", "/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json", "/sitemap_index.xml", "/sitemap-news.xml", "/section/world.html"} {
		if n := site.count(uri); n != 2 {
			t.Errorf("%s requested %d times over two crawls, want 2", uri, n)
		}
	}
}

func TestCrawlRevisit(t *testing.T) {
	site := newAgency(t)
	rec, _ := crawlAgency(t, site)
	first := len(site.requests())

	cfg := agencyConfig(t, site, agencyNow.Add(48*time.Hour))
	cfg.Known = knownFrom(rec)
	cfg.Revisit = 7 * 24 * time.Hour
	st, err := Crawl(t.Context(), cfg, agencyExtractor{}, rec)
	if err != nil {
		t.Fatalf("Crawl: %v (%s)", err, st)
	}
	if st.Fresh != len(agencyArticles) || st.NotModified != 0 || len(rec.pages()) != len(agencyArticles) {
		t.Errorf("stats %s; want all %d articles fresh", st, len(agencyArticles))
	}
	for _, r := range site.requestsSince(first) {
		if strings.HasPrefix(r.uri, "/news/") {
			t.Errorf("%s requested within the revisit interval", r.uri)
		}
	}

	// Past the interval, the undated entry is asked for again.
	first = len(site.requests())
	cfg.Now = func() time.Time { return agencyNow.Add(8 * 24 * time.Hour) }
	st, err = Crawl(t.Context(), cfg, agencyExtractor{}, rec)
	if err != nil {
		t.Fatalf("Crawl: %v (%s)", err, st)
	}
	var asked []string
	for _, r := range site.requestsSince(first) {
		if strings.HasPrefix(r.uri, "/news/") {
			asked = append(asked, r.uri)
		}
	}
	if slices.Sort(asked); !slices.Equal(asked, []string{"/news/gz-1.html", "/news/gz-2.html"}) || st.NotModified != 2 {
		t.Errorf("after the revisit interval: asked for %q, stats %s", asked, st)
	}
}

func TestCrawlMalformedDocuments(t *testing.T) {
	serve := func(ct, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			fmt.Fprint(w, body)
		}
	}
	var site *testSite
	site = newTestSite(t, map[string]http.HandlerFunc{
		"/bad.rss":  serve("application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><item><link>`),
		"/bad.json": serve("application/feed+json", `{"version": "https://jsonfeed.org/version/1.1", "items": [`),
		"/page.rss": serve("text/html", `<!DOCTYPE html><html><body><p>Not a feed.</p></body></html>`),
		"/cut.xml": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprintf(w, `<urlset><url><loc>%s/article1.html</loc></url><url><loc>%s/article2.html</loc></url><url><loc>`, site.srv.URL, site.srv.URL)
		},
		"/bomb.xml.gz": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(gzipBytes(t, append([]byte("<urlset>"), bytes.Repeat([]byte(" "), 1<<20)...)))
		},
	})
	var logs syncBuffer
	cfg := site.config(t)
	cfg.Depth = 1
	cfg.Logger = logs.logger()
	cfg.MaxBody = 64 << 10
	cfg.Feeds = []string{site.url("/bad.rss"), site.url("/bad.json"), site.url("/page.rss")}
	cfg.Sitemaps = []string{site.url("/cut.xml"), site.url("/bomb.xml.gz")}
	st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
	if err != nil {
		t.Fatalf("Crawl: %v (%s)", err, st)
	}
	// The cut sitemap still gives the two entries before the cut.
	if st.Failed != 5 || st.New != 2 {
		t.Errorf("stats %s; want 5 failed documents and the 2 articles of the cut sitemap", st)
	}
	lines := strings.Split(logs.String(), "\n")
	for _, want := range []struct{ msg, url, err string }{
		{"feed not parsed", "/bad.rss", "XML syntax error"},
		{"feed not parsed", "/bad.json", "unexpected end of JSON input"},
		{"feed not parsed", "/page.rss", "neither a feed nor a sitemap: root element <html>"},
		{"sitemap malformed; entries before the error kept", "/cut.xml", "XML syntax error"},
		{"sitemap not decompressed", "/bomb.xml.gz", "body too large"},
	} {
		if !slices.ContainsFunc(lines, func(l string) bool {
			return strings.Contains(l, "level=WARN") && strings.Contains(l, `msg="`+want.msg+`"`) &&
				strings.Contains(l, "url="+site.url(want.url)+" ") && strings.Contains(l, want.err)
		}) {
			t.Errorf("no warning %q for %s with %q:\n%s", want.msg, want.url, want.err, logs.String())
		}
	}
}

func TestCrawlSitemapIndexBounds(t *testing.T) {
	var site *testSite
	site = newTestSite(t, map[string]http.HandlerFunc{})
	site.fallback = func(w http.ResponseWriter, r *http.Request) {
		var n int
		if _, err := fmt.Sscanf(r.URL.Path, "/idx/%d.xml", &n); err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		// Each index lists itself, its parent and its child.
		fmt.Fprintf(w, `<sitemapindex><sitemap><loc>%[1]s/idx/%[2]d.xml</loc></sitemap><sitemap><loc>%[1]s/idx/%[3]d.xml</loc></sitemap><sitemap><loc>%[1]s/idx/%[4]d.xml</loc></sitemap></sitemapindex>`,
			site.srv.URL, n, max(n-1, 0), n+1)
	}
	cfg := site.config(t)
	cfg.Sitemaps = []string{site.url("/idx/0.xml")}
	st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
	if err != nil {
		t.Fatalf("Crawl: %v (%s)", err, st)
	}
	want := []string{"/robots.txt"}
	for n := range maxSitemapNesting + 1 {
		want = append(want, fmt.Sprintf("/idx/%d.xml", n))
	}
	if got := site.requests(); !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
}

func TestCrawlConcurrentSites(t *testing.T) {
	a, b := newAgency(t), newTestSite(t, nil)
	var wg sync.WaitGroup
	var stA, stB Stats
	var errA, errB error
	wg.Go(func() { stA, errA = Crawl(t.Context(), agencyConfig(t, a, agencyNow), agencyExtractor{}, &recorder{}) })
	wg.Go(func() { stB, errB = Crawl(t.Context(), b.config(t, "/"), testExtractor{}, &recorder{}) })
	wg.Wait()
	if errA != nil || errB != nil {
		t.Fatalf("errors %v, %v", errA, errB)
	}
	if stA.New != len(agencyArticles) || stB.New != 3 {
		t.Errorf("stats %s / %s", stA, stB)
	}
}

func TestCrawlKnownErrorStops(t *testing.T) {
	site := newAgency(t)
	errBroken := errors.New("archive unreadable")
	cfg := agencyConfig(t, site, agencyNow)
	cfg.Known = brokenKnown{errBroken}
	_, err := Crawl(t.Context(), cfg, agencyExtractor{}, &recorder{})
	if !errors.Is(err, errBroken) {
		t.Errorf("err = %v, want the archive's error", err)
	}
}

type brokenKnown struct{ err error }

func (k brokenKnown) Seen(context.Context, string) (archive.Validators, error) {
	return archive.Validators{}, k.err
}
func (k brokenKnown) Confirm(context.Context, string, archive.Validators) error { return k.err }
