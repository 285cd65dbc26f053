package selectors

import (
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// classWeight scores class/id hints as Readability does: +25 for an
// article-like name, -25 for a boilerplate-like one.
func classWeight(n *html.Node, hc hintCache) float64 {
	h := hc.of(n)
	w := 0.0
	if h.negative {
		w -= 25
	}
	if h.positive {
		w += 25
	}
	if attr(n, "itemprop") == "articleBody" {
		w += 50
	}
	return w
}

func tagWeight(n *html.Node) float64 {
	switch n.DataAtom {
	case atom.Div, atom.Article, atom.Section, atom.Main:
		return 5
	case atom.Pre, atom.Td, atom.Blockquote:
		return 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		return -3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		return -5
	}
	return 0
}

// paragraphLike reports whether n is scored as a paragraph, and the stats
// of its own inline text. Divs that hold text directly count as paragraphs:
// many sites write articles as text and <br>s in a div.
func paragraphLike(n *html.Node, st *statsMap) (textStats, bool) {
	switch n.DataAtom {
	case atom.P, atom.Pre, atom.Td:
		return st.get(n), true
	case atom.Div, atom.Section, atom.Article, atom.Blockquote, atom.Li, atom.Dd:
		var s textStats
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				ch, co := countText(c.Data)
				s.chars += ch
				s.commas += co
			case c.Type == html.ElementNode && !blockTags[c.DataAtom]:
				cs := st.get(c)
				s.chars += cs.chars
				s.commas += cs.commas
				s.linkChars += cs.linkChars
				if c.DataAtom == atom.A {
					s.linkChars += cs.chars - cs.linkChars
				}
			}
		}
		return s, s.chars >= 20
	}
	return textStats{}, false
}

type candidate struct {
	node  *html.Node
	score float64
}

// generic finds the article body under root, which it cleans in place, and
// returns the nodes holding it, with the class/id hints and the stats of
// the cleaned tree for pruneContent; the caller releases the stats.
func generic(root *html.Node) ([]*html.Node, hintCache, *statsMap) {
	cl := newCleaner(root, true)
	cl.clean(root)
	hc := cl.hints
	st := cl.st

	scores := map[*html.Node]*candidate{}
	var order []*candidate
	walkElements(root, func(n *html.Node) bool {
		s, ok := paragraphLike(n, st)
		if !ok || s.chars < 20 {
			return true
		}
		// A paragraph that is mostly a link is a teaser, not prose.
		if s.linkDensity() > 0.5 {
			return true
		}
		score := 1 + float64(s.commas) + min(float64(s.chars)/90, 3)
		level := 0
		for a := n.Parent; a != nil && a.Type == html.ElementNode && level < 5; a = a.Parent {
			c := scores[a]
			if c == nil {
				c = &candidate{node: a, score: tagWeight(a) + classWeight(a, hc)}
				scores[a] = c
				order = append(order, c)
			}
			switch level {
			case 0:
				c.score += score
			case 1:
				c.score += score / 2
			default:
				c.score += score / float64(level*3)
			}
			level++
		}
		return true
	})
	if len(order) == 0 {
		return []*html.Node{root}, hc, st
	}
	for _, c := range order {
		c.score *= 1 - st.get(c.node).linkDensity()
	}
	sorted := append([]*candidate(nil), order...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].score > sorted[j].score })
	top := sorted[0]
	top = widen(top, sorted, scores, root)
	top = preferMarker(top, root, st, scores)

	// Siblings of the top candidate that look like more of the article
	// (articles split by ads or widgets into several blocks) join it.
	parent := top.node.Parent
	if parent == nil || top.node == root {
		return []*html.Node{top.node}, hc, st
	}
	threshold := max(10, top.score*0.2)
	topClass := attr(top.node, "class")
	var out []*html.Node
	for c := parent.FirstChild; c != nil; c = c.NextSibling {
		if c == top.node {
			out = append(out, c)
			continue
		}
		if c.Type != html.ElementNode {
			continue
		}
		bonus := 0.0
		if topClass != "" && attr(c, "class") == topClass {
			bonus = top.score * 0.2
		}
		if sc := scores[c]; sc != nil && sc.score+bonus >= threshold {
			out = append(out, c)
			continue
		}
		if c.DataAtom == atom.P || c.DataAtom == atom.Blockquote || c.DataAtom == atom.Ul || c.DataAtom == atom.Ol {
			s := st.get(c)
			ld := s.linkDensity()
			if s.chars > 80 && ld < 0.25 || s.chars > 0 && s.chars <= 80 && ld == 0 && endsSentence(nodeText(c)) {
				out = append(out, c)
			}
		}
	}
	return out, hc, st
}

// preferMarker returns the page's own article body marker
// (itemprop=articleBody, after hidden copies were cleaned away) instead of
// top when it holds a comparable share of prose: the publisher knows where
// its article is better than any score, but some mark only a lead or a
// wrapper, so the marker must hold real text.
func preferMarker(top *candidate, root *html.Node, st *statsMap, scores map[*html.Node]*candidate) *candidate {
	var best *html.Node
	bestProse := int32(0)
	walkElements(root, func(n *html.Node) bool {
		if attr(n, "itemprop") != "articleBody" {
			return true
		}
		s := st.get(n)
		if p := s.chars - s.linkChars; p > bestProse && s.linkDensity() < 0.5 {
			best, bestProse = n, p
		}
		return false
	})
	if best == nil || best == top.node || bestProse < 200 {
		return top
	}
	ts := st.get(top.node)
	if !isAncestor(best, top.node) && float64(bestProse) < 0.6*float64(ts.chars-ts.linkChars) {
		return top
	}
	if c := scores[best]; c != nil {
		return c
	}
	return &candidate{node: best, score: top.score}
}

