package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

const (
	// frontierRenew is how often an open Frontier renews its lease, and
	// frontierLease how long a lease lasts: a crawl whose lease has lapsed
	// for that long is taken for dead (killed, or its machine off) and its
	// rows are deleted by the next Frontier to open. Ten renewals fit in a
	// lease, so a busy write lock (10 s at most) never costs one.
	frontierRenew = time.Minute
	frontierLease = 10 * time.Minute
	// frontierBatch bounds the rows one frontier transaction writes or
	// deletes, so it never holds the write lock for long: a Save waits
	// behind it.
	frontierBatch = 1000
)

// ErrFrontierLost: the crawl's frontier was deleted by another crawl
// because its lease lapsed (the process was suspended for longer than the
// lease). The crawl cannot go on reliably.
var ErrFrontierLost = errors.New("crawl frontier lost: its lease lapsed and another crawl reaped it")

// Frontier is one crawl's frontier in the archive file: the keys it has
// seen and its queues of items waiting, so the crawl's memory does not
// grow with the site. It satisfies scraper.Frontier. Its rows are deleted
// by Close, or, if the process dies first, by a later OpenFrontier once
// the lease has lapsed. Several Frontiers, in one process or several, may
// be open on one file at once; each sees only its own rows.
//
// A Frontier is safe for concurrent use. Popped items stay in the file
// until the next Push to their queue or Close deletes them.
type Frontier struct {
	s     *Store
	crawl int64

	stopRenew context.CancelFunc
	renewed   chan struct{} // closed when the renewing goroutine has ended

	mu      sync.Mutex
	cursors map[string]int64 // per queue, the id of the last item popped
	lost    bool             // a renewal found the crawl reaped
	closed  bool
}

// OpenFrontier starts a crawl's frontier. It first deletes the rows of
// crawls whose lease has lapsed.
func (s *Store) OpenFrontier(ctx context.Context) (*Frontier, error) {
	now := s.now()
	var (
		id      int64
		expired []int64
	)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO frontier_crawls (started_at, renewed_at) VALUES (?, ?) RETURNING id`,
			stamp(now), stamp(now)).Scan(&id)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM frontier_crawls WHERE renewed_at < ?`, stamp(now.Add(-frontierLease)))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e int64
			if err := rows.Scan(&e); err != nil {
				return err
			}
			expired = append(expired, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("open frontier: %w", s.writeErr(err))
	}
	for _, e := range expired {
		if err := s.dropCrawl(ctx, e); err != nil {
			// Ours is registered: drop it again rather than leave it to expire.
			return nil, errors.Join(fmt.Errorf("reap frontier of crawl %d: %w", e, err),
				s.dropCrawl(context.WithoutCancel(ctx), id))
		}
	}
	rctx, stop := context.WithCancel(context.Background())
	f := &Frontier{s: s, crawl: id, stopRenew: stop, renewed: make(chan struct{}), cursors: make(map[string]int64)}
	go f.renewLoop(rctx)
	return f, nil
}

// writeErr maps the error of a write as Save does: an I/O error on a full
// disk is ErrDiskFull, which the crawl reports as such.
func (s *Store) writeErr(err error) error {
	err = mapErr(err)
	if errors.Is(err, ErrIO) && outOfSpace(s.path) {
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	return err
}

// inTx runs fn in a write transaction and commits it.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// renewLoop keeps the lease alive until ctx ends. It owns no ctx of a
// caller: a Frontier outlives the call that opened it.
func (f *Frontier) renewLoop(ctx context.Context) {
	defer close(f.renewed)
	t := time.NewTicker(frontierRenew)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// A failure (busy, cancelled) is left for the next tick: the
		// lease has ten renewals to spare.
		if f.renew(ctx) == nil && f.usable() != nil {
			return
		}
	}
}

// renew extends the lease, or finds the crawl reaped and marks f lost.
func (f *Frontier) renew(ctx context.Context) error {
	res, err := f.s.write.ExecContext(ctx, `UPDATE frontier_crawls SET renewed_at = ? WHERE id = ?`,
		stamp(f.s.now()), f.crawl)
	if err != nil {
		return mapErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		f.mu.Lock()
		f.lost = true
		f.mu.Unlock()
	}
	return nil
}

// check returns the error every call makes once the frontier is unusable.
// f.mu must be held.
func (f *Frontier) check() error {
	switch {
	case f.closed:
		return errors.New("frontier closed")
	case f.lost:
		return ErrFrontierLost
	}
	return nil
}

func (f *Frontier) usable() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.check()
}

