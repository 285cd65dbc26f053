package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/newsvault/newsvault/archive"
)

const similarUsage = "[--db PATH | --config FILE] [--max-distance N] URL"

// runSimilar lists the articles linked to URL's as near-copies of its text
// (syndicated wire stories on other sites): SimHash Hamming distance of
// the latest versions, nearest first. Linked, never merged: each keeps its
// own key and versions.
func runSimilar(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("similar", similarUsage, e.stderr)
	var (
		db      archiveFlags
		maxDist = fs.Int("max-distance", archive.NearDuplicateDistance, "largest SimHash Hamming `distance` (0-3; above 3 some pairs are missed)")
	)
	db.register(fs)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("similar takes one URL")
	}
	if *maxDist < 0 || *maxDist > 64 {
		return usagef("--max-distance must be between 0 and 64")
	}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	sims, err := store.Similar(ctx, rest[0], *maxDist)
	if errors.Is(err, archive.ErrNotFound) {
		return fmt.Errorf("similar: no archived article at %s", rest[0])
	}
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "DISTANCE\tSITE\tURL\tTITLE")
	for _, s := range sims {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", s.Distance, s.Site, s.Key, s.Title)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	fmt.Fprintf(e.stderr, "%d similar articles\n", len(sims))
	return nil
}