// widen moves from the best-scored node to the ancestor that holds the
// article when the text is spread over several similarly scored blocks.
func widen(top *candidate, sorted []*candidate, scores map[*html.Node]*candidate, root *html.Node) *candidate {
	var alts []*html.Node
	for _, c := range sorted[1:min(len(sorted), 5)] {
		if c.score >= top.score*0.75 {
			alts = append(alts, c.node)
		}
	}
	if len(alts) >= 3 {
		for a := top.node.Parent; a != nil && a != root; a = a.Parent {
			n := 0
			for _, alt := range alts {
				if isAncestor(a, alt) {
					n++
				}
			}
			if n >= 3 {
				if c := scores[a]; c != nil {
					top = c
				} else {
					top = &candidate{node: a, score: top.score}
				}
				break
			}
		}
	}
	// Climb while the parent scores higher: the top node was one section.
	last := top.score
	for a := top.node.Parent; a != nil && a != root; a = a.Parent {
		c := scores[a]
		if c == nil {
			continue
		}
		if c.score < top.score/3 {
			break
		}
		if c.score > last {
			top = c
			break
		}
		last = c.score
	}
	for top.node.Parent != nil && top.node.Parent != root && onlyElementChild(top.node) {
		p := top.node.Parent
		if c := scores[p]; c != nil {
			top = c
		} else {
			top = &candidate{node: p, score: top.score}
		}
	}
	return top
}

func isAncestor(a, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

func onlyElementChild(n *html.Node) bool {
	for c := n.Parent.FirstChild; c != nil; c = c.NextSibling {
		if c != n && (c.Type == html.ElementNode || c.Type == html.TextNode && strings.TrimSpace(c.Data) != "") {
			return false
		}
	}
	return true
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, " ”\"'»)")
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "…")
}

// pruneContent removes, inside the chosen article nodes, the blocks that
// are lists of links, image strips or widgets rather than prose (after
// Readability's "clean conditionally"). st holds the stats of the nodes'
// subtrees as they are.
func pruneContent(nodes []*html.Node, hc hintCache, st *statsMap) {
	// Children are judged first; what they lose is taken off their
	// parent's stats, so a sentence that held a removed widget is judged
	// on its own words.
	var prune func(n *html.Node) textStats
	prune = func(n *html.Node) textStats {
		var lost textStats
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.ElementNode {
				s := st.get(c).minus(prune(c))
				if weak(c, s, hc) {
					n.RemoveChild(c)
					lost = lost.plus(st.get(c))
				} else {
					lost = lost.plus(st.get(c).minus(s))
				}
			}
			c = next
		}
		return lost
	}
	for _, n := range nodes {
		prune(n)
	}
}

func weak(n *html.Node, s textStats, hc hintCache) bool {
	switch n.DataAtom {
	case atom.Figure, atom.Figcaption, atom.H1:
		return true
	case atom.A:
		return false
	}
	// A cluster of links with hardly a word of its own is a widget even
	// when inline: a hover card of a person's latest headlines inside a
	// sentence, a row of topic links.
	if s.links >= 3 && s.linkDensity() > 0.8 {
		return true
	}
	switch n.DataAtom {
	case atom.Div, atom.Section, atom.Ul, atom.Ol, atom.Table, atom.Dl, atom.Blockquote, atom.P:
	default:
		return false
	}
	if s.chars == 0 {
		return false
	}
	if quoted(s) {
		return false
	}
	w := classWeight(n, hc)
	if w < 0 {
		return true
	}
	if s.commas >= 10 {
		return false
	}
	list := n.DataAtom == atom.Ul || n.DataAtom == atom.Ol
	ld := s.linkDensity()
	// A paragraph or quote with a sentence of its own around its links is
	// prose that cites (an embedded post, "convicted and <a>sentenced to
	// life</a>."); one that is only a link and a label is a teaser. A box
	// around one or two paragraphs is judged as they are.
	if n.DataAtom == atom.P || n.DataAtom == atom.Blockquote || s.paras > 0 && s.paras <= 2 && s.pAll*10 >= s.chars*9 {
		return ld > 0.5 && s.chars-s.linkChars < 40 || ld > 0.9
	}
	switch {
	case s.imgs > 1 && float64(s.paras)/float64(s.imgs) < 0.5 && s.chars < 200:
		return true
	case !list && n.DataAtom != atom.P && s.lis > s.paras && ld > 0.3:
		return true
	case s.inputs > s.paras/3+1:
		return true
	case ld > 0.5:
		return true
	case w < 25 && ld > 0.25 && s.chars < 300:
		return true
	}
	return false
}

// quoted reports whether a block is mostly a quotation, such as an embedded
// post the article cites, which its embed box's class must not condemn.
func quoted(s textStats) bool {
	return s.quoteChars >= 60 && s.quoteChars*2 > s.chars-s.linkChars
}