// Mark adds keys to the seen set and reports, for each, whether it was
// new. A key given twice is new only the first time.
func (f *Frontier) Mark(ctx context.Context, keys []string) ([]bool, error) {
	if err := f.usable(); err != nil {
		return nil, fmt.Errorf("frontier mark: %w", err)
	}
	fresh := make([]bool, len(keys))
	// Most links of a page are known already (menus, related articles): a
	// read on the reader pool finds them without taking the write lock.
	known, err := f.known(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("frontier mark: %w", mapErr(err))
	}
	var todo []int
	for i, k := range keys {
		if !known[k] {
			todo = append(todo, i)
		}
	}
	for len(todo) > 0 {
		n := min(len(todo), frontierBatch)
		err := f.s.inTx(ctx, func(tx *sql.Tx) error {
			st, err := tx.PrepareContext(ctx, `INSERT INTO frontier_seen (crawl, key) VALUES (?, ?) ON CONFLICT DO NOTHING`)
			if err != nil {
				return err
			}
			defer st.Close()
			for _, i := range todo[:n] {
				res, err := st.ExecContext(ctx, f.crawl, keys[i])
				if err != nil {
					return err
				}
				added, err := res.RowsAffected()
				if err != nil {
					return err
				}
				fresh[i] = added == 1
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("frontier mark: %w", f.s.writeErr(err))
		}
		todo = todo[n:]
	}
	return fresh, nil
}

// known returns which of keys the seen set has.
func (f *Frontier) known(ctx context.Context, keys []string) (map[string]bool, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	rows, err := f.s.read.QueryContext(ctx, `SELECT key FROM frontier_seen
		WHERE crawl = ? AND key IN (SELECT value FROM json_each(?))`, f.crawl, string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	known := make(map[string]bool)
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		known[k] = true
	}
	return known, rows.Err()
}

// Seen reports whether key is in the seen set.
func (f *Frontier) Seen(ctx context.Context, key string) (bool, error) {
	if err := f.usable(); err != nil {
		return false, fmt.Errorf("frontier seen: %w", err)
	}
	var seen bool
	err := f.s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM frontier_seen WHERE crawl = ? AND key = ?)`,
		f.crawl, key).Scan(&seen)
	if err != nil {
		return false, fmt.Errorf("frontier seen: %w", mapErr(err))
	}
	return seen, nil
}

// Push appends items to the tail of queue, in order, in one transaction,
// which also deletes the items of queue popped before.
func (f *Frontier) Push(ctx context.Context, queue string, items [][]byte) error {
	f.mu.Lock()
	err := f.check()
	popped := f.cursors[queue]
	f.mu.Unlock()
	if err != nil {
		return fmt.Errorf("frontier push: %w", err)
	}
	if len(items) == 0 {
		return nil
	}
	err = f.s.inTx(ctx, func(tx *sql.Tx) error {
		if popped > 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM frontier_queue WHERE crawl = ? AND queue = ? AND id <= ?`,
				f.crawl, queue, popped); err != nil {
				return err
			}
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO frontier_queue (crawl, queue, item) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, it := range items {
			if _, err := st.ExecContext(ctx, f.crawl, queue, it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("frontier push to %s: %w", queue, f.s.writeErr(err))
	}
	return nil
}

// Pop removes up to n items from the head of queue and returns them,
// oldest first; none when queue is empty. It only reads: the write lock
// is never waited for.
func (f *Frontier) Pop(ctx context.Context, queue string, n int) ([][]byte, error) {
	// f.mu is held throughout so two Pops of one queue never return the
	// same items.
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("frontier pop: %w", err)
	}
	rows, err := f.s.read.QueryContext(ctx, `SELECT id, item FROM frontier_queue
		WHERE crawl = ? AND queue = ? AND id > ? ORDER BY id LIMIT ?`, f.crawl, queue, f.cursors[queue], n)
	if err != nil {
		return nil, fmt.Errorf("frontier pop from %s: %w", queue, mapErr(err))
	}
	defer rows.Close()
	var items [][]byte
	last := f.cursors[queue]
	for rows.Next() {
		var it []byte
		if err := rows.Scan(&last, &it); err != nil {
			return nil, fmt.Errorf("frontier pop from %s: %w", queue, mapErr(err))
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("frontier pop from %s: %w", queue, mapErr(err))
	}
	f.cursors[queue] = last
	return items, nil
}

// Close gives up the lease and deletes the crawl's rows. The Frontier
// must not be used after. When Close fails or ctx ends first, what is left
// is deleted by the next OpenFrontier.
func (f *Frontier) Close(ctx context.Context) error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	f.mu.Unlock()
	f.stopRenew()
	<-f.renewed
	// Give up the lease first: if the deletion is cut short, the next
	// OpenFrontier finishes it at once instead of after the lease.
	if _, err := f.s.write.ExecContext(ctx, `UPDATE frontier_crawls SET renewed_at = '' WHERE id = ?`, f.crawl); err != nil {
		return fmt.Errorf("close frontier: %w", f.s.writeErr(err))
	}
	if err := f.s.dropCrawl(ctx, f.crawl); err != nil {
		return fmt.Errorf("close frontier: %w", err)
	}
	return nil
}

// dropCrawl deletes a crawl's rows, a batch per transaction, then the
// crawl itself: a crawl interrupted half-way is still found expired and
// dropped again.
func (s *Store) dropCrawl(ctx context.Context, crawl int64) error {
	for _, q := range []string{
		`DELETE FROM frontier_seen WHERE crawl = ?1 AND key IN
			(SELECT key FROM frontier_seen WHERE crawl = ?1 LIMIT ?2)`,
		`DELETE FROM frontier_queue WHERE id IN
			(SELECT id FROM frontier_queue WHERE crawl = ?1 LIMIT ?2)`,
	} {
		for n := int64(1); n > 0; {
			res, err := s.write.ExecContext(ctx, q, crawl, frontierBatch)
			if err != nil {
				return s.writeErr(err)
			}
			if n, err = res.RowsAffected(); err != nil {
				return mapErr(err)
			}
		}
	}
	_, err := s.write.ExecContext(ctx, `DELETE FROM frontier_crawls WHERE id = ?`, crawl)
	return mapErr(err)
}
