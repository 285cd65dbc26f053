package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/scraper"
)

const reextractUsage = "[--db PATH | --config FILE] [--selectors FILE] [--site HOST] [--since DATE] [--dry-run]"

// reextractCounts is what a re-extraction reports.
type reextractCounts struct {
	checked, changed, unchanged, stale, failed int
}

func (c reextractCounts) String() string {
	s := fmt.Sprintf("checked %d, changed %d, unchanged %d, failed %d", c.checked, c.changed, c.unchanged, c.failed)
	if c.stale > 0 {
		s += fmt.Sprintf(", changed by a crawl meanwhile %d", c.stale)
	}
	return s
}

// runReextract runs the current profiles and extractor over the stored
// capture of each article's latest version. A different result becomes a
// new version marked "reextract" that points at the same capture; the same
// result adds nothing. The keys of changed articles go to stdout, the
// counts to stderr. A capture that no longer yields an article is counted
// as failed and logged; only archive errors make the command fail.
func runReextract(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("reextract", reextractUsage, e.stderr)
	var (
		db       archiveFlags
		logs     logFlags
		profiles = fs.String("selectors", "", "YAML `file` of extra site profiles (default: the config's selectors)")
		site     = fs.String("site", "", "only articles of this `host` (e.g. inforos.ru)")
		since    = fs.String("since", "", "only articles published (else fetched) at or after this `date` (2026-11-25 or RFC 3339)")
		dryRun   = fs.Bool("dry-run", false, "report what would change and write nothing")
	)
	db.register(fs)
	logs.register(fs)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("reextract takes no arguments, got %q", rest)
	}
	filter := archive.Filter{Site: *site}
	if filter.Since, err = parseDate(*since); err != nil {
		return usagef("--since: %v", err)
	}
	log, err := logs.logger(e.stderr)
	if err != nil {
		return err
	}
	path, err := db.path()
	if err != nil {
		return err
	}
	set, err := db.profiles(*profiles)
	if err != nil {
		return err
	}
	// The run lock keeps a scheduled run from saving versions while
	// versions are re-derived (SaveReextraction would find them stale).
	store, release, err := openLocked(ctx, path, openExisting)
	if err != nil {
		return err
	}
	defer release()

	var n reextractCounts
	start := time.Now()
	err = store.LatestCaptures(ctx, filter, func(sc *archive.StoredCapture, readErr error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		n.checked++
		if readErr != nil {
			n.failed++
			log.Warn("capture not read", "key", sc.Key, "err", readErr)
			return nil
		}
		a, prov, err := scraper.Reextract(set, &sc.Capture)
		if err != nil {
			n.failed++
			log.Warn("article not re-extracted", "key", sc.Key, "capture", sc.CaptureID, "err", err)
			return nil
		}
		changed := false
		if *dryRun {
			cleaned := a.Cleaned()
			changed = cleaned.Fingerprint() != sc.Fingerprint
		} else {
			saved, err := store.SaveReextraction(ctx, sc, &a, &prov)
			switch {
			case errors.Is(err, archive.ErrStale):
				n.stale++
				log.Info("article changed since it was read", "key", sc.Key)
				return nil
			case err != nil:
				return err
			}
			changed = saved.Outcome == archive.Updated
			if changed {
				log.Info("article re-extracted", "key", sc.Key, "version", saved.Version, "capture", sc.CaptureID)
			}
		}
		if !changed {
			n.unchanged++
			return nil
		}
		n.changed++
		_, err = fmt.Fprintln(e.stdout, sc.Key)
		return err
	})
	verb := "reextract"
	if *dryRun {
		verb = "reextract --dry-run (nothing written)"
	}
	fmt.Fprintf(e.stderr, "%s done in %s: %s\n", verb, time.Since(start).Round(time.Millisecond), n)
	if err != nil {
		return fmt.Errorf("reextract: %w", err)
	}
	return nil
}
