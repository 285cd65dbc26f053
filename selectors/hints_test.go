package selectors

import (
	"strings"
	"testing"
)

// TestSubstrings checks the indexed matcher against strings.Contains.
func TestSubstrings(t *testing.T) {
	texts := []string{
		"", "c", "article-body", "post-content entry", "social-share bar", "x-comments",
		"ccomment", "adsense", "readmorex", "gpt-", "gpt", "sidebar-left widget", "главная commen",
		"header", "footer_nav", "dfp-ad", "more-stories-", "kommentar",
	}
	for _, words := range [][]string{negativeHints, positiveHints, commentHints} {
		set := newSubstrings(words)
		for _, text := range texts {
			want := false
			for _, w := range words {
				want = want || strings.Contains(text, w)
			}
			if got := set.in(text); got != want {
				t.Errorf("in(%q) = %v, want %v (words %v)", text, got, want, words[:2])
			}
		}
	}
}
