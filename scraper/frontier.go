package scraper

import (
	"context"
	"sync"
)

// Frontier holds one crawl's seen set and its per-host queues of URLs
// waiting for their first fetch, so that the crawl keeps in memory only a
// small window of each host's queue and its memory does not grow with the
// site. *sqlite.Frontier satisfies it. It must be safe for concurrent use.
type Frontier interface {
	// Mark adds keys to the seen set and reports, for each, whether it was
	// not there before. A key given twice is new only the first time.
	Mark(ctx context.Context, keys []string) ([]bool, error)
	// Seen reports whether key is in the seen set.
	Seen(ctx context.Context, key string) (bool, error)
	// Push appends items to the tail of queue, in order.
	Push(ctx context.Context, queue string, items [][]byte) error
	// Pop removes up to n items from the head of queue and returns them,
	// oldest first: all of those pushed before, when there are n or fewer.
	Pop(ctx context.Context, queue string, n int) ([][]byte, error)
	// Close releases the frontier and what it holds.
	Close(ctx context.Context) error
}

// OpenFrontier opens the frontier of one crawl; Crawl closes it when it
// ends. Frontiers of crawls running at once must be independent.
type OpenFrontier func(ctx context.Context) (Frontier, error)

// memFrontier is the in-memory Frontier, the default: it holds everything,
// so a crawl using it grows with the site.
type memFrontier struct {
	mu     sync.Mutex
	seen   map[string]bool
	queues map[string][][]byte
}

func newMemFrontier(context.Context) (Frontier, error) {
	return &memFrontier{seen: make(map[string]bool), queues: make(map[string][][]byte)}, nil
}

func (m *memFrontier) Mark(_ context.Context, keys []string) ([]bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fresh := make([]bool, len(keys))
	for i, k := range keys {
		fresh[i] = !m.seen[k]
		m.seen[k] = true
	}
	return fresh, nil
}

func (m *memFrontier) Seen(_ context.Context, key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.seen[key], nil
}

func (m *memFrontier) Push(_ context.Context, queue string, items [][]byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.queues[queue] = append(m.queues[queue], items...)
	return nil
}

func (m *memFrontier) Pop(_ context.Context, queue string, n int) ([][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	q := m.queues[queue]
	n = min(n, len(q))
	out := append([][]byte(nil), q[:n]...)
	clear(q[:n])
	if n == len(q) {
		delete(m.queues, queue)
	} else {
		m.queues[queue] = q[n:]
	}
	return out, nil
}

func (m *memFrontier) Close(context.Context) error { return nil }
