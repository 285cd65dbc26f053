package main

import (
	"context"
	"fmt"

	"github.com/newsvault/newsvault/archive"
)

const verifyUsage = "[--db PATH | --config FILE]"

// runVerify checks the whole archive and prints one line per problem,
// "KEY<tab>vN<tab>what" ("-" for the database as a whole), as found. It
// exits 1 when there was any.
func runVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("verify", verifyUsage, e.stderr)
	var db archiveFlags
	db.register(fs)
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("verify takes no arguments, got %q", rest)
	}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	problems := 0
	articles := map[string]bool{} // keys with problems: few, in a damaged archive
	checked, err := store.Verify(ctx, func(p archive.Problem) error {
		problems++
		key, version := p.Key, "-"
		if key == "" {
			key = "database"
		} else {
			articles[key] = true
		}
		if p.Version > 0 {
			version = fmt.Sprintf("v%d", p.Version)
		}
		_, err := fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", key, version, p.What)
		return err
	})
	if err != nil {
		return err
	}
	summary := fmt.Sprintf("checked %d articles, %d versions, %d captures (%s of bodies)",
		checked.Articles, checked.Versions, checked.Captures, humanBytes(checked.RawBytes))
	if problems > 0 {
		return &exitStatus{code: exitError, err: fmt.Errorf("verify: %d %s in %d %s; %s", problems,
			plural(problems, "problem", "problems"), len(articles), plural(len(articles), "article", "articles"), summary)}
	}
	fmt.Fprintf(e.stdout, "ok: %s\n", summary)
	return nil
}

// humanBytes formats n in binary units, e.g. 1.5 MiB.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
