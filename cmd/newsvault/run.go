package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/archive/sqlite"
	"github.com/newsvault/newsvault/scraper"
	"github.com/newsvault/newsvault/selectors"
)

// Exit codes of a run beyond the common ones.
const exitPartial = 3 // some sites failed, the rest were archived

const runUsage = "--config FILE [--site NAME]... [--json]"

func runRun(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("run", runUsage, e.stderr)
	var sf siteFlags
	sf.register(fs)
	jsonLine := fs.Bool("json", false, "print a one-line JSON summary as the last line of stdout")
	log, cfg, sites, err := sf.parse("run", fs, args, e)
	if err != nil {
		return err
	}
	p, err := openPass(ctx, cfg, e, log)
	if err != nil {
		return err
	}
	defer p.close()

	run := p.run(ctx, sites)
	fmt.Fprintln(e.stderr, runView{run}.summary())
	if *jsonLine {
		line, err := marshalJSON(runJSON(run))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s\n", line)
	}
	return runResult(run)
}

// siteFlags are the flags of the commands that crawl a config's sites.
type siteFlags struct {
	logs   logFlags
	only   listFlag
	config string
}

func (f *siteFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "config `file` (required)")
	fs.Var(&f.only, "site", "only the site with this `name` (repeatable)")
	f.logs.register(fs)
}

// parse parses args and loads the config and the sites selected by --site.
func (f *siteFlags) parse(name string, fs *flag.FlagSet, args []string, e *env) (*slog.Logger, *config, []site, error) {
	if rest, err := parseFlags(fs, args); err != nil {
		return nil, nil, nil, err
	} else if len(rest) > 0 {
		return nil, nil, nil, usagef("%s takes no arguments, got %q", name, rest)
	}
	if f.config == "" {
		return nil, nil, nil, usagef("%s needs --config FILE", name)
	}
	log, err := f.logs.logger(e.stderr)
	if err != nil {
		return nil, nil, nil, err
	}
	cfg, sites, err := loadConfig(f.config)
	if err != nil {
		return nil, nil, nil, err
	}
	if sites, err = selectSites(sites, f.only); err != nil {
		return nil, nil, nil, err
	}
	return log, cfg, sites, nil
}

// selectSites keeps the sites named by --site, all of them when none is.
func selectSites(sites []site, only []string) ([]site, error) {
	if len(only) == 0 {
		return sites, nil
	}
	var out []site
	for _, name := range only {
		i := slices.IndexFunc(sites, func(s site) bool { return s.Name == name })
		if i < 0 {
			return nil, usagef("no site %q in the config", name)
		}
		out = append(out, sites[i])
	}
	return out, nil
}

// pass holds what passes over sites share: the archive (locked for this
// process), the profiles and the settings of the config.
type pass struct {
	cfg    *config
	env    *env
	log    *slog.Logger
	set    *selectors.Set
	store  *sqlite.Store
	unlock func()
	now    func() time.Time
	// robots keeps robots.txt rules between the passes of one process
	// (schedule's), for 24 h each, as RFC 9309 allows.
	robots *scraper.RobotsCache
}

// openPass takes the archive's run lock, then opens it: a second process
// gets errLocked before touching the database.
func openPass(ctx context.Context, cfg *config, e *env, log *slog.Logger) (*pass, error) {
	unlock, err := lockArchive(cfg.DB)
	if err != nil {
		return nil, err
	}
	set, err := loadProfiles(cfg.Selectors)
	if err != nil {
		unlock()
		return nil, &configError{err}
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		unlock()
		return nil, err
	}
	return &pass{cfg: cfg, env: e, log: log, set: set, store: store, unlock: unlock, now: time.Now, robots: &scraper.RobotsCache{}}, nil
}

func (p *pass) close() {
	p.store.Close()
	p.unlock()
}

// maxSitesAtOnce bounds the sites crawled concurrently; each site has its
// own per-host politeness, so this only bounds memory and sockets.
const maxSitesAtOnce = 4

