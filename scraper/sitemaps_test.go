package scraper

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseSitemap(t *testing.T) {
	msk := time.FixedZone("", 3*60*60)
	for _, tc := range []struct {
		name    string
		in      string
		index   bool
		want    []entry
		wantErr bool
	}{
		{
			name: "urlset with lastmod forms, image locs ignored",
			in: `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc> https://example.org/a?x=1&amp;y=2 </loc><lastmod>2026-11-19</lastmod></url>
<url><loc>https://example.org/b</loc><lastmod>2026-11-19T10:30:00.123+03:00</lastmod><image:image><image:loc>https://example.org/b.jpg</image:loc></image:image></url>
<url><image:image><image:loc>https://example.org/c.jpg</image:loc></image:image><loc>https://example.org/c</loc><lastmod>yesterday</lastmod></url>
<url><lastmod>2026-11-19</lastmod></url>
</urlset>`,
			want: []entry{
				{"https://example.org/a?x=1&y=2", time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)},
				{"https://example.org/b", time.Date(2026, 11, 19, 10, 30, 0, 123e6, msk)},
				{"https://example.org/c", time.Time{}},
			},
		},
		{
			name: "google news: the later of lastmod and publication_date",
			in: `<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://example.org/n</loc>
<lastmod>2026-11-01</lastmod>
<news:news><news:publication><news:name>X</news:name></news:publication><news:publication_date>2026-11-20T08:00Z</news:publication_date></news:news>
</url></urlset>`,
			want: []entry{{"https://example.org/n", time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)}},
		},
		{
			name:  "sitemap index without namespace",
			in:    `<sitemapindex><sitemap><loc>/s1.xml.gz</loc><lastmod>2026-11</lastmod></sitemap><sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>`,
			index: true,
			want:  []entry{{"/s1.xml.gz", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, {"/s2.xml", time.Time{}}},
		},
		{
			name: "stray ampersand and unknown entity are kept",
			in:   `<urlset><url><loc>https://example.org/?a=1&b=2&nbsp;</loc></url></urlset>`,
			want: []entry{{"https://example.org/?a=1&b=2&nbsp;", time.Time{}}},
		},
		{
			name:    "cut short: entries before the cut",
			in:      `<urlset><url><loc>https://example.org/1</loc></url><url><loc>https://exa`,
			want:    []entry{{"https://example.org/1", time.Time{}}},
			wantErr: true,
		},
		{
			name: "windows-1251 declared",
			in:   "<?xml version=\"1.0\" encoding=\"windows-1251\"?><urlset><url><loc>https://example.ru/\xcd\xee\xe2\xee\xf1\xf2\xe8</loc></url></urlset>",
			want: []entry{{"https://example.ru/Новости", time.Time{}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sm, err := parseSitemap(strings.NewReader(tc.in))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if sm.index != tc.index || len(sm.entries) != len(tc.want) {
				t.Fatalf("got index=%v %+v, want index=%v %+v", sm.index, sm.entries, tc.index, tc.want)
			}
			for i, e := range sm.entries {
				if e.loc != tc.want[i].loc || !e.date.Equal(tc.want[i].date) {
					t.Errorf("entry %d = %+v, want %+v", i, e, tc.want[i])
				}
			}
		})
	}
}

func TestParseSitemapNotASitemap(t *testing.T) {
	for in, root := range map[string]string{
		``:                             "",
		`just text`:                    "",
		`<html><body>hi</body></html>`: "html",
		`<?xml version="1.0"?><rss/>`:  "rss",
		`<feed xmlns="http://www.w3.org/2005/Atom"/>`: "feed",
	} {
		_, err := parseSitemap(strings.NewReader(in))
		re, ok := errors.AsType[*rootError](err)
		if !ok || re.root != root {
			t.Errorf("parseSitemap(%q) err = %v, want root %q", in, err, root)
		}
	}
}

func TestParseSitemapBounded(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("<urlset>")
	for range maxEntries + 3 {
		b.WriteString("<url><loc>/x</loc></url>")
	}
	b.WriteString("</urlset>")
	sm, err := parseSitemap(&b)
	if err != nil || len(sm.entries) != maxEntries || sm.dropped != 3 {
		t.Errorf("%d entries, %d dropped, err %v", len(sm.entries), sm.dropped, err)
	}
}

func TestGunzipMagic(t *testing.T) {
	plain := []byte("<urlset></urlset>")
	if got, err := gunzipMagic(plain, 100); err != nil || !bytes.Equal(got, plain) {
		t.Errorf("plain body: %q, %v", got, err)
	}
	if got, err := gunzipMagic(gzipBytes(t, plain), 100); err != nil || !bytes.Equal(got, plain) {
		t.Errorf("gzipped body: %q, %v", got, err)
	}
	if _, err := gunzipMagic(gzipBytes(t, bytes.Repeat([]byte("a"), 101)), 100); !errors.Is(err, errTooLarge) {
		t.Errorf("over the limit: err = %v", err)
	}
	if _, err := gunzipMagic([]byte{0x1f, 0x8b, 0, 0}, 100); err == nil {
		t.Error("broken gzip: no error")
	}
}

// FuzzParseSitemap checks that no document makes the sitemap and feed
// parsers panic or keep more than maxEntries entries.
func FuzzParseSitemap(f *testing.F) {
	for _, s := range []string{
		`<urlset><url><loc>https://example.org/a</loc><lastmod>2026-11-19</lastmod></url></urlset>`,
		`<sitemapindex><sitemap><loc>/s.xml</loc></sitemap></sitemapindex>`,
		`<urlset xmlns:news="n"><url><loc>/n</loc><news:news><news:publication_date>2026-11-20T08:00Z</news:publication_date></news:news></url></urlset>`,
		`<?xml version="1.0" encoding="koi8-r"?><urlset><url><loc>/`,
		`<rss version="2.0"><channel><item><link>/a</link><pubDate>Thu, 19 Nov 2026 09:30:00 +0000</pubDate></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/a"/></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1.1","items":[{"url":"/a"}]}`,
		"\uFEFF<urlset/>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, _ := parseDocument(b)
		if len(doc.entries) > maxEntries || len(doc.sitemaps) > maxEntries {
			t.Errorf("%d entries, %d sitemaps kept", len(doc.entries), len(doc.sitemaps))
		}
		if doc.format == "sitemapindex" && len(doc.entries) > 0 {
			t.Errorf("a sitemap index listed pages: %+v", doc.entries)
		}
	})
}
