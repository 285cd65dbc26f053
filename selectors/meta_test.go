package selectors

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

// metaBody is enough prose for a page to count as an article.
const metaBody = `<article><p>The council voted on Thursday to build twelve miles of protected lanes, the largest expansion in a decade, after a three-hour debate.</p>
<p>Supporters said the lanes would make streets safer, while opponents worried about the loss of parking on busy commercial streets downtown.</p></article>`

func extractSnippet(t *testing.T, head, body string, u *url.URL) archive.Article {
	t.Helper()
	page := "<html><head>" + head + "</head><body>" + body + metaBody + "</body></html>"
	a, err := (&Set{}).ExtractHTML(strings.NewReader(page), u)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestMetadataFields(t *testing.T) {
	u, _ := url.Parse("https://www.example-gazette.com/2026/11/25/lanes/")
	rfc := func(tm time.Time) string {
		if tm.IsZero() {
			return ""
		}
		return tm.Format(time.RFC3339)
	}
	tests := []struct {
		name, head, body string
		field            func(archive.Article) string
		want             string
	}{
		// Title: site names and breadcrumbs go.
		{"title og site suffix", `<meta property="og:title" content="Council approves lanes | The Example Gazette"><meta property="og:site_name" content="The Example Gazette">`, ``,
			func(a archive.Article) string { return a.Title }, "Council approves lanes"},
		{"title breadcrumb", `<title>Council approves lanes - Local - News - Example Gazette</title>`, ``,
			func(a archive.Article) string { return a.Title }, "Council approves lanes"},
		{"title h1 decoration", `<title>Council approves lanes :: City :: EG</title>`, `<h1>Council approves lanes</h1>`,
			func(a archive.Article) string { return a.Title }, "Council approves lanes"},
		{"title none", ``, ``, func(a archive.Article) string { return a.Title }, ""},
		// Authors: names only.
		{"authors json-ld", `<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"John Roe"}]}</script>`, ``,
			func(a archive.Article) string { return strings.Join(a.Authors, ";") }, "Jane Doe;John Roe"},
		{"authors meta", `<meta name="author" content="By Jane Doe, Senior Reporter">`, ``,
			func(a archive.Article) string { return strings.Join(a.Authors, ";") }, "Jane Doe"},
		{"authors byline", ``, `<div class="byline">By <a rel="author" href="/jane">Jane Doe</a> and John Roe | Email the author</div>`,
			func(a archive.Article) string { return strings.Join(a.Authors, ";") }, "Jane Doe"},
		{"authors russian", `<meta name="author" content="Автор: Иван Петров">`, ``,
			func(a archive.Article) string { return strings.Join(a.Authors, ";") }, "Иван Петров"},
		{"authors none", ``, ``, func(a archive.Article) string { return strings.Join(a.Authors, ";") }, ""},
		// Dates keep the publisher's zone.
		{"published json-ld", `<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2026-11-25T14:05:00+03:00","dateModified":"2026-11-25T16:00:00+03:00"}</script>`, ``,
			func(a archive.Article) string { return rfc(a.PublishedAt) + " " + rfc(a.ModifiedAt) }, "2026-11-25T14:05:00+03:00 2026-11-25T16:00:00+03:00"},
		{"published meta", `<meta property="article:published_time" content="2026-11-25T09:30:00-05:00"><meta property="article:modified_time" content="2026-11-25T10:00:00-05:00">`, ``,
			func(a archive.Article) string { return rfc(a.PublishedAt) + " " + rfc(a.ModifiedAt) }, "2026-11-25T09:30:00-05:00 2026-11-25T10:00:00-05:00"},
		{"published time element", ``, `<time datetime="2026-11-25T14:05:00+01:00">25 Nov</time>`,
			func(a archive.Article) string { return rfc(a.PublishedAt) }, "2026-11-25T14:05:00+01:00"},
		{"published russian dateline", ``, `<div class="article-date">25 ноября 2026, 14:05</div>`,
			func(a archive.Article) string { return rfc(a.PublishedAt) }, "2026-11-25T14:05:00Z"},
		{"published english dateline", ``, `<span class="published">Published November 25, 2026 2:05 PM</span>`,
			func(a archive.Article) string { return rfc(a.PublishedAt) }, "2026-11-25T14:05:00Z"},
		{"published none", ``, ``, func(a archive.Article) string { return rfc(a.PublishedAt) + rfc(a.ModifiedAt) }, ""},
		// Language: html lang, else the text.
		{"language meta", `<meta property="og:locale" content="de_DE">`, ``, func(a archive.Article) string { return a.Language }, "de"},
		{"language detected", ``, ``, func(a archive.Article) string { return a.Language }, "en"},
		// Links resolve against the page.
		{"canonical", `<link rel="canonical" href="/2026/11/25/lanes/">`, ``,
			func(a archive.Article) string { return a.CanonicalURL }, "https://www.example-gazette.com/2026/11/25/lanes/"},
		{"canonical og:url", `<meta property="og:url" content="https://example-gazette.com/lanes">`, ``,
			func(a archive.Article) string { return a.CanonicalURL }, "https://example-gazette.com/lanes"},
		{"canonical none", ``, ``, func(a archive.Article) string { return a.CanonicalURL }, ""},
		{"description", `<meta name="description" content="  Twelve miles of&nbsp;lanes. ">`, ``,
			func(a archive.Article) string { return a.Description }, "Twelve miles of lanes."},
		{"description json-ld", `<script type="application/ld+json">{"@type":"NewsArticle","description":"Twelve miles."}</script>`, ``,
			func(a archive.Article) string { return a.Description }, "Twelve miles."},
		{"tags meta", `<meta property="article:tag" content="Transport"><meta property="article:tag" content="City Hall">`, ``,
			func(a archive.Article) string { return strings.Join(a.Tags, ";") }, "Transport;City Hall"},
		{"tags keywords", `<meta name="keywords" content="transport, city hall; bikes">`, ``,
			func(a archive.Article) string { return strings.Join(a.Tags, ";") }, "transport;city hall;bikes"},
		{"tags none", ``, ``, func(a archive.Article) string { return strings.Join(a.Tags, ";") }, ""},
		{"image og", `<meta property="og:image" content="/img/lanes.jpg">`, ``,
			func(a archive.Article) string { return a.ImageURL }, "https://www.example-gazette.com/img/lanes.jpg"},
		{"image json-ld", `<script type="application/ld+json">{"@type":"NewsArticle","image":{"@type":"ImageObject","url":"https://cdn.example.com/a.jpg"}}</script>`, ``,
			func(a archive.Article) string { return a.ImageURL }, "https://cdn.example.com/a.jpg"},
		{"image none", ``, ``, func(a archive.Article) string { return a.ImageURL }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.field(extractSnippet(t, tt.head, tt.body, u)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestNilURL checks that a page extracted without its address (the CLI
// without --url) gives the same text and never panics.
func TestNilURL(t *testing.T) {
	base, _ := url.Parse("https://example.com/")
	for _, f := range fixtures(t) {
		a, errA := (&Set{}).ExtractHTML(strings.NewReader(string(f.page)), base)
		b, errB := (&Set{}).ExtractHTML(strings.NewReader(string(f.page)), nil)
		if (errA == nil) != (errB == nil) || a.Text != b.Text || a.Title != b.Title || !slices.Equal(a.Authors, b.Authors) {
			t.Errorf("%s: nil URL differs: %v/%v %q/%q", f.dir, errA, errB, a.Title, b.Title)
		}
		// Without an address the page's own canonical URL names the site.
		wantSite := ""
		if c, err := url.Parse(b.CanonicalURL); err == nil && b.CanonicalURL != "" {
			wantSite = strings.TrimPrefix(strings.ToLower(c.Hostname()), "www.")
		}
		if b.URL != "" || b.Site != wantSite {
			t.Errorf("%s: nil URL gave URL %q site %q, want \"\" and %q", f.dir, b.URL, b.Site, wantSite)
		}
	}
}

func FuzzHasToken(f *testing.F) {
	for _, s := range []string{"", "author", "Author noopener", "noopener  TAG", "canonİcal", "\u212aey", "tag\u00a0author", "x-author"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		for _, tok := range []string{"canonical", "author", "tag"} {
			want := slices.Contains(strings.Fields(strings.ToLower(list)), tok)
			if got := hasToken(list, tok); got != want {
				t.Errorf("hasToken(%q, %q) = %v, want %v", list, tok, got, want)
			}
		}
	})
}
