package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newsvault/newsvault/archive"
)

// siteRunJSON and runRecordJSON are the JSON form of run records, for
// "run --json" and "runs --json".
type siteRunJSON struct {
	Site          string `json:"site"`
	Fetched       int    `json:"fetched"`
	NotModified   int    `json:"not_modified"`
	New           int    `json:"new"`
	Updated       int    `json:"updated"`
	Unchanged     int    `json:"unchanged"`
	Fresh         int    `json:"fresh"`
	Skipped       int    `json:"skipped"`
	Failed        int    `json:"failed"`
	Deferred      int    `json:"deferred"`
	Extracted     int    `json:"extracted"`
	EmptyText     int    `json:"empty_text"`
	NoTitle       int    `json:"no_title"`
	NoDate        int    `json:"no_date"`
	MedianTextLen int    `json:"median_text_len"`
	Error         string `json:"error"`
}

type runRecordJSON struct {
	ID        int64         `json:"run_id"`
	StartedAt string        `json:"started_at"`
	EndedAt   string        `json:"ended_at"`
	ExitCode  int           `json:"exit_code"`
	Sites     []siteRunJSON `json:"sites"`
}

func runJSON(r *archive.Run) runRecordJSON {
	out := runRecordJSON{ID: r.ID, StartedAt: rfc3339(r.StartedAt), EndedAt: rfc3339(r.EndedAt), ExitCode: r.ExitCode, Sites: []siteRunJSON{}}
	for _, s := range r.Sites {
		out.Sites = append(out.Sites, siteRunJSON(s))
	}
	return out
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// totals adds up the counters of all sites of a run.
func totals(r *archive.Run) archive.SiteRun {
	var t archive.SiteRun
	for _, s := range r.Sites {
		t.Fetched += s.Fetched
		t.NotModified += s.NotModified
		t.New += s.New
		t.Updated += s.Updated
		t.Unchanged += s.Unchanged
		t.Fresh += s.Fresh
		t.Skipped += s.Skipped
		t.Failed += s.Failed
		t.Deferred += s.Deferred
	}
	return t
}

// summary is the one line a run ends with on stderr.
func (r runView) summary() string {
	t := totals(r.Run)
	failed := 0
	for i := range r.Sites {
		if r.Sites[i].FailedWhole() {
			failed++
		}
	}
	return fmt.Sprintf("run %d done in %s: %d sites (%d failed), fetched %d, not modified %d, new %d, updated %d, unchanged %d, fresh %d, failed %d; exit %d",
		r.ID, r.EndedAt.Sub(r.StartedAt).Round(time.Millisecond), len(r.Sites), failed,
		t.Fetched, t.NotModified, t.New, t.Updated, t.Unchanged, t.Fresh, t.Failed, r.ExitCode)
}

// runView adds presentation to archive.Run.
type runView struct{ *archive.Run }

const runsUsage = "[--db PATH | --config FILE] [--limit N] [--json]"

func runRuns(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("runs", runsUsage, e.stderr)
	var db archiveFlags
	db.register(fs)
	limit := fs.Int("limit", 20, "show the latest `N` runs (0 = all)")
	asJSON := fs.Bool("json", false, "one JSON object per run")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("runs takes no arguments, got %q", rest)
	}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	runs, err := store.Runs(ctx, *limit)
	if err != nil {
		return fmt.Errorf("list runs: %w", err)
	}
	if *asJSON {
		for i := range runs {
			line, err := marshalJSON(runJSON(&runs[i]))
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s\n", line)
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSTARTED\tDURATION\tEXIT\tSITES\tFETCHED\t304\tNEW\tUPDATED\tUNCHANGED\tFAILED\tERRORS")
	for i := range runs {
		r := &runs[i]
		t := totals(r)
		duration, exit := "running?", "-"
		if !r.EndedAt.IsZero() {
			duration, exit = r.EndedAt.Sub(r.StartedAt).Round(time.Second).String(), fmt.Sprint(r.ExitCode)
		}
		var errs []string
		for _, s := range r.Sites {
			if s.Error != "" {
				errs = append(errs, s.Site+": "+s.Error)
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", r.ID, r.StartedAt.UTC().Format(time.DateTime),
			duration, exit, len(r.Sites), t.Fetched, t.NotModified, t.New, t.Updated, t.Unchanged, t.Failed, strings.Join(errs, "; "))
	}
	return tw.Flush()
}
