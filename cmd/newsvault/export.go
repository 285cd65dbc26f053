package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/newsvault/newsvault/archive"
)

const exportUsage = "[--db PATH | --config FILE] [--format jsonl|json|warc] [--operator TEXT] [--html-safe] [--provenance] [--site HOST] [--since DATE] [--until DATE] [--after CURSOR | --cursor-file FILE] [-o FILE]"

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("export", exportUsage, e.stderr)
	var (
		db         archiveFlags
		after      = fs.Int64("after", 0, "only articles first archived or given a new version after this `cursor` (printed by the previous export)")
		cursorFile = fs.String("cursor-file", "", "read --after from this `file` when it exists, and write the new cursor there after a successful export")
		format     = fs.String("format", "jsonl", "output format: jsonl (one article per line), json (one array) or warc (every version's raw capture as WARC 1.1, gzip per record)")
		operator   = fs.String("operator", "", "with --format warc: who made the archive, for the warcinfo record (e.g. \"Jane Doe <jane@example.org>\")")
		site       = fs.String("site", "", "only articles of this `host` (e.g. inforos.ru)")
		since      = fs.String("since", "", "only articles published (else fetched) at or after this `date` (2026-11-25 or RFC 3339)")
		until      = fs.String("until", "", "only articles published (else fetched) before this `date`")
		out        = fs.String("o", "", "write to `file` (atomically: a temp file, then rename) instead of stdout")
		htmlSafe   = fs.Bool("html-safe", false, "escape <, > and & (and U+2028/U+2029, always escaped) so the JSON can be inlined in HTML")
		provenance = fs.Bool("provenance", false, "add a provenance object to each article: cause, newsvault version, profile and hash, the rule behind title, dates and authors, raw body SHA-256, charset")
	)
	db.register(fs)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("export takes no arguments, got %q", rest)
	}
	filter := archive.Filter{Site: *site}
	if filter.Since, err = parseDate(*since); err != nil {
		return usagef("--since: %v", err)
	}
	if filter.Until, err = parseDate(*until); err != nil {
		return usagef("--until: %v", err)
	}
	if *format == "warc" {
		if *after != 0 || *cursorFile != "" || *htmlSafe {
			return usagef("--after, --cursor-file and --html-safe do not apply to --format warc")
		}
		return exportWARC(ctx, e, &db, filter, *out, *operator)
	}
	f, err := archive.ParseFormat(*format)
	if err != nil {
		return usagef("--format: %v", err)
	}
	if *cursorFile != "" {
		if *after != 0 {
			return usagef("give --after or --cursor-file, not both")
		}
		if *after, err = readCursor(*cursorFile); err != nil {
			return err
		}
	}
	filter.After = archive.Cursor(*after)
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()

	var (
		n      int
		cursor archive.Cursor
	)
	write := func(w io.Writer) error {
		enc := archive.NewEncoder(w, f)
		enc.SetHTMLSafe(*htmlSafe)
		if *provenance {
			cursor, err = store.ProvenanceAfter(ctx, filter, func(a *archive.Article, p *archive.Provenance) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				return enc.EncodeWithProvenance(a, p)
			})
		} else {
			cursor, err = store.ArticlesAfter(ctx, filter, func(a *archive.Article) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				return enc.Encode(a)
			})
		}
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
	if *cursorFile != "" {
		if err := writeFileAtomic(*cursorFile, func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "%d\n", cursor)
			return err
		}); err != nil {
			return fmt.Errorf("save cursor: %w", err)
		}
	}
	fmt.Fprintf(e.stderr, "exported %d articles; cursor %d\n", n, cursor)
	return nil
}

// readCursor reads a cursor file; a missing file is the start (0).
func readCursor(path string) (int64, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read cursor: %w", err)
	}
	c, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || c < 0 {
		return 0, fmt.Errorf("read cursor: %s does not hold a cursor (a number): %q", path, b)
	}
	return c, nil
}
