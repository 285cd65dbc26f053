package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

func TestMigrationsAreNumberedFromOne(t *testing.T) {
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].version != 1 {
		t.Fatalf("migrations = %+v", ms)
	}
}

func TestReopenKeepsDataAndAppliesNothingTwice(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c, a := page("https://example.com/a", 0, "text")
	mustSave(t, s, c, a)
	applied := appliedAt(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	later := func() time.Time { return epoch.Add(24 * time.Hour) }
	for range 2 {
		s, err := Open(ctx, path, WithNow(later))
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if n := count(t, s, `SELECT count(*) FROM schema_migrations`); n != len(ms) {
			t.Errorf("schema_migrations has %d rows, want %d", n, len(ms))
		}
		if got := appliedAt(t, s); got != applied {
			t.Errorf("applied_at changed on reopen: %q, was %q", got, applied)
		}
		if got, err := s.Latest(ctx, a.Key()); err != nil || got.Text != "text" {
			t.Errorf("Latest after reopen = %+v, %v", got, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func appliedAt(t *testing.T, s *Store) string {
	t.Helper()
	var v string
	err := s.read.QueryRow(`SELECT group_concat(version || '@' || applied_at, ' ') FROM schema_migrations`).Scan(&v)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// As if a newer newsvault had migrated the file.
	_, err = s.write.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '0999_future.sql', '')`)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(ctx, path); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("Open = %v, want ErrNewerSchema", err)
	}
}

func TestOpenPaths(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"news.db", "with space.db", "what?.db", "hash#50%.db", "a&b=c+d.db", "кириллица.db"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "dir with space?")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, name)
			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			c, a := page("https://example.com/a", 0, "text")
			mustSave(t, s, c, a)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			entries, _ := os.ReadDir(dir)
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("database not at %q (dir has %v): %v", path, entries, err)
			}
		})
	}
	t.Run("relative", func(t *testing.T) {
		t.Chdir(t.TempDir())
		s, err := Open(ctx, "rel.db")
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		if _, err := os.Stat("rel.db"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	garbage := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(garbage, []byte("these are my notes, not a database, but long enough to have a header........................................"), 0o644); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE contacts (name TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	tests := []struct {
		name string
		path string
		want error
	}{
		{"not a database", garbage, ErrNotDatabase},
		{"another program's database", foreign, ErrNotDatabase},
		{"missing directory", filepath.Join(dir, "no", "such", "dir", "news.db"), ErrCantOpen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(ctx, tt.path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Open = %v, want %v", err, tt.want)
			}
		})
	}
}

// v1Fetch is one version of an article as an archive of migration 0001 kept
// it: the capture and the article's own URL.
type v1Fetch struct {
	url, finalURL, articleURL string
	minute                    int
	text                      string
}

// openV1 creates an archive with migration 0001 only and fills it by hand,
// as a newsvault of that schema did: one article per key, its versions in
// order. It returns the file's path.
func openV1(t *testing.T, articles map[string][]v1Fetch) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	d, err := dsn(path, 10*time.Second, "_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", d)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := applyMigrations(ctx, db, ms[:1], func() time.Time { return epoch }); err != nil {
		t.Fatal(err)
	}
	exec := func(query string, args ...any) int64 {
		t.Helper()
		res, err := db.Exec(query, args...)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	for _, key := range slices.Sorted(maps.Keys(articles)) {
		fetches := articles[key]
		last := stamp(epoch.Add(time.Duration(fetches[len(fetches)-1].minute) * time.Minute))
		articleID := exec(`INSERT INTO articles (key, site, first_seen_at, latest_version, etag, last_modified, last_fetched_at)
			VALUES (?, 'example.com', ?, ?, '"v1"', '', ?)`, key, last, len(fetches), last)
		for i, f := range fetches {
			fetched := stamp(epoch.Add(time.Duration(f.minute) * time.Minute))
			captureID := exec(`INSERT INTO captures (url, final_url, status, fetched_at, etag, last_modified,
				content_type, charset, charset_source, body_sha256, raw_size, body_zstd)
				VALUES (?, ?, 200, ?, '"v1"', '', 'text/html', 'utf-8', 'header', ?, 0, x'')`,
				f.url, f.finalURL, fetched, sha256Hex(nil))
			exec(`INSERT INTO versions (article_id, version, capture_id, fingerprint, content_sha256,
				first_seen_at, last_confirmed_at, published_at, published_utc, modified_at, modified_utc,
				url, canonical_url, site, language, title, authors, tags, image_url, description, text)
				VALUES (?, ?, ?, ?, ?, ?, ?, '', NULL, '', NULL, ?, ?, 'example.com', 'en', 'T', '[]', '[]', '', '', ?)`,
				articleID, i+1, captureID, "fp "+f.text, archive.TextSHA256(f.text), fetched, fetched,
				f.articleURL, key, f.text)
		}
	}
	return path
}

func TestMigrateFromV1(t *testing.T) {
	ctx := context.Background()
	const (
		a = "https://example.com/news/a" // canonical key
		b = "https://example.com/b"
	)
	path := openV1(t, map[string][]v1Fetch{
		a: {
			{"https://example.com/a?utm=1", "https://www.example.com/a", "https://www.example.com/a", 0, "a1"},
			{"https://example.com/a?utm=2", "https://www.example.com/a", "https://www.example.com/a", 20, "a2"},
		},
		b: {{b, b, b, 10, "b1"}},
	})
	s := openTest(t, path)
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM schema_migrations`); n != len(ms) {
		t.Fatalf("%d migrations applied, want %d", n, len(ms))
	}

	for _, url := range []string{a, "https://example.com/a?utm=1", "https://example.com/a?utm=2", "https://www.example.com/a"} {
		if v, err := s.Seen(ctx, url); err != nil || !v.FetchedAt.Equal(epoch.Add(20*time.Minute)) {
			t.Errorf("Seen(%s) = %+v, %v; want article a's", url, v, err)
		}
	}
	if v, err := s.Seen(ctx, b); err != nil || !v.FetchedAt.Equal(epoch.Add(10*time.Minute)) || v.ETag != `"v1"` {
		t.Errorf("Seen(%s) = %+v, %v", b, v, err)
	}
	if n := count(t, s, `SELECT count(*) FROM urls`); n != 5 {
		t.Errorf("%d urls backfilled, want 5", n)
	}

	// Positions existed before the migration: a's latest version is the
	// newest change.
	var got []string
	cursor := changesAfter(t, s, archive.Filter{}, &got)
	if want := []string{b + "@1", a + "@2"}; !slices.Equal(got, want) {
		t.Errorf("ArticlesAfter(0) = %q, want %q", got, want)
	}
	if err := s.Confirm(ctx, "https://example.com/a?utm=1", archive.Validators{ETag: `"v2"`, FetchedAt: epoch.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	c, art := page(b, 90, "b2")
	mustSave(t, s, c, art)
	got = nil
	if changesAfter(t, s, archive.Filter{After: cursor}, &got); !slices.Equal(got, []string{b + "@2"}) {
		t.Errorf("after the migration and a save: %q", got)
	}
	checkConsistent(t, s)
}

func TestVersionsCannotBeDeleted(t *testing.T) {
	s := openTest(t, "")
	c, a := page("https://example.com/a", 0, "text")
	mustSave(t, s, c, a)
	if _, err := s.write.Exec(`DELETE FROM versions`); err == nil {
		t.Error("deleting a version succeeded: the change cursor could hand out its id again")
	}
}
