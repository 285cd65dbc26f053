package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

// redirected returns a fetch of fetchURL that redirected to finalURL, whose
// page names key as its canonical URL.
func redirected(fetchURL, finalURL, key string, n int, text string) (*archive.Capture, *archive.Article) {
	c, a := page(finalURL, n, text)
	c.URL = fetchURL
	a.CanonicalURL = key
	return c, a
}

func TestSeen(t *testing.T) {
	s := openTest(t, "")
	ctx := context.Background()
	const (
		fetchURL = "https://example.com/a?utm_source=rss"
		finalURL = "https://www.example.com/a"
		key      = "https://example.com/news/a"
	)
	c, a := redirected(fetchURL, finalURL, key, 0, "body")
	mustSave(t, s, c, a)
	// An unchanged refetch through a URL not seen before records it too.
	c2, a2 := redirected("https://example.com/a?from=home", finalURL, key, 1, "body")
	c2.ETag = `"e2"`
	if got := mustSave(t, s, c2, a2); got.Outcome != archive.Unchanged {
		t.Fatalf("refetch outcome %v", got.Outcome)
	}
	want := archive.Validators{ETag: `"e2"`, LastModified: c2.LastModified, FetchedAt: c2.FetchedAt}

	for _, tt := range []struct {
		name string
		url  string
		want error
	}{
		{"fetch url", fetchURL, nil},
		{"final url after a redirect", finalURL, nil},
		{"key", key, nil},
		{"url of an unchanged refetch", "https://example.com/a?from=home", nil},
		{"unknown", "https://example.com/b", archive.ErrNotFound},
		{"empty", "", archive.ErrNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Seen(ctx, tt.url)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Seen = %v, want %v", err, tt.want)
			}
			if tt.want == nil && (got.ETag != want.ETag || got.LastModified != want.LastModified || !got.FetchedAt.Equal(want.FetchedAt)) {
				t.Errorf("Seen = %+v, want %+v", got, want)
			}
		})
	}
}

// A URL points at the article its newest fetch gave: the site moved the
// canonical URL, so the same address now archives under another key.
func TestSeenFollowsNewestFetch(t *testing.T) {
	s := openTest(t, "")
	ctx := context.Background()
	const url = "https://example.com/a"
	c1, a1 := redirected(url, url, "https://example.com/old", 0, "old")
	c1.ETag = `"old"`
	mustSave(t, s, c1, a1)
	c2, a2 := redirected(url, url, "https://example.com/new", 10, "new")
	c2.ETag = `"new"`
	mustSave(t, s, c2, a2)
	// A fetch older than both, saved late by another process.
	c0, a0 := redirected(url, url, "https://example.com/old", 5, "old")
	mustSave(t, s, c0, a0)

	if v, err := s.Seen(ctx, url); err != nil || v.ETag != `"new"` {
		t.Errorf("Seen(url) = %+v, %v; want the newest fetch's", v, err)
	}
	if err := s.Confirm(ctx, url, archive.Validators{ETag: `"new2"`, FetchedAt: c2.FetchedAt.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Seen(ctx, "https://example.com/new"); v.ETag != `"new2"` {
		t.Errorf("Confirm(url) went elsewhere: the new key has ETag %q", v.ETag)
	}
	if v, _ := s.Seen(ctx, "https://example.com/old"); v.ETag != `"e1"` {
		t.Errorf("the old key has ETag %q, want the late fetch's \"e1\"", v.ETag)
	}
}

func TestConfirm(t *testing.T) {
	ctx := context.Background()
	const (
		fetchURL = "https://example.com/a?utm_source=rss"
		key      = "https://example.com/a"
	)
	later := epoch.Add(time.Hour)
	tests := []struct {
		name      string
		v         archive.Validators
		want      archive.Validators // what Seen returns after
		confirmed time.Time          // the version's last_confirmed_at after
	}{
		{"new validators", archive.Validators{ETag: `"e2"`, LastModified: "Fri, 01 Mar 2024 13:00:00 GMT", FetchedAt: later},
			archive.Validators{ETag: `"e2"`, LastModified: "Fri, 01 Mar 2024 13:00:00 GMT", FetchedAt: later}, later},
		{"a 304 without validators keeps the stored ones", archive.Validators{FetchedAt: later},
			archive.Validators{ETag: `"e1"`, LastModified: "Fri, 01 Mar 2024 12:00:00 GMT", FetchedAt: later}, later},
		{"an older confirmation moves nothing back", archive.Validators{ETag: `"old"`, FetchedAt: epoch.Add(-time.Hour)},
			archive.Validators{ETag: `"e1"`, LastModified: "Fri, 01 Mar 2024 12:00:00 GMT", FetchedAt: epoch}, epoch},
		{"zero time is the clock's", archive.Validators{ETag: `"e3"`},
			archive.Validators{ETag: `"e3"`, LastModified: "Fri, 01 Mar 2024 12:00:00 GMT", FetchedAt: later}, later},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t, "", WithNow(func() time.Time { return later }))
			c, a := redirected(fetchURL, key, key, 0, "body")
			mustSave(t, s, c, a)
			cursor := changesAfter(t, s, archive.Filter{}, nil)

			if err := s.Confirm(ctx, fetchURL, tt.v); err != nil {
				t.Fatal(err)
			}
			got, err := s.Seen(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			if got.ETag != tt.want.ETag || got.LastModified != tt.want.LastModified || !got.FetchedAt.Equal(tt.want.FetchedAt) {
				t.Errorf("Seen = %+v, want %+v", got, tt.want)
			}
			var confirmed string
			if err := s.read.QueryRow(`SELECT last_confirmed_at FROM versions`).Scan(&confirmed); err != nil {
				t.Fatal(err)
			}
			if confirmed != stamp(tt.confirmed) {
				t.Errorf("last_confirmed_at = %s, want %s", confirmed, stamp(tt.confirmed))
			}
			if n := count(t, s, `SELECT count(*) FROM versions`); n != 1 {
				t.Errorf("%d versions after Confirm, want 1", n)
			}
			var keys []string
			if next := changesAfter(t, s, archive.Filter{After: cursor}, &keys); next != cursor || len(keys) != 0 {
				t.Errorf("after Confirm: ArticlesAfter(%d) = %q, cursor %d; want nothing", cursor, keys, next)
			}
			checkConsistent(t, s)
		})
	}
}

func TestConfirmUnknownURL(t *testing.T) {
	s := openTest(t, "")
	c, a := page("https://example.com/a", 0, "body")
	mustSave(t, s, c, a)
	err := s.Confirm(context.Background(), "https://example.com/b", archive.Validators{FetchedAt: epoch})
	if !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("Confirm = %v, want ErrNotFound", err)
	}
}
