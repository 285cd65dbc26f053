package selectors

import (
	"strings"
	"testing"
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
