package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func openFrontier(t *testing.T, s *Store) *Frontier {
	t.Helper()
	f, err := s.OpenFrontier(context.Background())
	if err != nil {
		t.Fatalf("OpenFrontier: %v", err)
	}
	t.Cleanup(func() {
		if err := f.Close(context.Background()); err != nil {
			t.Errorf("Close frontier: %v", err)
		}
	})
	return f
}

// abandon stops f's lease without deleting its rows, as a killed process
// would leave them.
func abandon(f *Frontier) {
	f.stopRenew()
	<-f.renewed
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
}

func items(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func strs(bs [][]byte) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = string(b)
	}
	return out
}

func TestFrontierMark(t *testing.T) {
	ctx := context.Background()
	f := openFrontier(t, openTest(t, ""))
	many := make([]string, 2*frontierBatch+5) // more than one transaction's worth
	for i := range many {
		many[i] = fmt.Sprintf("https://example.com/news/%d", i)
	}
	for _, tc := range []struct {
		name string
		keys []string
		want []bool
	}{
		{"none", nil, []bool{}},
		{"new", []string{"a", "b"}, []bool{true, true}},
		{"seen", []string{"b", "a"}, []bool{false, false}},
		{"mixed", []string{"a", "c", "b", "d"}, []bool{false, true, false, true}},
		{"twice in one batch", []string{"e", "e"}, []bool{true, false}},
		{"unicode and quotes", []string{`https://ex.com/"q"`, "https://пример.рф/новости"}, []bool{true, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.Mark(ctx, tc.keys)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("Mark(%q) = %v, %v; want %v", tc.keys, got, err, tc.want)
			}
		})
	}
	t.Run("batches", func(t *testing.T) {
		got, err := f.Mark(ctx, many)
		if err != nil || len(got) != len(many) || slices.Contains(got, false) {
			t.Fatalf("Mark(%d keys): %d fresh of %d, %v", len(many), len(got), len(many), err)
		}
		got, err = f.Mark(ctx, append([]string{"z"}, many...))
		if err != nil || !got[0] || slices.Contains(got[1:], true) {
			t.Fatalf("Mark again: %v", err)
		}
	})
	for _, tc := range []struct {
		key  string
		want bool
	}{{"a", true}, {"e", true}, {many[len(many)-1], true}, {"never", false}} {
		if got, err := f.Seen(ctx, tc.key); err != nil || got != tc.want {
			t.Errorf("Seen(%q) = %v, %v; want %v", tc.key, got, err, tc.want)
		}
	}
}

func TestFrontierQueues(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, "")
	f := openFrontier(t, s)
	type step struct {
		push  []string // pushed to queue q when set
		pop   int      // else popped, n at most
		q     string
		want  []string
		total int // frontier_queue rows afterwards
	}
	for i, st := range []step{
		{q: "a.example", pop: 5, want: nil},
		{q: "a.example", push: []string{"a1", "a2", "a3"}, total: 3},
		{q: "b.example", push: []string{"b1"}, total: 4},
		{q: "a.example", push: []string{"a4"}, total: 5},
		{q: "a.example", pop: 2, want: []string{"a1", "a2"}, total: 5},
		{q: "b.example", pop: 2, want: []string{"b1"}, total: 5},
		// The next push deletes what was popped of its queue.
		{q: "a.example", push: []string{"a5"}, total: 4},
		{q: "a.example", pop: 10, want: []string{"a3", "a4", "a5"}, total: 4},
		{q: "a.example", pop: 10, want: nil, total: 4},
		{q: "a.example", push: []string{"a6"}, total: 2},
		{q: "a.example", pop: 1, want: []string{"a6"}, total: 2},
	} {
		if st.push != nil {
			if err := f.Push(ctx, st.q, items(st.push...)); err != nil {
				t.Fatalf("step %d: Push: %v", i, err)
			}
		} else {
			got, err := f.Pop(ctx, st.q, st.pop)
			if err != nil || !slices.Equal(strs(got), st.want) {
				t.Fatalf("step %d: Pop(%s, %d) = %q, %v; want %q", i, st.q, st.pop, strs(got), err, st.want)
			}
		}
		if n := count(t, s, `SELECT count(*) FROM frontier_queue`); n != st.total {
			t.Fatalf("step %d: %d queue rows, want %d", i, n, st.total)
		}
	}
}

