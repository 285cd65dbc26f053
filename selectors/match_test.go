package selectors

import (
	"bytes"
	"slices"
	"testing"

	"golang.org/x/net/html"
)

// TestMatchAttributed checks that bylineAttrs names every attribute
// bylineSel needs: on each fixture page, with no limit, matchAttributed
// finds what MatchAll finds.
func TestMatchAttributed(t *testing.T) {
	for _, f := range fixtures(t) {
		root, err := html.Parse(bytes.NewReader(f.page))
		if err != nil {
			t.Fatal(err)
		}
		want := bylineSel.MatchAll(root)
		if got := matchAttributed(root, bylineSel, len(want)+1, bylineAttrs); !slices.Equal(got, want) {
			t.Errorf("%s: matchAttributed found %d elements, MatchAll %d", f.dir, len(got), len(want))
		}
		if len(want) > 1 {
			if got := matchAttributed(root, bylineSel, 1, bylineAttrs); !slices.Equal(got, want[:1]) {
				t.Errorf("%s: max 1: got %d elements", f.dir, len(got))
			}
		}
	}
}
