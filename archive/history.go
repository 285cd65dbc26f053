package archive

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// VersionInfo is one archived version of an article with the times
// newsvault itself saw it, kept apart from the publisher's own
// Article.ModifiedAt.
type VersionInfo struct {
	Key             string    // the article's key in the archive
	Article         Article   // Version, ContentSHA256 and FetchedAt are set
	FirstSeenAt     time.Time // the fetch that first gave this content
	LastConfirmedAt time.Time // the newest fetch (or 304) that found it unchanged
}

// Change says how a version differs from the one before it. The zero
// Change is the first version of an article. TitleChanged combines with
// one of the text kinds; MetadataOnly is alone.
type Change struct {
	First        bool
	TitleChanged bool
	// TextAppended: an update. The old text's paragraphs are all kept, in
	// order, and new ones were added.
	TextAppended bool
	// TextEdited: a correction. Old text was changed or removed.
	TextEdited bool
	// MetadataOnly: title and text are the same; Fields names what
	// changed (dates, authors, tags, ...).
	MetadataOnly bool
	// Fields lists the other fields that changed, by their JSON names.
	Fields []string
	// Added and Removed count paragraphs of the text, for a summary.
	Added, Removed int
}

// Classify compares a version with the one before it; prev nil means
// next is the first version.
func Classify(prev, next *Article) Change {
	if prev == nil {
		return Change{First: true}
	}
	var c Change
	c.TitleChanged = prev.Title != next.Title
	if prev.Text != next.Text {
		oldP, newP := Paragraphs(prev.Text), Paragraphs(next.Text)
		kept := keptInOrder(oldP, newP)
		c.Added, c.Removed = len(newP)-kept, len(oldP)-kept
		switch {
		case kept == len(oldP) && len(newP) > len(oldP):
			c.TextAppended = true
		case strings.HasPrefix(next.Text, prev.Text):
			// Words added to the last paragraph: still an update.
			c.TextAppended = true
			c.Added, c.Removed = 0, 0
		default:
			c.TextEdited = true
		}
	}
	c.Fields = changedFields(prev, next)
	c.MetadataOnly = !c.TitleChanged && prev.Text == next.Text
	return c
}

// keptInOrder counts the paragraphs of old that occur, in order, in new:
// a greedy walk, which is exact when new only adds paragraphs.
func keptInOrder(old, new []string) int {
	kept, j := 0, 0
	for _, p := range old {
		k := slices.Index(new[j:], p)
		if k < 0 {
			continue
		}
		kept++
		j += k + 1
	}
	return kept
}

// Paragraphs splits an article text at its blank lines.
func Paragraphs(text string) []string {
	var ps []string
	for p := range strings.SplitSeq(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			ps = append(ps, p)
		}
	}
	return ps
}

func changedFields(a, b *Article) []string {
	var fs []string
	add := func(name string, changed bool) {
		if changed {
			fs = append(fs, name)
		}
	}
	add("authors", !slices.Equal(a.Authors, b.Authors))
	add("published_at", !a.PublishedAt.Equal(b.PublishedAt))
	add("modified_at", !a.ModifiedAt.Equal(b.ModifiedAt))
	add("language", a.Language != b.Language)
	add("description", a.Description != b.Description)
	add("tags", !slices.Equal(a.Tags, b.Tags))
	add("image_url", a.ImageURL != b.ImageURL)
	add("canonical_url", a.CanonicalURL != b.CanonicalURL)
	return fs
}

// Kind is the change's one-word class: "first", "title", "appended",
// "edited", "title+appended", "title+edited" or "metadata".
func (c Change) Kind() string {
	var parts []string
	if c.First {
		return "first"
	}
	if c.TitleChanged {
		parts = append(parts, "title")
	}
	switch {
	case c.TextAppended:
		parts = append(parts, "appended")
	case c.TextEdited:
		parts = append(parts, "edited")
	}
	if len(parts) == 0 {
		return "metadata"
	}
	return strings.Join(parts, "+")
}

// String describes the change for people, e.g. "title changed; text
// appended (+2 paragraphs)" or "metadata only (modified_at, tags)".
func (c Change) String() string {
	if c.First {
		return "first version"
	}
	if c.MetadataOnly {
		if len(c.Fields) == 0 {
			return "metadata only"
		}
		return "metadata only (" + strings.Join(c.Fields, ", ") + ")"
	}
	var parts []string
	if c.TitleChanged {
		parts = append(parts, "title changed")
	}
	switch {
	case c.TextAppended:
		parts = append(parts, fmt.Sprintf("text appended (%s)", paragraphCounts(c.Added, c.Removed)))
	case c.TextEdited:
		parts = append(parts, fmt.Sprintf("text edited (%s)", paragraphCounts(c.Added, c.Removed)))
	}
	if len(c.Fields) > 0 {
		parts = append(parts, "also "+strings.Join(c.Fields, ", "))
	}
	return strings.Join(parts, "; ")
}

func paragraphCounts(added, removed int) string {
	plural := func(n int) string {
		if n == 1 {
			return "paragraph"
		}
		return "paragraphs"
	}
	switch {
	case added == 0 && removed == 0:
		return "within a paragraph"
	case removed == 0:
		return fmt.Sprintf("+%d %s", added, plural(added))
	case added == 0:
		return fmt.Sprintf("-%d %s", removed, plural(removed))
	}
	return fmt.Sprintf("+%d -%d paragraphs", added, removed)
}
