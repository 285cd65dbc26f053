package main

import (
	"context"
	"fmt"
	"io"

	"github.com/newsvault/newsvault/archive"
)

const exportUsage = "[--db PATH] [--format jsonl|json] [--site HOST] [--since DATE] [--until DATE] [-o FILE]"

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("export", exportUsage, e.stderr)
	var (
		db     = fs.String("db", "newsvault.db", "archive `path`")
		format = fs.String("format", "jsonl", "output format: jsonl (one article per line) or json (one array)")
		site   = fs.String("site", "", "only articles of this `host` (e.g. inforos.ru)")
		since  = fs.String("since", "", "only articles published (else fetched) at or after this `date` (2026-11-25 or RFC 3339)")
		until  = fs.String("until", "", "only articles published (else fetched) before this `date`")
		out    = fs.String("o", "", "write to `file` (atomically: a temp file, then rename) instead of stdout")
	)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("export takes no arguments, got %q", rest)
	}
	f, err := archive.ParseFormat(*format)
	if err != nil {
		return usagef("--format: %v", err)
	}
	filter := archive.Filter{Site: *site}
	if filter.Since, err = parseDate(*since); err != nil {
		return usagef("--since: %v", err)
	}
	if filter.Until, err = parseDate(*until); err != nil {
		return usagef("--until: %v", err)
	}
	store, err := openExisting(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()

	var n int
	write := func(w io.Writer) error {
		enc := archive.NewEncoder(w, f)
		err := store.Articles(ctx, filter, func(a *archive.Article) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return enc.Encode(a)
		})
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		n = enc.Count()
		return enc.Close()
	}
	if *out == "" {
		err = write(e.stdout)
	} else {
		err = writeFileAtomic(*out, write)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "exported %d articles\n", n)
	return nil
}
