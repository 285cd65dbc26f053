package selectors

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestMatchCandidates checks that bylineCandidate accepts every element
// bylineSel matches: on each fixture page and on a page of near misses,
// with no limit, matchCandidates finds what MatchAll finds.
func TestMatchCandidates(t *testing.T) {
	pages := map[string][]byte{"near misses": []byte(`<div class="post-author">A</div><span itemprop="author">B</span>
<a rel="author" href="/b">C</a><p class="Author">D</p><p class="author">E</p><div class="the_author x">F</div>
<div class="x-byline-y">G</div><div class="author__name">H</div><div itemprop="x author">I</div><div id="author">J</div>`)}
	for _, f := range fixtures(t) {
		pages[f.dir] = f.page
	}
	for name, page := range pages {
		root, err := html.Parse(bytes.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		want := bylineSel.MatchAll(root)
		if got := matchCandidates(root, bylineSel, len(want)+1, bylineCandidate); !slices.Equal(got, want) {
			t.Errorf("%s: matchCandidates found %d elements, MatchAll %d", name, len(got), len(want))
		}
		if len(want) > 1 {
			if got := matchCandidates(root, bylineSel, 1, bylineCandidate); !slices.Equal(got, want[:1]) {
				t.Errorf("%s: max 1: got %d elements", name, len(got))
			}
		}
		if name == "near misses" && len(want) != 7 {
			t.Errorf("near misses: MatchAll found %d, want 7: %s", len(want), strings.Join(texts(want), ","))
		}
	}
}

func texts(nodes []*html.Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, nodeText(n))
	}
	return out
}
