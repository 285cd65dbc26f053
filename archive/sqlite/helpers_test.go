package sqlite

import (
	"context"
	"path/filepath"
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
