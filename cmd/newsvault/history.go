package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/newsvault/newsvault/archive"
)

const historyUsage = "[--db PATH | --config FILE] [--json] URL"

// historyJSON is one line of "history --json".
type historyJSON struct {
	Key             string   `json:"key"`
	Version         int      `json:"version"`
	FirstSeenAt     string   `json:"first_seen_at"`
	LastConfirmedAt string   `json:"last_confirmed_at"`
	ContentSHA256   string   `json:"content_sha256"`
	ModifiedAt      string   `json:"modified_at"` // the publisher's
	Change          string   `json:"change"`      // archive.Change.Kind
	Fields          []string `json:"changed_fields"`
	Summary         string   `json:"summary"`
}

func runHistory(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("history", historyUsage, e.stderr)
	var db archiveFlags
	db.register(fs)
	asJSON := fs.Bool("json", false, "one JSON object per version")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("history takes one URL, got %d arguments", len(rest))
	}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()

	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	var prev *archive.Article
	_, err = store.History(ctx, rest[0], func(v *archive.VersionInfo) error {
		if prev == nil && !*asJSON {
			fmt.Fprintf(e.stdout, "%s\n\n", v.Key)
			fmt.Fprintln(tw, "VERSION\tFIRST SEEN (UTC)\tLAST CONFIRMED (UTC)\tSHA256\tMODIFIED (PUBLISHER)\tCHANGE")
		}
		c := archive.Classify(prev, &v.Article)
		prev = &v.Article
		a := &v.Article
		if *asJSON {
			line, err := marshalJSON(historyJSON{
				Key: v.Key, Version: a.Version,
				FirstSeenAt: v.FirstSeenAt.UTC().Format(time.RFC3339Nano), LastConfirmedAt: v.LastConfirmedAt.UTC().Format(time.RFC3339Nano),
				ContentSHA256: a.ContentSHA256, ModifiedAt: publisherTime(a.ModifiedAt),
				Change: c.Kind(), Fields: nonNilList(c.Fields), Summary: c.String(),
			})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "%s\n", line)
			return err
		}
		modified := "-"
		if !a.ModifiedAt.IsZero() {
			modified = a.ModifiedAt.Format(time.RFC3339)
		}
		_, err := fmt.Fprintf(tw, "%d\t%s\t%s\t%.12s\t%s\t%s\n", a.Version, shortTime(v.FirstSeenAt), shortTime(v.LastConfirmedAt),
			a.ContentSHA256, modified, c)
		return err
	})
	if errors.Is(err, archive.ErrNotFound) {
		return fmt.Errorf("no article archived under %s", rest[0])
	}
	if err != nil {
		return err
	}
	return tw.Flush()
}

// shortTime is a time for tables: UTC to the second.
func shortTime(t time.Time) string {
	return t.UTC().Format(time.DateTime)
}

// publisherTime is a publisher's time as given, "" when there was none.
func publisherTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func nonNilList(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
