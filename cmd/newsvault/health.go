package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/newsvault/newsvault/archive"
)

// A site is judged on its latest run with at least minExtracted article
// pages, against the median of up to historyRuns such runs before it.
const (
	minExtracted = 3
	historyRuns  = 20
	minHistory   = 3 // fewer earlier runs than this: too early to judge
)

// siteHealth is one site's latest extraction figures and its history.
type siteHealth struct {
	site                   string
	runs                   int // runs with enough articles, latest included
	extracted              int
	empty, noTitle, noDate float64 // shares of the latest run's article pages
	medianLen              int
	histEmpty, histNoTitle float64
	histNoDate             float64
	histMedianLen          int
	alerts                 []string
}

func shares(s archive.SiteRun) (empty, noTitle, noDate float64) {
	n := float64(s.Extracted)
	return float64(s.EmptyText) / n, float64(s.NoTitle) / n, float64(s.NoDate) / n
}

// healthOf judges each site from runs (newest first).
func healthOf(runs []archive.Run) []siteHealth {
	bySite := map[string][]archive.SiteRun{} // newest first
	for _, r := range runs {
		for _, s := range r.Sites {
			if s.Extracted >= minExtracted {
				bySite[s.Site] = append(bySite[s.Site], s)
			}
		}
	}
	var out []siteHealth
	for name, history := range bySite {
		latest := history[0]
		h := siteHealth{site: name, runs: len(history), extracted: latest.Extracted, medianLen: latest.MedianTextLen}
		h.empty, h.noTitle, h.noDate = shares(latest)
		earlier := history[1:min(len(history), historyRuns+1)]
		if len(earlier) >= minHistory {
			var es, ts, ds []float64
			var ls []int
			for _, s := range earlier {
				e, t, d := shares(s)
				es, ts, ds, ls = append(es, e), append(ts, t), append(ds, d), append(ls, s.MedianTextLen)
			}
			h.histEmpty, h.histNoTitle, h.histNoDate, h.histMedianLen = median(es), median(ts), median(ds), median(ls)
			h.alerts = h.judge()
		}
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b siteHealth) int { return strings.Compare(a.site, b.site) })
	return out
}

// judge flags sharp falls against the site's own history: small drifts are
// normal news variety, a redesign moves a share by tens of points at once.
func (h *siteHealth) judge() []string {
	var alerts []string
	if h.empty >= h.histEmpty+0.2 {
		alerts = append(alerts, fmt.Sprintf("empty bodies %.0f%% (usually %.0f%%)", 100*h.empty, 100*h.histEmpty))
	}
	if h.noTitle >= h.histNoTitle+0.25 {
		alerts = append(alerts, fmt.Sprintf("no title %.0f%% (usually %.0f%%)", 100*h.noTitle, 100*h.histNoTitle))
	}
	if h.noDate >= h.histNoDate+0.3 {
		alerts = append(alerts, fmt.Sprintf("no date %.0f%% (usually %.0f%%)", 100*h.noDate, 100*h.histNoDate))
	}
	if h.histMedianLen > 0 && h.medianLen < h.histMedianLen/2 {
		alerts = append(alerts, fmt.Sprintf("median body %d chars (usually %d)", h.medianLen, h.histMedianLen))
	}
	return alerts
}

func median[T int | float64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

const healthUsage = "[--db PATH | --config FILE]"

func runHealth(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("health", healthUsage, e.stderr)
	var db archiveFlags
	db.register(fs)
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("health takes no arguments, got %q", rest)
	}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	// Enough runs to find historyRuns useful ones per site in most archives.
	runs, err := store.Runs(ctx, 500)
	if err != nil {
		return fmt.Errorf("read runs: %w", err)
	}
	health := healthOf(runs)
	if err := printHealth(e.stdout, health); err != nil {
		return err
	}
	flagged := 0
	for _, h := range health {
		if len(h.alerts) > 0 {
			flagged++
		}
	}
	if flagged > 0 {
		return &exitStatus{code: exitError, err: fmt.Errorf("%d of %d sites flagged: extraction got worse", flagged, len(health))}
	}
	return nil
}

func printHealth(w io.Writer, health []siteHealth) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tRUNS\tARTICLES\tEMPTY\tNO TITLE\tNO DATE\tMEDIAN LEN\tSTATUS")
	for _, h := range health {
		status := "ok"
		switch {
		case len(h.alerts) > 0:
			status = "FLAGGED: " + strings.Join(h.alerts, "; ")
		case h.runs <= minHistory:
			status = "ok (too few runs to compare)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f%%\t%.0f%%\t%.0f%%\t%d\t%s\n", h.site, h.runs, h.extracted,
			100*h.empty, 100*h.noTitle, 100*h.noDate, h.medianLen, status)
	}
	return tw.Flush()
}