func TestFrontierCrawlsIsolated(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	s1, s2 := openTest(t, path), openTest(t, path) // two processes
	f1, f2, f3 := openFrontier(t, s1), openFrontier(t, s1), openFrontier(t, s2)
	for i, f := range []*Frontier{f1, f2, f3} {
		fresh, err := f.Mark(ctx, []string{"https://example.com/", fmt.Sprintf("own-%d", i)})
		if err != nil || !fresh[0] || !fresh[1] {
			t.Fatalf("frontier %d: Mark = %v, %v; want both new", i, fresh, err)
		}
		if err := f.Push(ctx, "example.com", items(fmt.Sprintf("item-%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	for i, f := range []*Frontier{f1, f2, f3} {
		got, err := f.Pop(ctx, "example.com", 10)
		if want := []string{fmt.Sprintf("item-%d", i)}; err != nil || !slices.Equal(strs(got), want) {
			t.Errorf("frontier %d: Pop = %q, %v; want %q", i, strs(got), err, want)
		}
		if seen, err := f.Seen(ctx, fmt.Sprintf("own-%d", (i+1)%3)); err != nil || seen {
			t.Errorf("frontier %d sees another crawl's key", i)
		}
	}
	if err := f2.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s1, `SELECT count(*) FROM frontier_seen`); n != 4 {
		t.Errorf("after one Close: %d seen rows, want 4", n)
	}
	if _, err := f2.Mark(ctx, []string{"x"}); err == nil {
		t.Error("Mark after Close succeeded")
	}
}

// TestFrontierLeftovers: a crawl killed mid-way leaves its rows; the next
// crawl to start after the lease deletes them, not those of live crawls.
func TestFrontierLeftovers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	clock := epoch
	now := func() time.Time { return clock }
	s := openTest(t, path, WithNow(now))

	dead, err := s.OpenFrontier(ctx)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 3*frontierBatch)
	for i := range keys {
		keys[i] = fmt.Sprintf("https://example.com/%d", i)
	}
	if _, err := dead.Mark(ctx, keys); err != nil {
		t.Fatal(err)
	}
	if err := dead.Push(ctx, "example.com", items("left", "over")); err != nil {
		t.Fatal(err)
	}
	abandon(dead)

	clock = epoch.Add(frontierLease / 2)
	live := openFrontier(t, s) // within the dead one's lease: nothing reaped
	if _, err := live.Mark(ctx, []string{"live"}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM frontier_seen`); n != len(keys)+1 {
		t.Fatalf("%d seen rows, want %d", n, len(keys)+1)
	}

	// The live crawl renews its lease; the dead one cannot.
	clock = epoch.Add(frontierLease + time.Minute)
	if err := live.renew(ctx); err != nil {
		t.Fatal(err)
	}
	next := openFrontier(t, s)
	if n := count(t, s, `SELECT count(*) FROM frontier_seen`); n != 1 {
		t.Errorf("%d seen rows after reaping, want the live crawl's 1", n)
	}
	if n := count(t, s, `SELECT count(*) FROM frontier_queue`); n != 0 {
		t.Errorf("%d queue rows after reaping, want 0", n)
	}
	if n := count(t, s, `SELECT count(*) FROM frontier_crawls`); n != 2 {
		t.Errorf("%d crawls after reaping, want 2", n)
	}
	if fresh, err := next.Mark(ctx, keys[:1]); err != nil || !fresh[0] {
		t.Errorf("new crawl: Mark(%s) = %v, %v; want new", keys[0], fresh, err)
	}
	if got, err := next.Pop(ctx, "example.com", 5); err != nil || len(got) != 0 {
		t.Errorf("new crawl pops leftovers: %q, %v", strs(got), err)
	}
}

// TestFrontierLost: a crawl reaped while it was suspended finds out at its
// next renewal and fails from then on, rather than crawl on half-blind.
func TestFrontierLost(t *testing.T) {
	ctx := context.Background()
	clock := epoch
	s := openTest(t, "", WithNow(func() time.Time { return clock }))
	f := openFrontier(t, s)
	clock = epoch.Add(2 * frontierLease)
	openFrontier(t, s) // reaps f
	if err := f.renew(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Mark(ctx, []string{"a"}); !errors.Is(err, ErrFrontierLost) {
		t.Errorf("Mark after reaping: %v, want ErrFrontierLost", err)
	}
	if err := f.Push(ctx, "q", items("a")); !errors.Is(err, ErrFrontierLost) {
		t.Errorf("Push after reaping: %v, want ErrFrontierLost", err)
	}
}

// TestFrontierCloseCutShort: a Close that runs out of time (a cancelled
// crawl closes briefly) has given up the lease, so the next crawl deletes
// the rest at once, not after the lease.
func TestFrontierCloseCutShort(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, "")
	f := openFrontier(t, s)
	if _, err := f.Mark(ctx, []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	// Close as far as giving up the lease, as one cut short just after.
	abandon(f)
	if _, err := s.write.ExecContext(ctx, `UPDATE frontier_crawls SET renewed_at = '' WHERE id = ?`, f.crawl); err != nil {
		t.Fatal(err)
	}
	openFrontier(t, s) // same clock: only the given-up lease is expired
	if n := count(t, s, `SELECT count(*) FROM frontier_seen`); n != 0 {
		t.Errorf("%d seen rows left", n)
	}
	if n := count(t, s, `SELECT count(*) FROM frontier_crawls`); n != 1 {
		t.Errorf("%d crawls, want the new one", n)
	}
}
