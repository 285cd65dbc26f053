package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
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
