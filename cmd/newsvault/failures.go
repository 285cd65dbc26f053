package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newsvault/newsvault/archive"
)

// failureJSON is the JSON form of a fetch-log entry, for "failures --json".
type failureJSON struct {
	ID         int64  `json:"id"`
	RunID      int64  `json:"run_id"` // 0 for a crawl outside a run
	At         string `json:"at"`
	URL        string `json:"url"`
	Reason     string `json:"reason"`
	Status     int    `json:"status"`
	Error      string `json:"error"`
	BodySize   int64  `json:"body_size"`   // of the body the crawler had, kept or not; 0 when none
	BodySHA256 string `json:"body_sha256"` // "" when none
	BodyKept   bool   `json:"body_kept"`
}

const failuresUsage = "[--db PATH | --config FILE] [--reason NAME]... [--limit N] [--json] [RUN_ID | crawl]"

func runFailures(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("failures", failuresUsage, e.stderr)
	var (
		db      archiveFlags
		reasons listFlag
	)
	db.register(fs)
	fs.Var(&reasons, "reason", "only entries with this `reason`, e.g. parse_failed (repeatable)")
	limit := fs.Int("limit", 0, "show the first `N` entries (0 = all)")
	asJSON := fs.Bool("json", false, "one JSON object per entry")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return usagef("failures takes one run ID at most, got %q", rest)
	}
	if *limit < 0 {
		return usagef("--limit must be 0 or more")
	}
	var runID int64 = -1 // the latest run
	if len(rest) == 1 {
		if rest[0] == "crawl" {
			runID = 0
		} else if runID, err = strconv.ParseInt(rest[0], 10, 64); err != nil || runID < 1 {
			return usagef("run ID %q is not a number from \"newsvault runs\" (or \"crawl\")", rest[0])
		}
	}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if runID < 0 {
		runs, err := store.Runs(ctx, 1)
		if err != nil {
			return fmt.Errorf("list runs: %w", err)
		}
		if len(runs) == 0 {
			return fmt.Errorf("no runs recorded (failures of \"newsvault crawl\": newsvault failures crawl)")
		}
		runID = runs[0].ID
	}
	// The reason filter is applied here: a run's fetch log is small, and
	// --limit counts what is shown.
	entries, err := store.FetchLog(ctx, runID, 0)
	if err != nil {
		return fmt.Errorf("read failures: %w", err)
	}
	if len(reasons) > 0 {
		entries = slices.DeleteFunc(entries, func(f archive.FetchLogEntry) bool { return !slices.Contains(reasons, f.Reason) })
	}
	if *limit > 0 && len(entries) > *limit {
		entries = entries[:*limit]
	}
	if *asJSON {
		for _, f := range entries {
			line, err := marshalJSON(failureJSON{ID: f.ID, RunID: f.RunID, At: f.At.UTC().Format(time.RFC3339Nano),
				URL: f.URL, Reason: f.Reason, Status: f.Status, Error: f.Error,
				BodySize: f.BodySize, BodySHA256: f.BodySHA256, BodyKept: f.Body != nil})
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s\n", line)
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "URL\tREASON\tSTATUS\tERROR")
	for _, f := range entries {
		status := "-"
		if f.Status != 0 {
			status = strconv.Itoa(f.Status)
		}
		// One line per entry whatever the error says.
		msg := strings.Join(strings.Fields(f.Error), " ")
		if f.Body != nil {
			msg += fmt.Sprintf(" [body kept, %d bytes]", len(f.Body))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", oneLine(f.URL), f.Reason, status, strings.TrimSpace(msg))
	}
	return tw.Flush()
}

// oneLine replaces control characters that would break a table row.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
