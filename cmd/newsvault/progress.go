package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/newsvault/newsvault/scraper"
)

// progress shows crawl counters on stderr: one line rewritten in place on a
// terminal, a line every progressEvery otherwise (so logs of cron runs stay
// short).
type progress struct {
	w        io.Writer
	terminal bool
	start    time.Time

	mu      sync.Mutex
	last    time.Time
	printed bool
}

const progressEvery = 10 * time.Second

func newProgress(w io.Writer) *progress {
	return &progress{w: w, terminal: isTerminal(w), start: time.Now()}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) update(s scraper.Stats) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	switch {
	case p.terminal:
		fmt.Fprintf(p.w, "\r\033[K%s", s)
		p.printed = true
	case now.Sub(p.last) >= progressEvery:
		fmt.Fprintf(p.w, "progress: %s\n", s)
	default:
		return
	}
	p.last = now
}

// done ends the in-place line so the summary starts on a fresh one.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.printed {
		fmt.Fprint(p.w, "\r\033[K")
		p.printed = false
	}
}

func (p *progress) elapsed() time.Duration { return time.Since(p.start) }
