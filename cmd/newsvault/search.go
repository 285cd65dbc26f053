package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsvault/newsvault/archive"
)

const searchUsage = "[--db PATH | --config FILE] [--site HOST] [--since DATE] [--limit N] [--all-versions] [--json] QUERY"

// searchJSON is one line of "search --json".
type searchJSON struct {
	Key         string  `json:"key"`
	Version     int     `json:"version"`
	Title       string  `json:"title"`
	URL         string  `json:"url"`
	Site        string  `json:"site"`
	PublishedAt string  `json:"published_at"`
	FetchedAt   string  `json:"fetched_at"`
	Snippet     string  `json:"snippet"`
	Rank        float64 `json:"rank"`
}

func runSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("search", searchUsage, e.stderr)
	var db archiveFlags
	db.register(fs)
	site := fs.String("site", "", "only articles of this `host`")
	since := fs.String("since", "", "only articles published (else fetched) at or after this `date`")
	limit := fs.Int("limit", 20, "at most `N` results (0 = all)")
	all := fs.Bool("all-versions", false, "search every version, not just each article's latest")
	asJSON := fs.Bool("json", false, "one JSON object per result, snippet marked with [ ]")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usagef("search needs a query")
	}
	if *limit < 0 {
		return usagef("--limit must be 0 or more")
	}
	q := archive.Query{Text: strings.Join(rest, " "), Site: *site, Limit: *limit, AllVersions: *all, Mark: "[", Unmark: "]"}
	if q.Since, err = parseDate(*since); err != nil {
		return usagef("--since: %v", err)
	}
	bold := !*asJSON && isTerminal(e.stdout)
	if bold {
		q.Mark, q.Unmark = "\x1b[1m", "\x1b[22m"
	}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	n := 0
	err = store.Search(ctx, q, func(h *archive.Hit) error {
		n++
		a := &h.Article
		if *asJSON {
			line, err := marshalJSON(searchJSON{Key: h.Key, Version: a.Version, Title: a.Title, URL: a.URL, Site: a.Site,
				PublishedAt: publisherTime(a.PublishedAt), FetchedAt: a.FetchedAt.UTC().Format(time.RFC3339), Snippet: h.Snippet, Rank: h.Rank})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "%s\n", line)
			return err
		}
		date := a.FetchedAt.UTC().Format(time.DateOnly) + " (fetched)"
		if !a.PublishedAt.IsZero() {
			date = a.PublishedAt.Format(time.DateOnly)
		}
		title := a.Title
		if bold {
			title = q.Mark + title + q.Unmark
		}
		_, err := fmt.Fprintf(e.stdout, "%d. %s\n   %s · %s · version %d\n   %s\n   %s\n\n", n, title, a.Site, date, a.Version, h.Key,
			strings.Join(strings.Fields(h.Snippet), " "))
		return err
	})
	if errors.Is(err, archive.ErrBadQuery) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%d %s\n", n, plural(n, "result", "results"))
	return nil
}
