package selectors

import (
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// matchAttributed returns the first max elements under root that sel
// matches, in document order, as sel.MatchAll(root)[:max] would. It runs
// sel only on elements that carry one of attrs, so sel must match no
// element without them; most elements of a page have none, and evaluating
// a selector group of several attribute tests on each of them, and on the
// rest of the page once max were found, was the cost of a fallback that
// runs on most pages.
func matchAttributed(root *html.Node, sel cascadia.Selector, max int, attrs []string) []*html.Node {
	var out []*html.Node
	walkElements(root, func(n *html.Node) bool {
		if len(out) >= max {
			return false
		}
		if hasAnyAttr(n, attrs) && sel.Match(n) {
			out = append(out, n)
		}
		return true
	})
	return out
}

func hasAnyAttr(n *html.Node, keys []string) bool {
	for _, a := range n.Attr {
		for _, k := range keys {
			if a.Key == k {
				return true
			}
		}
	}
	return false
}
