package scraper

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func TestFeedEntries(t *testing.T) {
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name   string
		in     string
		format string
		want   []entry
	}{
		{
			name:   "rss 2.0: link, permalink guid, no link",
			format: "rss",
			in: `<rss version="2.0"><channel><title>T</title>
<item><link>https://example.org/a</link><pubDate>Thu, 19 Nov 2026 09:00:00 +0000</pubDate></item>
<item><guid isPermaLink="true">https://example.org/b</guid></item>
<item><guid isPermaLink="false">tag:example.org,2026:c</guid><title>No link</title></item>
</channel></rss>`,
			want: []entry{{"https://example.org/a", day(19, 9)}, {"https://example.org/b", time.Time{}}},
		},
		{
			name:   "rss 1.0 (rdf)",
			format: "rss",
			in: `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://example.org/"><title>T</title><link>https://example.org/</link></channel>
<item rdf:about="https://example.org/r"><title>R</title><link>https://example.org/r</link><dc:date>2026-11-19T09:00:00Z</dc:date></item>
</rdf:RDF>`,
			want: []entry{{"https://example.org/r", day(19, 9)}},
		},
		{
			name:   "atom: alternate link, later of published and updated",
			format: "atom",
			in: `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><link rel="enclosure" href="https://example.org/x.mp3"/><link rel="alternate" href="/a"/><published>2026-11-18T07:00:00Z</published><updated>2026-11-19T07:00:00Z</updated></entry>
</feed>`,
			want: []entry{{"/a", day(19, 7)}},
		},
		{
			name:   "json feed",
			format: "json",
			in:     `{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","url":"https://example.org/j","date_published":"2026-11-19T06:00:00Z","date_modified":"2026-11-20T06:00:00Z"},{"id":"2"}]}`,
			want:   []entry{{"https://example.org/j", day(20, 6)}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, format, _, err := feedEntries([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if format != tc.format || len(got) != len(tc.want) {
				t.Fatalf("got %s %+v, want %s %+v", format, got, tc.format, tc.want)
			}
			for i, e := range got {
				if e.loc != tc.want[i].loc || !e.date.Equal(tc.want[i].date) {
					t.Errorf("entry %d = %+v, want %+v", i, e, tc.want[i])
				}
			}
		})
	}
	if _, _, _, err := feedEntries([]byte("<html></html>")); err != errNotFeed {
		t.Errorf("html: err = %v, want errNotFeed", err)
	}
}

func TestFeedLinks(t *testing.T) {
	page, _ := url.Parse("https://example.org/news/")
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(`<html><head>
<base href="https://example.org/">
<link rel="alternate" type="application/rss+xml" href="feed/">
<link rel="ALTERNATE home" type=" Application/Atom+XML " href="https://example.org/atom.xml#x">
<link rel="alternate" type="application/feed+json" href="/feed.json?utm_source=x">
<link rel="alternate" type="application/rss+xml" href="/comments/feed/">
<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/1">
<link rel="alternate" hreflang="ru" href="/ru/">
<link rel="stylesheet" type="application/rss+xml" href="/not-a-feed.xml">
<link rel="alternate" type="application/rss+xml" href="javascript:void(0)">
</head><body><link rel="alternate" type="application/rss+xml" href="/body-feed.xml"></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range feedLinks(doc, page) {
		got = append(got, u.String())
	}
	want := []string{
		"https://example.org/feed/", "https://example.org/atom.xml",
		"https://example.org/feed.json", "https://example.org/body-feed.xml",
	}
	if !slices.Equal(got, want) {
		t.Errorf("feedLinks = %q\nwant %q", got, want)
	}
}

// FuzzFeedLinks checks that no page makes feed autodiscovery panic or
// return anything but http(s) URLs with a host.
func FuzzFeedLinks(f *testing.F) {
	f.Add(`<link rel="alternate" type="application/rss+xml" href="/feed">`)
	f.Add(`<base href="//cdn.example.org/x/"><link rel="alternate" type="application/atom+xml" href="../a">`)
	f.Add(`<link rel="alternate" type="application/feed+json" href="http://[::1">`)
	page, _ := url.Parse("https://example.org/")
	f.Fuzz(func(t *testing.T, html string) {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
		if err != nil {
			return
		}
		for _, u := range feedLinks(doc, page) {
			if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Errorf("feedLinks returned %q", u)
			}
		}
	})
}

// FuzzFeedEntries checks that no feed makes the feed parser panic.
func FuzzFeedEntries(f *testing.F) {
	f.Add([]byte(`<rss version="2.0"><channel><item><link>/a</link></item></channel></rss>`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/a"/><updated>x</updated></entry></feed>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"url":"/a","date_published":"2026"}]}`))
	f.Add([]byte(`<?xml version="1.0" encoding="windows-1251"?><rss><channel><item><guid>http://x/</guid></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, _, _, err := feedEntries(b)
		if err != nil && len(entries) > 0 {
			t.Errorf("entries with an error: %v", err)
		}
		for _, e := range entries {
			if e.loc == "" {
				t.Error("an entry without a link")
			}
		}
	})
}