// run crawls sites, concurrently, and records the run in the archive. The
// record is written even when ctx is cancelled.
func (p *pass) run(ctx context.Context, sites []site) *archive.Run {
	run := &archive.Run{StartedAt: p.now().UTC()}
	id, err := p.store.BeginRun(ctx, run.StartedAt)
	if err != nil {
		p.log.Error("run not recorded", "err", err)
	}
	run.ID = id
	run.Sites = make([]archive.SiteRun, len(sites))
	// Failures go to the run's fetch log; to none when the run is not
	// recorded (id 0 would file them as a crawl's).
	var fetchLog *fetchLogger
	if id != 0 {
		fetchLog = newFetchLogger(p.store, id, p.log)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxSitesAtOnce)
	for i, s := range sites {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			run.Sites[i] = p.crawlSite(ctx, s, fetchLog)
		}()
	}
	wg.Wait()
	if fetchLog != nil {
		fetchLog.report()
	}
	run.EndedAt = p.now().UTC()
	run.ExitCode = runExitCode(ctx, run)
	if id != 0 {
		// Record the run even after Ctrl-C: it is short and says what happened.
		if err := p.store.EndRun(context.WithoutCancel(ctx), run); err != nil {
			p.log.Error("run not recorded", "err", err)
		}
	}
	return run
}

// crawlSite crawls one site, its failures going to fetchLog (nil = none).
func (p *pass) crawlSite(ctx context.Context, s site, fetchLog *fetchLogger) archive.SiteRun {
	log := p.log.With("site", s.Name)
	userAgent := p.cfg.UserAgent
	if userAgent == "" {
		userAgent = scraper.DefaultUserAgent
	}
	var onOutcome func(scraper.URLOutcome)
	if fetchLog != nil {
		onOutcome = fetchLog.onOutcome(ctx, log)
	}
	stats, err := scraper.Crawl(ctx, scraper.Config{
		StartURLs:    s.Start,
		Feeds:        s.Feeds,
		Sitemaps:     s.Sitemaps,
		Include:      s.Include,
		Exclude:      s.Exclude,
		Depth:        s.Depth,
		MaxPages:     s.MaxPages,
		Delay:        s.Delay,
		Parallel:     s.Parallel,
		Timeout:      s.Timeout,
		MaxBody:      s.MaxBody,
		Revisit:      s.Revisit,
		MaxAge:       s.MaxAge,
		UserAgent:    userAgent,
		IgnoreRobots: s.IgnoreRobots,
		Headers:      s.Headers,
		Cookies:      s.Cookies,
		Proxy:        s.Proxy,
		AllowPrivate: s.AllowPrivate,
		Robots:       p.robots,
		Known:        p.store,
		Logger:       log,
		OnOutcome:    onOutcome,
		Transport:    p.env.transport,
		Frontier:     frontier(p.store),
	}, p.set, p.store)
	r := stats.SiteRun(s.Name)
	if err != nil && ctx.Err() == nil {
		r.Error = err.Error()
		log.Error("site failed", "err", err)
	} else {
		log.Info("site done", "stats", stats.String())
	}
	return r
}

// runExitCode: 130 interrupted, 0 every site fine, 3 some failed and the
// rest archived, 1 nothing could be done.
func runExitCode(ctx context.Context, run *archive.Run) int {
	if ctx.Err() != nil {
		return exitInterrupted
	}
	failed := 0
	for i := range run.Sites {
		if run.Sites[i].FailedWhole() {
			failed++
		}
	}
	switch {
	case failed == 0:
		return exitOK
	case failed < len(run.Sites):
		return exitPartial
	}
	return exitError
}

func runResult(run *archive.Run) error {
	if run.ExitCode == exitOK {
		return nil
	}
	var failed []string
	for _, s := range run.Sites {
		if s.FailedWhole() {
			failed = append(failed, s.Site)
		}
	}
	var err error
	switch run.ExitCode {
	case exitInterrupted:
		err = fmt.Errorf("run %d interrupted", run.ID)
	default:
		err = fmt.Errorf("run %d: %d of %d sites failed: %s", run.ID, len(failed), len(run.Sites), strings.Join(failed, ", "))
	}
	return &exitStatus{code: run.ExitCode, err: err}
}
