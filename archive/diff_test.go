package archive

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// render writes edits as git's --word-diff=plain does.
func render(edits []Edit) string {
	var b strings.Builder
	for _, e := range edits {
		switch e.Op {
		case Equal:
			b.WriteString(e.Text)
		case Delete:
			b.WriteString("[-" + e.Text + "-]")
		case Insert:
			b.WriteString("{+" + e.Text + "+}")
		}
		b.WriteString(e.Sep)
	}
	return b.String()
}

func TestWordDiff(t *testing.T) {
	for _, tc := range []struct{ old, new, want string }{
		{"a b c", "a b c", "a b c"},
		{"a b c", "a x c", "a [-b-]{+x+} c"},
		{"", "a b", "{+a b+}"},
		{"a b", "", "[-a b-] "},
		{"the cat sat", "the cat sat down", "the cat sat {+down+}"},
		{"one two three four", "zero one three four five", "{+zero+} one [-two-] three four {+five+}"},
		{"Москва сегодня", "МОСКВА сегодня", "[-Москва-]{+МОСКВА+} сегодня"},
		{"p1 a\n\np2 b", "p1 a\n\np2 c\n\np3", "p1 a\n\np2 [-b-]{+c\n\np3+}"},
	} {
		if got := render(WordDiff(tc.old, tc.new)); strings.TrimSpace(got) != strings.TrimSpace(tc.want) {
			t.Errorf("WordDiff(%q, %q) = %q, want %q", tc.old, tc.new, got, tc.want)
		}
	}
}

// TestWordDiffApplies checks on random texts that the Equal and Delete
// runs give back the old words and Equal and Insert the new ones.
func TestWordDiffApplies(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	words := func() string {
		var ws []string
		for range r.IntN(40) {
			ws = append(ws, string(rune('a'+r.IntN(5))))
		}
		return strings.Join(ws, " ")
	}
	for range 500 {
		old, new := words(), words()
		var gotOld, gotNew []string
		for _, e := range WordDiff(old, new) {
			if e.Op != Insert {
				gotOld = append(gotOld, strings.Fields(e.Text)...)
			}
			if e.Op != Delete {
				gotNew = append(gotNew, strings.Fields(e.Text)...)
			}
		}
		if strings.Join(gotOld, " ") != old || strings.Join(gotNew, " ") != new {
			t.Fatalf("WordDiff(%q, %q) gives back %q, %q", old, new, gotOld, gotNew)
		}
	}
}

// TestWordDiffBounded: two unrelated 1 MB texts fall back to coarser
// diffs instead of running for minutes.
func TestWordDiffBounded(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	text := func() string {
		var b strings.Builder
		for b.Len() < 1<<20 {
			for range 60 {
				b.WriteString(string(rune('a'+r.IntN(26))) + string(rune('a'+r.IntN(26))) + " ")
			}
			b.WriteString("\n\n")
		}
		return b.String()
	}
	old, new := text(), text()
	edits := WordDiff(old, new)
	if len(edits) == 0 {
		t.Fatal("no edits")
	}
	// Appending to a 1 MB text stays cheap and exact.
	edits = WordDiff(old, old+"\n\nmore news")
	if got := edits[len(edits)-1]; got.Op != Insert || got.Text != "more news" {
		t.Errorf("last edit %+v, want the insert of the new paragraph", got)
	}
}

func TestClassify(t *testing.T) {
	base := Article{Title: "Fire in the city", Text: "A fire broke out.\n\nFirefighters came.", Tags: []string{"fire"}}
	with := func(f func(*Article)) *Article { a := base; f(&a); return &a }
	for _, tc := range []struct {
		name string
		next *Article
		kind string
		desc string
	}{
		{"title", with(func(a *Article) { a.Title = "Big fire in the city" }), "title", "title changed"},
		{"appended", with(func(a *Article) { a.Text += "\n\nNo one was hurt." }), "appended", "text appended (+1 paragraph)"},
		{"appended at the top", with(func(a *Article) { a.Text = "UPDATE: the fire is out.\n\n" + a.Text }), "appended", "text appended (+1 paragraph)"},
		{"appended words", with(func(a *Article) { a.Text += " Two engines." }), "appended", "text appended (within a paragraph)"},
		{"edited", with(func(a *Article) { a.Text = "A fire broke out.\n\nPolice came." }), "edited", "text edited (+1 -1 paragraphs)"},
		{"removed", with(func(a *Article) { a.Text = "A fire broke out." }), "edited", "text edited (-1 paragraph)"},
		{"title and text", with(func(a *Article) { a.Title = "Fire"; a.Text += "\n\nMore." }), "title+appended", "title changed; text appended (+1 paragraph)"},
		{"metadata", with(func(a *Article) { a.Tags = []string{"fire", "city"} }), "metadata", "metadata only (tags)"},
	} {
		c := Classify(&base, tc.next)
		if c.Kind() != tc.kind || c.String() != tc.desc {
			t.Errorf("%s: %s %q, want %s %q", tc.name, c.Kind(), c, tc.kind, tc.desc)
		}
	}
	if c := Classify(nil, &base); c.Kind() != "first" || c.String() != "first version" {
		t.Errorf("first: %s %q", c.Kind(), c)
	}
}
