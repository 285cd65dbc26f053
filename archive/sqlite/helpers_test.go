package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

// epoch is the start of every test's clock and fetch times.
var epoch = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func openTest(t testing.TB, path string, opts ...Option) *Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "news.db")
	}
	opts = append([]Option{WithNow(func() time.Time { return epoch })}, opts...)
	s, err := Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// page returns a capture and the article extracted from it, fetched n
// minutes after epoch.
func page(url string, n int, text string) (*archive.Capture, *archive.Article) {
	fetched := epoch.Add(time.Duration(n) * time.Minute)
	c := &archive.Capture{
		URL: url, FinalURL: url, Status: 200, FetchedAt: fetched,
		ETag: `"e1"`, LastModified: "Fri, 01 Mar 2024 12:00:00 GMT",
		ContentType: "text/html; charset=utf-8", Charset: "utf-8", CharsetSource: "header",
		Body: []byte("<html><body><p>" + text + "</p></body></html>"),
	}
	a := &archive.Article{
		URL: url, CanonicalURL: url, Site: "example.com", Title: "Title of " + url,
		Authors: []string{"Ann Author"}, Language: "en", Text: text, Tags: []string{"news"},
		PublishedAt: time.Date(2024, 3, 1, 10, 0, 0, 0, time.FixedZone("", 3*3600)),
	}
	return c, a
}

func mustSave(t testing.TB, s *Store, c *archive.Capture, a *archive.Article) archive.Saved {
	t.Helper()
	saved, err := s.Save(context.Background(), c, a)
	if err != nil {
		t.Fatalf("Save %s: %v", a.Key(), err)
	}
	return saved
}

// count runs a COUNT(*) style query on the read pool.
func count(t testing.TB, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.read.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// realisticPage returns about size bytes of news-page HTML: markup,
// scripts and prose from a small vocabulary, which compresses about as
// well as real pages do.
func realisticPage(size int) []byte {
	words := strings.Fields(`the minister said on tuesday that government would review
		budget proposal after protests in capital city where thousands gathered police
		reported no injuries officials expected decision next week according to sources
		economy inflation rate percent bank analysts market energy prices winter region`)
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>News</title>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}</script>
<link rel="canonical" href="https://example.com/news/1"></head><body><nav><ul>`)
	for i := range 30 {
		fmt.Fprintf(&b, `<li class="menu-item"><a href="/section/%d">Section %d</a></li>`, i, i)
	}
	b.WriteString(`</ul></nav><article><h1>Headline</h1>`)
	for b.Len() < size-200 {
		b.WriteString(`<p class="article-paragraph">`)
		for range 40 + r.IntN(40) {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, `<a href="https://example.com/news/%d">more</a></p>`+"\n", r.IntN(100000))
	}
	b.WriteString(`</article><footer>© Example News</footer></body></html>`)
	return []byte(b.String())
}
