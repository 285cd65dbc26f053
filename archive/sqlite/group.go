package sqlite

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/newsvault/newsvault/archive"
)

// maxGroup bounds how many saves share one transaction, so a save waiting
// behind a group waits for a bounded amount of work.
const maxGroup = 64

// groupCommit lets concurrent saves share one transaction: each commit
// writes its pages to the WAL and takes the file lock once, which costs
// more than a save's own statements. A save still returns only when the
// transaction holding it has committed (or failed), so a process killed
// at any moment has lost no save that returned.
//
// There is no writer goroutine: the first save to find no commit under way
// leads, committing every save queued by then; when it is done it hands the
// lead to the first save queued meanwhile.
type groupCommit struct {
	mu      sync.Mutex
	queue   []*saveReq
	leading bool
}

type saveReq struct {
	ctx   context.Context
	p     *pending
	saved archive.Saved
	err   error
	done  chan struct{} // closed once saved and err are set
	lead  chan struct{} // closed when this save is to commit the queue
}

// commit saves p in the next group transaction and returns its outcome.
func (s *Store) commit(ctx context.Context, p *pending) (archive.Saved, error) {
	r := &saveReq{ctx: ctx, p: p, done: make(chan struct{}), lead: make(chan struct{})}
	g := &s.group
	g.mu.Lock()
	g.queue = append(g.queue, r)
	follow := g.leading
	g.leading = true
	g.mu.Unlock()
	if follow {
		// No select on ctx: once queued, the save may be written at any
		// moment, and its caller must learn whether it was.
		select {
		case <-r.done:
			return r.saved, r.err
		case <-r.lead:
		}
	}
	// r is first in the queue: the queue was empty, or r was handed the lead.
	g.mu.Lock()
	n := min(len(g.queue), maxGroup)
	group := make([]*saveReq, n)
	copy(group, g.queue)
	g.queue = append(g.queue[:0], g.queue[n:]...)
	g.mu.Unlock()

	s.saveGroup(group)
	for _, q := range group {
		close(q.done)
	}

	g.mu.Lock()
	if len(g.queue) > 0 {
		close(g.queue[0].lead)
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	return r.saved, r.err
}

// saveGroup runs the saves of group in one transaction, each under a
// savepoint so one failing (a constraint, a cancelled context) leaves the
// others in. A failed commit fails them all.
func (s *Store) saveGroup(group []*saveReq) {
	fail := func(err error) {
		for _, r := range group {
			if r.err == nil {
				r.saved, r.err = archive.Saved{}, err
			}
		}
	}
	// No save's context: a statement interrupted by its cancellation rolls
	// back the whole transaction, the other saves with it. A save whose
	// context is done before its turn is not run; one under way finishes.
	// The busy timeout bounds the wait for the lock.
	ctx := context.Background()
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		fail(fmt.Errorf("begin: %w", mapErr(err)))
		return
	}
	defer sqlTx.Rollback()
	tx := writeTx{Tx: sqlTx, stmts: s.stmts}
	single := len(group) == 1
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		if single {
			r.saved, r.err = save(ctx, tx, r.p)
			if r.err != nil {
				return // Rollback: nothing else is in the transaction
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, qSavepoint); err != nil {
			fail(fmt.Errorf("savepoint: %w", mapErr(err)))
			return
		}
		r.saved, r.err = save(ctx, tx, r.p)
		if r.err != nil {
			if _, err := tx.ExecContext(ctx, qRollbackTo); err != nil {
				fail(fmt.Errorf("roll back to savepoint: %w", mapErr(err)))
				return
			}
		}
		if _, err := tx.ExecContext(ctx, qRelease); err != nil {
			fail(fmt.Errorf("release savepoint: %w", mapErr(err)))
			return
		}
	}
	var added []int64
	for _, r := range group {
		if r.err == nil && r.p.versionID != 0 {
			added = append(added, r.p.versionID)
		}
	}
	if err := indexVersions(ctx, tx, added); err != nil {
		fail(err)
		return
	}
	if err := sqlTx.Commit(); err != nil {
		err = fmt.Errorf("commit: %w", mapErr(err))
		for _, r := range group {
			r.saved, r.err = archive.Saved{}, errors.Join(r.err, err)
		}
	}
}
