package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

func TestReadWhileWriting(t *testing.T) {
	s := openTest(t, "")
	ctx := context.Background()
	const saves = 100
	done := make(chan error, 1)
	go func() {
		for i := range saves {
			c, a := page(fmt.Sprintf("https://example.com/%03d", i%40), i, fmt.Sprint("text ", i))
			if _, err := s.Save(ctx, c, a); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()

	reads := 0
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("writer: %v", err)
			}
			if reads == 0 {
				t.Error("no read overlapped the writes")
			}
			t.Logf("%d exports during %d saves", reads, saves)
			return
		default:
		}
		prev := ""
		err := s.Articles(ctx, archive.Filter{}, func(a *archive.Article) error {
			if a.Key() <= prev {
				return fmt.Errorf("key %s after %s", a.Key(), prev)
			}
			prev = a.Key()
			return nil
		})
		if err != nil {
			t.Fatalf("Articles during writes: %v", err)
		}
		reads++
	}
}

// Two Stores on one file behave like two newsvault processes: they open
// (and migrate) a new file at the same time, then save overlapping
// articles. No busy error may reach them, and the versions stay dense.
func TestTwoStoresOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	const (
		writers = 2
		saves   = 150
		keys    = 15
	)
	stores := make([]*Store, writers)
	var wg sync.WaitGroup
	errs := make(chan error, writers*saves)
	for w := range writers {
		wg.Go(func() {
			s, err := Open(ctx, path)
			if err != nil {
				errs <- fmt.Errorf("open %d: %w", w, err)
				return
			}
			stores[w] = s
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, s := range stores {
		t.Cleanup(func() { s.Close() })
	}

	var mu sync.Mutex
	outcomes := map[archive.Outcome]int{}
	errs = make(chan error, writers*saves)
	for w, s := range stores {
		wg.Go(func() {
			for i := range saves {
				// Writers alternate between content of their own and
				// content both write, so all three outcomes happen.
				text := fmt.Sprint("shared ", i/3)
				if i%3 == 0 {
					text = fmt.Sprint("writer ", w, " save ", i)
				}
				c, a := page(fmt.Sprintf("https://example.com/%02d", i%keys), i, text)
				saved, err := s.Save(ctx, c, a)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				outcomes[saved.Outcome]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("save: %v", err)
	}

	s := stores[0]
	created := outcomes[archive.New] + outcomes[archive.Updated]
	if n := count(t, s, `SELECT count(*) FROM versions`); n != created {
		t.Errorf("%d versions, but saves reported %d new or updated (%v)", n, created, outcomes)
	}
	if n := count(t, s, `SELECT count(*) FROM articles`); n != keys || outcomes[archive.New] != keys {
		t.Errorf("%d articles, %d reported new, want %d", n, outcomes[archive.New], keys)
	}
	checkConsistent(t, s)
}

// checkConsistent asserts what a Save leaves behind, whole or not at all:
// every version has its capture, and each article's versions run 1..latest.
func checkConsistent(t *testing.T, s *Store) {
	t.Helper()
	var ok string
	if err := s.read.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check = %q, %v", ok, err)
	}
	if n := count(t, s, `SELECT count(*) FROM pragma_foreign_key_check`); n != 0 {
		t.Errorf("%d foreign key violations", n)
	}
	if n := count(t, s, `SELECT count(*) FROM versions v LEFT JOIN captures c ON c.id = v.capture_id WHERE c.id IS NULL`); n != 0 {
		t.Errorf("%d versions without their capture", n)
	}
	if n := count(t, s, `SELECT count(*) FROM captures c WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.capture_id = c.id)`); n != 0 {
		t.Errorf("%d captures without a version", n)
	}
	if n := count(t, s, `SELECT count(*) FROM articles a WHERE latest_version != (SELECT count(*) FROM versions v WHERE v.article_id = a.id)
		OR latest_version != (SELECT max(version) FROM versions v WHERE v.article_id = a.id)`); n != 0 {
		t.Errorf("%d articles whose versions are not 1..latest_version", n)
	}
}

// A consumer following the change cursor while two Stores on the file
// write (as two processes would) misses no change: every position it
// passes is committed with everything below it, so after the writers stop
// it has seen the latest version of every article. No busy error reaches
// any side.
func TestArticlesAfterWhileWriting(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	reader := openTest(t, path)
	const (
		saves = 60
		keys  = 12
	)
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w := range 2 {
		s := openTest(t, path)
		wg.Go(func() {
			for i := range saves {
				url := fmt.Sprintf("https://example.com/%02d", (i*5+w)%keys)
				if i%4 == 3 { // a 304 now and then: must not show as a change
					if err := s.Confirm(ctx, url, archive.Validators{FetchedAt: epoch.Add(time.Duration(i) * time.Minute)}); err != nil && !errors.Is(err, archive.ErrNotFound) {
						errs <- fmt.Errorf("writer %d: %w", w, err)
						return
					}
					continue
				}
				c, a := page(url, i, fmt.Sprint("writer ", w, " save ", i/2))
				if _, err := s.Save(ctx, c, a); err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	seen := map[string]int{} // key -> newest version read
	var cursor archive.Cursor
	follow := func() {
		next, err := reader.ArticlesAfter(ctx, archive.Filter{After: cursor}, func(a *archive.Article) error {
			if a.Version <= seen[a.Key()] {
				return fmt.Errorf("%s version %d again after %d", a.Key(), a.Version, seen[a.Key()])
			}
			seen[a.Key()] = a.Version
			return nil
		})
		if err != nil {
			t.Fatalf("ArticlesAfter(%d) during writes: %v", cursor, err)
		}
		if next < cursor {
			t.Fatalf("cursor went back from %d to %d", cursor, next)
		}
		cursor = next
	}
	reads := 0
	for running := true; running; reads++ {
		select {
		case <-done:
			running = false
		default:
		}
		follow()
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	follow() // nothing may be left
	t.Logf("%d reads during %d writes", reads, 2*saves)

	for key, v := range seen {
		latest, err := reader.Latest(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if latest.Version != v {
			t.Errorf("%s: followed to version %d, latest is %d", key, v, latest.Version)
		}
	}
	if n := count(t, reader, `SELECT count(*) FROM articles`); len(seen) != n {
		t.Errorf("followed %d articles of %d", len(seen), n)
	}
	checkConsistent(t, reader)
}
