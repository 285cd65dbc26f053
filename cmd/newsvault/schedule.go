package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// shutdownGrace is how long schedule waits, after SIGTERM, for passes
// under way to finish their in-flight fetches before it exits anyway.
const shutdownGrace = 10 * time.Second

const scheduleUsage = "--config FILE [--site NAME]..."

func runSchedule(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("schedule", scheduleUsage, e.stderr)
	var sf siteFlags
	sf.register(fs)
	log, cfg, sites, err := sf.parse("schedule", fs, args, e)
	if err != nil {
		return err
	}
	var scheduled []site
	for _, s := range sites {
		if s.schedule == nil {
			log.Warn("site has no schedule; skipped", "site", s.Name)
			continue
		}
		scheduled = append(scheduled, s)
	}
	if len(scheduled) == 0 {
		return &configError{fmt.Errorf("%s: no site has a schedule", sf.config)}
	}
	// The lock is held for the scheduler's life: a "newsvault run" started
	// by cron meanwhile exits 75 instead of crawling the same sites twice.
	p, err := openPass(ctx, cfg, e, log)
	if err != nil {
		return err
	}
	defer p.close()

	// SkipIfStillRunning: never two passes of one site at once.
	c := cron.New(cron.WithLogger(cronLogger{log}), cron.WithChain(cron.SkipIfStillRunning(cronLogger{log})))
	for _, s := range scheduled {
		c.Schedule(s.schedule, cron.FuncJob(func() {
			run := p.run(ctx, []site{s})
			log.Info("pass done", "site", s.Name, "summary", runView{run}.summary())
		}))
		log.Info("site scheduled", "site", s.Name, "schedule", s.Schedule, "next", s.schedule.Next(time.Now()).Format(time.RFC3339))
	}
	c.Start()
	<-ctx.Done()
	log.Info("stopping: finishing passes under way", "grace", shutdownGrace)
	// ctx is cancelled, so passes under way abandon their queues; Stop
	// waits for them to record their runs.
	stopped := c.Stop()
	select {
	case <-stopped.Done():
	case <-time.After(shutdownGrace):
		log.Warn("passes still running after the grace period; exiting")
	}
	return nil
}

// cronLogger sends cron's own logs to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
