package main

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/scraper"
)

// fetchLogTimeout bounds one fetch-log write: it is one short insert, but
// the archive may be busy with another process.
const fetchLogTimeout = 15 * time.Second

// fetchLogger records the URLs a crawl did not archive in the archive's
// fetch log, through scraper.Config.OnOutcome. It is safe for concurrent
// use: the scraper serialises OnOutcome within one crawl, but a run crawls
// several sites at once, and they share one fetchLogger's counters.
type fetchLogger struct {
	store archive.FetchLog
	runID int64 // 0 for a crawl outside a recorded run
	log   *slog.Logger
	now   func() time.Time

	logged, failed atomic.Int64
}

func newFetchLogger(store archive.FetchLog, runID int64, log *slog.Logger) *fetchLogger {
	return &fetchLogger{store: store, runID: runID, log: log, now: time.Now}
}

// onOutcome returns the crawl's OnOutcome. Writes are not cancelled with
// ctx: a failure seen while a crawl stops is still worth its short insert.
// A write that fails is logged and counted, and never stops the crawl.
func (f *fetchLogger) onOutcome(ctx context.Context, log *slog.Logger) func(scraper.URLOutcome) {
	ctx = context.WithoutCancel(ctx)
	return func(o scraper.URLOutcome) {
		if o.Reason == scraper.ReasonOK || o.Reason == scraper.ReasonNotModified {
			return
		}
		// o.URL and o.Err are redacted of the crawl's secrets, and o.Body
		// is withheld when it holds one (scraper's outcome.go).
		e := archive.FetchLogEntry{
			RunID: f.runID, URL: o.URL, Reason: o.Reason.String(), Status: o.Status,
			At: f.now().UTC(), Body: o.Body,
		}
		if o.Err != nil {
			e.Error = o.Err.Error()
		}
		wctx, cancel := context.WithTimeout(ctx, fetchLogTimeout)
		err := f.store.LogFetch(wctx, &e)
		cancel()
		if err != nil {
			f.failed.Add(1)
			log.Warn("fetch log not written", "url", o.URL, "reason", o.Reason, "err", err)
			return
		}
		f.logged.Add(1)
	}
}

// report logs how many failures were not recorded, if any.
func (f *fetchLogger) report() {
	if n := f.failed.Load(); n > 0 {
		f.log.Warn("fetch log incomplete", "logged", f.logged.Load(), "not_logged", n)
	}
}
