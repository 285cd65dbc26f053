package selectors

import (
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// matchCandidates returns the first max elements under root that sel
// matches, in document order, as sel.MatchAll(root)[:max] would. It runs
// sel only on the elements candidate accepts, so candidate must accept
// every element sel matches: evaluating a selector group of several
// attribute tests on each element of a page, and on the rest of the page
// once max were found, was the cost of a fallback that runs on most pages.
func matchCandidates(root *html.Node, sel cascadia.Selector, max int, candidate func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	walkElements(root, func(n *html.Node) bool {
		if len(out) >= max {
			return false
		}
		if candidate(n) && sel.Match(n) {
			out = append(out, n)
		}
		return true
	})
	return out
}

// bylineCandidate accepts every element bylineSel can match: each of its
// selectors asks, case-sensitively, for "author" or "byline" in a class,
// itemprop or rel attribute.
func bylineCandidate(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "class", "itemprop", "rel":
			if strings.Contains(a.Val, "author") || strings.Contains(a.Val, "byline") {
				return true
			}
		}
	}
	return false
}
