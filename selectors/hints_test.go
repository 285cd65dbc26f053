package selectors

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestHintIndex checks the indexed matcher against strings.Contains.
func TestHintIndex(t *testing.T) {
	texts := []string{
		"", "c", "article-body", "post-content entry", "social-share bar", "x-comments",
		"ccomment", "adsense", "readmorex", "gpt-", "gpt", "sidebar-left widget", "главная commen",
		"header", "footer_nav", "dfp-ad", "more-stories-", "kommentar", "top_ad", "tags", "story-text",
	}
	has := func(text string, words []string) bool {
		for _, w := range words {
			if strings.Contains(text, w) {
				return true
			}
		}
		return false
	}
	for _, text := range texts {
		want := hintFlags{
			negative: has(text, negativeHints) || anyWord(text, negativeWords),
			positive: has(text, positiveHints),
			comment:  has(text, commentHints),
		}
		if got := hintWords.match(text); got != want {
			t.Errorf("match(%q) = %+v, want %+v", text, got, want)
		}
	}
}

// refHints is how hints were read from n before the cache was keyed by
// class and id apart: taxonomy tokens dropped from both joined, then each
// list tested with strings.Contains.
func refHints(n *html.Node) hintFlags {
	ci := classID(n)
	if strings.Contains(ci, "-") {
		var kept []string
		for _, f := range strings.Fields(ci) {
			tax := false
			for _, p := range taxonomyPrefixes {
				tax = tax || strings.HasPrefix(strings.ToLower(f), p)
			}
			if !tax {
				kept = append(kept, f)
			}
		}
		ci = strings.Join(kept, " ")
	}
	l := strings.ToLower(ci)
	has := func(words []string) bool {
		for _, w := range words {
			if strings.Contains(l, w) {
				return true
			}
		}
		return false
	}
	return hintFlags{
		negative: has(negativeHints) || anyWord(l, negativeWords),
		positive: has(positiveHints),
		comment:  has(commentHints),
	}
}

// TestHintCache checks the cache against refHints on every element of the
// fixtures and of a page of edge cases.
func TestHintCache(t *testing.T) {
	pages := map[string][]byte{"edges": []byte(`<div class="tag-news" id="main">a</div><div class="tag-x" id="tags">b</div>
<div class="Category-Ads story" id="x-1">c</div><div class="post" id="top_ad">d</div><div class="ads-wrap">e</div>
<div class="  " id="comment-list">f</div><div class="a\u00a0ad" id="b">g</div><div id="sharing-tools">h</div>
<div class="has-comments" id="story-body">i</div><div class="x" id="type-share">j</div><div class="main">k</div>`)}
	for _, f := range fixtures(t) {
		pages[f.dir] = f.page
	}
	for name, page := range pages {
		root, err := html.Parse(bytes.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		hc := hintCache{}
		walkElements(root, func(n *html.Node) bool {
			if got, want := hc.of(n), refHints(n); got != want {
				t.Errorf("%s: <%s class=%q id=%q>: %+v, want %+v", name, n.Data, attr(n, "class"), attr(n, "id"), got, want)
			}
			return true
		})
	}
}

// classID is n's class and id joined, the string class/id hints were tested on.
func classID(n *html.Node) string {
	c, id := attr(n, "class"), attr(n, "id")
	if id == "" {
		return c
	}
	if c == "" {
		return id
	}
	return c + " " + id
}

func FuzzIsTaxonomy(f *testing.F) {
	for _, s := range []string{"tag-news", "TAG-x", "Category-Ads", "cat", "ta\u017f-x", "sharing-", "\u212aeyword-", "İtem", "postid-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		want := false
		for _, p := range taxonomyPrefixes {
			want = want || strings.HasPrefix(strings.ToLower(tok), p)
		}
		if got := isTaxonomy(tok); got != want {
			t.Errorf("isTaxonomy(%q) = %v, want %v", tok, got, want)
		}
	})
}
