package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/newsvault/newsvault/archive"
)

const diffUsage = "[--db PATH | --config FILE] [--from N] [--to M] [--full] [--color auto|always|never] URL"

// marks are how a diff shows removed and added words.
type marks struct{ del, endDel, ins, endIns string }

var (
	plainMarks = marks{"[-", "-]", "{+", "+}"} // git diff --word-diff=plain
	colorMarks = marks{"\x1b[31m", "\x1b[m", "\x1b[32m", "\x1b[m"}
)

func runDiff(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("diff", diffUsage, e.stderr)
	var db archiveFlags
	db.register(fs)
	from := fs.Int("from", 0, "the old `version` (default: the one before --to)")
	to := fs.Int("to", 0, "the new `version` (default: the latest)")
	full := fs.Bool("full", false, "print unchanged paragraphs too")
	color := fs.String("color", "auto", "colour removed and added words: auto (on a terminal), always or never")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("diff takes one URL, got %d arguments", len(rest))
	}
	if *from < 0 || *to < 0 {
		return usagef("--from and --to are version numbers (1, 2, ...)")
	}
	m := plainMarks
	switch *color {
	case "always":
		m = colorMarks
	case "auto":
		if isTerminal(e.stdout) {
			m = colorMarks
		}
	case "never":
	default:
		return usagef("bad --color %q (want auto, always or never)", *color)
	}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()

	newer, err := store.Version(ctx, rest[0], *to)
	if err != nil {
		return versionErr(rest[0], *to, err)
	}
	n := *from
	if n == 0 {
		n = newer.Article.Version - 1
		if n == 0 {
			return fmt.Errorf("%s has one version only: nothing to compare", newer.Key)
		}
	}
	older, err := store.Version(ctx, rest[0], n)
	if err != nil {
		return versionErr(rest[0], n, err)
	}
	return writeDiff(e.stdout, &older, &newer, m, *full)
}

func versionErr(url string, n int, err error) error {
	if !errors.Is(err, archive.ErrNotFound) {
		return err
	}
	if n == 0 {
		return fmt.Errorf("no article archived under %s", url)
	}
	return fmt.Errorf("no version %d of %s (or no such article)", n, url)
}

// writeDiff prints the change from a to b: a header, the classification,
// changed metadata, and word diffs of title and text.
func writeDiff(w io.Writer, a, b *archive.VersionInfo, m marks, full bool) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "%s\n", b.Key)
	fmt.Fprintf(ew, "--- version %d, first seen %s UTC\n", a.Article.Version, shortTime(a.FirstSeenAt))
	fmt.Fprintf(ew, "+++ version %d, first seen %s UTC\n", b.Article.Version, shortTime(b.FirstSeenAt))
	c := archive.Classify(&a.Article, &b.Article)
	fmt.Fprintf(ew, "change: %s\n", c)
	for _, f := range c.Fields {
		fmt.Fprintf(ew, "%s: %s%s%s%s%s%s\n", f, m.del, fieldValue(&a.Article, f), m.endDel, m.ins, fieldValue(&b.Article, f), m.endIns)
	}
	fmt.Fprintf(ew, "\ntitle: %s\n\n", renderEdits(archive.WordDiff(a.Article.Title, b.Article.Title), m))
	if a.Article.Text == b.Article.Text {
		fmt.Fprintf(ew, "text unchanged\n")
		return ew.err
	}
	writeParagraphs(ew, archive.WordDiff(a.Article.Text, b.Article.Text), m, full)
	return ew.err
}

// fieldValue shows one of archive.Change.Fields of a, "(none)" when empty.
func fieldValue(a *archive.Article, field string) string {
	if v := fieldText(a, field); v != "" {
		return v
	}
	return "(none)"
}

func fieldText(a *archive.Article, field string) string {
	switch field {
	case "authors":
		return strings.Join(a.Authors, ", ")
	case "published_at":
		return publisherTime(a.PublishedAt)
	case "modified_at":
		return publisherTime(a.ModifiedAt)
	case "language":
		return a.Language
	case "description":
		return a.Description
	case "tags":
		return strings.Join(a.Tags, ", ")
	case "image_url":
		return a.ImageURL
	case "canonical_url":
		return a.CanonicalURL
	}
	return ""
}

func renderEdits(edits []archive.Edit, m marks) string {
	var b strings.Builder
	for _, e := range edits {
		writeEdit(&b, e, m)
		b.WriteString(e.Sep)
	}
	return b.String()
}

func writeEdit(b *strings.Builder, e archive.Edit, m marks) {
	switch e.Op {
	case archive.Delete:
		b.WriteString(m.del + e.Text + m.endDel)
	case archive.Insert:
		b.WriteString(m.ins + e.Text + m.endIns)
	default:
		b.WriteString(e.Text)
	}
}

// writeParagraphs prints a text diff paragraph by paragraph (paragraphs
// of the new text), collapsing runs of unchanged ones unless full.
func writeParagraphs(w io.Writer, edits []archive.Edit, m marks, full bool) {
	type para struct {
		b       strings.Builder
		changed bool
	}
	paras := []*para{{}}
	write := func(s string, changed bool) {
		for i, piece := range strings.Split(s, "\n\n") {
			if i > 0 {
				paras = append(paras, &para{})
			}
			cur := paras[len(paras)-1]
			cur.b.WriteString(piece)
			cur.changed = cur.changed || changed && piece != ""
		}
	}
	for _, e := range edits {
		if e.Op == archive.Equal {
			write(e.Text+e.Sep, false)
			continue
		}
		var b strings.Builder
		writeEdit(&b, e, m)
		cur := paras[len(paras)-1]
		cur.b.WriteString(b.String())
		cur.changed = true
		write(e.Sep, false)
	}
	skipped := 0
	flush := func() {
		if skipped > 0 {
			fmt.Fprintf(w, "… %d unchanged %s …\n\n", skipped, plural(skipped, "paragraph", "paragraphs"))
			skipped = 0
		}
	}
	for _, p := range paras {
		text := strings.TrimSpace(p.b.String())
		if text == "" {
			continue
		}
		if !p.changed && !full {
			skipped++
			continue
		}
		flush()
		fmt.Fprintf(w, "%s\n\n", text)
	}
	flush()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// errWriter keeps the first write error so a run of Fprintf need not
// check each.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
