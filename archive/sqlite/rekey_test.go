package sqlite

import (
	"context"
	"testing"

	"github.com/newsvault/newsvault/archive"
)

// An archive written before keys were normalised is re-keyed by migration
// 0003: a refetch of an unchanged page under any form of its URL is
// Unchanged, and two articles an older newsvault kept apart stay apart.
func TestMigrateNormalizesKeys(t *testing.T) {
	ctx := context.Background()
	const (
		x     = "http://Example.com/news/x/"
		zHTTP = "http://example.com/news/z"
		zTLS  = "https://example.com/news/z"
	)
	path := openV1(t, map[string][]v1Fetch{
		x:     {{x, x, x, 0, "x1"}},
		zHTTP: {{zHTTP, zHTTP, zHTTP, 1, "z http"}},
		zTLS:  {{zTLS, zTLS, zTLS, 2, "z https"}},
	})
	s := openTest(t, path)
	if n := count(t, s, `SELECT count(*) FROM articles WHERE key = 'https://example.com/news/x'`); n != 1 {
		t.Errorf("article x not re-keyed")
	}
	if n := count(t, s, `SELECT count(*) FROM articles`); n != 3 {
		t.Errorf("%d articles after the migration, want 3 (the two z stay apart)", n)
	}
	for _, key := range []string{x, "https://example.com/news/x", "https://example.com/news/x?utm_source=a#top"} {
		if a, err := s.Latest(ctx, key); err != nil || a.Text != "x1" {
			t.Errorf("Latest(%s) = %q, %v", key, a.Text, err)
		}
	}
	if _, err := s.Seen(ctx, x); err != nil {
		t.Errorf("Seen(old key): %v", err)
	}
	// The page as openV1 stored it, refetched: the recomputed fingerprint
	// matches, so no version is added.
	c, _ := page("https://example.com/news/x", 30, "x1")
	a := &archive.Article{URL: "https://example.com/news/x", CanonicalURL: x, Site: "example.com", Title: "T", Language: "en", Text: "x1"}
	if saved := mustSave(t, s, c, a); saved.Outcome != archive.Unchanged {
		t.Errorf("unchanged page after the migration: %v, want unchanged", saved.Outcome)
	}
	c, a = page(zHTTP, 40, "z new")
	if saved := mustSave(t, s, c, a); saved.Outcome != archive.Updated {
		t.Errorf("z saved as %v, want an update of the https article", saved.Outcome)
	}
	if got, _ := s.Latest(ctx, zTLS); got.Text != "z new" {
		t.Errorf("z https text %q after the save", got.Text)
	}
	checkConsistent(t, s)
}

func TestSaveCleansStrings(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, "")
	c, a := page("https://example.com/bad", 0, "ok\x00text \xff\xfe end")
	a.Title, a.Tags = "T\x00itle\xc0", []string{"\xed\xa0\x80tag"}
	mustSave(t, s, c, a)
	if a.Text != "ok\x00text \xff\xfe end" {
		t.Error("Save modified the caller's article")
	}
	got, err := s.Latest(ctx, "https://example.com/bad")
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "oktext \uFFFD end" || got.Title != "Title\uFFFD" || got.Tags[0] != "\uFFFDtag" {
		t.Errorf("stored %q, %q, %q", got.Text, got.Title, got.Tags)
	}
	if n := count(t, s, `SELECT count(*) FROM versions WHERE instr(text, char(0)) > 0 OR instr(title, char(0)) > 0`); n != 0 {
		t.Errorf("%d versions hold a NUL", n)
	}
}
