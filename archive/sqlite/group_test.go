package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

// TestConcurrentSavesAllLand saves from many goroutines at once, as a
// crawl does: every save lands with the outcome it reports.
func TestConcurrentSavesAllLand(t *testing.T) {
	s := openTest(t, "")
	ctx := context.Background()
	const workers, each = 32, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				u := fmt.Sprintf("https://example.com/news/%d-%d", w, i)
				c, a := page(u, i, "text of "+u)
				for try, want := range []archive.Outcome{archive.New, archive.Unchanged} {
					saved, err := s.Save(ctx, c, a)
					if err != nil || saved.Outcome != want || saved.Version != 1 {
						errs <- fmt.Errorf("%s save %d: %+v, %v; want %v", u, try, saved, err, want)
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n := 0
	if err := s.Articles(ctx, archive.Filter{}, func(*archive.Article) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != workers*each {
		t.Errorf("%d articles archived, want %d", n, workers*each)
	}
}

// TestGroupSkipsCancelledSave queues saves behind a write lock held by
// another connection, so they share one transaction: the one whose context
// is cancelled meanwhile is not written and says so; the others are.
func TestGroupSkipsCancelledSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "news.db")
	s := openTest(t, path)
	ctx := context.Background()

	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if _, err := lock.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}

	type result struct {
		saved archive.Saved
		err   error
	}
	names := []string{"leader", "b", "cancelled", "d"}
	results := make([]result, len(names))
	cancelCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i, name := range names {
		sctx := ctx
		if name == "cancelled" {
			sctx = cancelCtx
		}
		wg.Go(func() {
			c, a := page("https://example.com/news/"+name, i, "text of "+name)
			saved, err := s.Save(sctx, c, a)
			results[i] = result{saved, err}
		})
		// In order: the leader first, alone in its group, waiting for the
		// lock; the others queued behind it.
		waitFor(t, func() bool {
			s.group.mu.Lock()
			defer s.group.mu.Unlock()
			return s.group.leading && len(s.group.queue) == i
		})
	}
	cancel()
	if _, err := lock.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i, name := range names {
		r := results[i]
		if name == "cancelled" {
			if !errors.Is(r.err, context.Canceled) {
				t.Errorf("%s: %+v, %v; want context.Canceled", name, r.saved, r.err)
			}
			continue
		}
		if r.err != nil || r.saved.Outcome != archive.New {
			t.Errorf("%s: %+v, %v; want New", name, r.saved, r.err)
		}
	}
	var keys []string
	err = s.Articles(ctx, archive.Filter{}, func(a *archive.Article) error {
		keys = append(keys, a.URL)
		return nil
	})
	if err != nil || len(keys) != 3 {
		t.Errorf("archived %v, %v; want the three saves not cancelled", keys, err)
	}
	// The group's versions are indexed together: each found, the
	// cancelled one not.
	for _, name := range names {
		var hits int
		err := s.Search(ctx, archive.Query{Text: name}, func(*archive.Hit) error { hits++; return nil })
		if want := map[bool]int{true: 0, false: 1}[name == "cancelled"]; err != nil || hits != want {
			t.Errorf("search %q: %d hits, %v; want %d", name, hits, err, want)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5s")
		}
	}
}
