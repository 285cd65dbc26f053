package scraper

import (
	"context"
	"fmt"
)

// A host's first attempts form one FIFO queue, in discovery order, split
// in four parts so that memory holds only its two ends:
//
//	h.queue     the head, at most window jobs, which next pops
//	h.stored    then this many jobs in the frontier
//	h.flushing  then this many being written to the frontier by flush
//	h.outbox    then the tail, not written yet
//
// queue appends to h.queue only while the other three are empty, and to
// h.outbox otherwise; flush moves outboxes to the frontier, one writer at a
// time, so the frontier receives each host's jobs in order; fill refills
// an empty h.queue from the frontier, or, when it holds none of the host's
// jobs and none are on their way there, from the outbox.
//
// Memory is then O(hosts × window) plus the outboxes, which hold at most
// the links of the pages whose callbacks are discovering at that moment
// (and the few feeds and sitemaps found while a host's frontier is not
// empty).
const (
	window = 64
	// flushBatch bounds the jobs one Push writes: a sitemap can list
	// 50,000 URLs, and one transaction for them all would hold the
	// archive's write lock for a noticeable time.
	flushBatch = 500
)

// pending counts h's first attempts still to start.
func (h *host) pending() int {
	return len(h.queue) + h.stored + h.flushing + len(h.outbox)
}

// queue adds j, whose URL is already marked seen, to the tail of its
// host's queue. c.mu must be held.
func (c *crawler) queue(j *job) {
	h := c.host(j.u.Host)
	if h.deferred {
		c.stats.Deferred++
		return
	}
	j.host = h
	if h.stored == 0 && h.flushing == 0 && len(h.outbox) == 0 && len(h.queue) < window {
		h.queue = append(h.queue, j)
		return
	}
	h.outbox = append(h.outbox, j)
	c.unflushed++
}

// fill refills h's empty window. It reads the frontier (a read: it never
// waits for the archive's write lock), so it may run with c.mu held, which
// it must be.
func (c *crawler) fill(ctx context.Context, h *host) {
	if len(h.queue) > 0 {
		return
	}
	if h.stored == 0 {
		if h.flushing > 0 || len(h.outbox) == 0 {
			return // flush will store the jobs ahead of the outbox, and signal
		}
		n := min(window, len(h.outbox))
		h.queue = append(h.queue, h.outbox[:n]...)
		clear(h.outbox[:n])
		h.outbox = h.outbox[n:]
		if len(h.outbox) == 0 {
			h.outbox = nil
		}
		c.unflushed -= n
		return
	}
	items, err := c.front.Pop(ctx, h.name, min(window, h.stored))
	if err == nil && len(items) == 0 {
		err = fmt.Errorf("%d jobs of %s missing", h.stored, h.name)
	}
	if err != nil {
		c.frontierFailedLocked(ctx, err)
		return
	}
	h.stored -= len(items)
	for _, it := range items {
		j, err := decodeJob(it)
		if err != nil {
			c.frontierFailedLocked(ctx, fmt.Errorf("pop from %s: %w", h.name, err))
			return
		}
		j.host = h
		h.queue = append(h.queue, j)
	}
}

// flush writes the outboxes to the frontier. c.mu must not be held. One
// flush runs at a time (c.flushMu), so the jobs of a host reach the
// frontier in the order they left its outbox.
func (c *crawler) flush(ctx context.Context) {
	c.mu.Lock()
	idle := c.unflushed == 0
	c.mu.Unlock()
	if idle {
		return
	}
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	for {
		c.mu.Lock()
		var h *host
		for _, x := range c.order {
			if len(x.outbox) > 0 {
				h = x
				break
			}
		}
		if h == nil {
			c.mu.Unlock()
			return
		}
		n := min(len(h.outbox), flushBatch)
		batch := h.outbox[:n:n]
		h.outbox = h.outbox[n:]
		if len(h.outbox) == 0 {
			h.outbox = nil
		}
		c.unflushed -= n
		h.flushing += n
		c.mu.Unlock()

		items := make([][]byte, len(batch))
		for i, j := range batch {
			items[i] = encodeJob(j)
		}
		err := c.front.Push(ctx, h.name, items)

		c.mu.Lock()
		h.flushing -= n
		switch {
		case err != nil:
			// The jobs are lost, and the crawl stops (or is stopping).
			c.frontierFailedLocked(ctx, fmt.Errorf("push to %s: %w", h.name, err))
		case h.deferred:
			c.stats.Deferred += n
		default:
			h.stored += n
		}
		c.signal()
		c.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// mark adds keys to the crawl's seen set and reports which are new. A
// frontier error stops the crawl and is returned. c.mu must not be held.
func (c *crawler) mark(ctx context.Context, keys []string) ([]bool, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	fresh, err := c.front.Mark(ctx, keys)
	if err == nil && len(fresh) != len(keys) {
		err = fmt.Errorf("mark: %d answers for %d keys", len(fresh), len(keys))
	}
	if err != nil {
		c.mu.Lock()
		c.frontierFailedLocked(ctx, err)
		c.mu.Unlock()
		return nil, err
	}
	return fresh, nil
}

// frontierFailedLocked stops the crawl on a frontier error, as on a store
// error, unless the crawl is ending anyway (a cancelled ctx fails the
// calls under way). c.mu must be held.
func (c *crawler) frontierFailedLocked(ctx context.Context, err error) {
	if ctx.Err() == nil {
		c.storeFailedLocked(fmt.Errorf("crawl frontier: %w", err))
	}
}
