package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/newsvault/newsvault/archive"
)

const statsUsage = "[--db PATH | --config FILE] [--json]"

type siteStatsJSON struct {
	Site            string `json:"site"`
	Articles        int64  `json:"articles"`
	Versions        int64  `json:"versions"`
	Captures        int64  `json:"captures"`
	RawBytes        int64  `json:"raw_bytes"`
	CompressedBytes int64  `json:"compressed_bytes"`
	FirstPublished  string `json:"first_published"`
	LastPublished   string `json:"last_published"`
	FirstFetched    string `json:"first_fetched"`
	LastFetched     string `json:"last_fetched"`
}

type statsJSON struct {
	Sites    []siteStatsJSON `json:"sites"`
	Total    siteStatsJSON   `json:"total"`
	DBBytes  int64           `json:"db_bytes"`
	WALBytes int64           `json:"wal_bytes"`
}

func runStats(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("stats", statsUsage, e.stderr)
	var db archiveFlags
	db.register(fs)
	asJSON := fs.Bool("json", false, "one JSON object")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("stats takes no arguments, got %q", rest)
	}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	sites, err := store.Stats(ctx)
	if err != nil {
		return err
	}
	dbBytes, walBytes, err := store.FileSizes()
	if err != nil {
		return err
	}
	out := statsJSON{Sites: []siteStatsJSON{}, DBBytes: dbBytes, WALBytes: walBytes}
	total := archive.SiteStats{Site: "total"}
	for _, s := range sites {
		out.Sites = append(out.Sites, statsRow(&s))
		addStats(&total, &s)
	}
	out.Total = statsRow(&total)
	if *asJSON {
		line, err := marshalJSON(out)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "%s\n", line)
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tARTICLES\tVERSIONS\tCAPTURES\tRAW\tCOMPRESSED\tPUBLISHED\tFETCHED")
	for _, r := range append(out.Sites, out.Total) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", r.Site, r.Articles, r.Versions, r.Captures,
			humanBytes(r.RawBytes), humanBytes(r.CompressedBytes), dateRange(r.FirstPublished, r.LastPublished),
			dateRange(r.FirstFetched, r.LastFetched))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "\ndatabase file %s, write-ahead log %s\n", humanBytes(dbBytes), humanBytes(walBytes))
	return err
}

func statsRow(s *archive.SiteStats) siteStatsJSON {
	return siteStatsJSON{Site: s.Site, Articles: s.Articles, Versions: s.Versions, Captures: s.Captures,
		RawBytes: s.RawBytes, CompressedBytes: s.CompressedBytes,
		FirstPublished: rfc3339(s.FirstPublished), LastPublished: rfc3339(s.LastPublished),
		FirstFetched: rfc3339(s.FirstFetched), LastFetched: rfc3339(s.LastFetched)}
}

func addStats(t, s *archive.SiteStats) {
	t.Articles += s.Articles
	t.Versions += s.Versions
	t.Captures += s.Captures
	t.RawBytes += s.RawBytes
	t.CompressedBytes += s.CompressedBytes
	earliest := func(a, b time.Time) time.Time {
		if a.IsZero() || (!b.IsZero() && b.Before(a)) {
			return b
		}
		return a
	}
	latest := func(a, b time.Time) time.Time {
		if b.After(a) {
			return b
		}
		return a
	}
	t.FirstPublished = earliest(t.FirstPublished, s.FirstPublished)
	t.LastPublished = latest(t.LastPublished, s.LastPublished)
	t.FirstFetched = earliest(t.FirstFetched, s.FirstFetched)
	t.LastFetched = latest(t.LastFetched, s.LastFetched)
}

// dateRange shows two RFC 3339 times as "2026-11-01..2026-11-25", "-"
// when unknown.
func dateRange(first, last string) string {
	if first == "" {
		return "-"
	}
	return first[:10] + ".." + last[:10]
}
