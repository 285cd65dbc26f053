package selectors

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// junkTags never hold article text.
var junkTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Iframe: true,
	atom.Svg: true, atom.Canvas: true, atom.Template: true, atom.Object: true,
	atom.Embed: true, atom.Nav: true, atom.Aside: true, atom.Footer: true,
	atom.Button: true, atom.Input: true, atom.Select: true, atom.Textarea: true,
	atom.Label: true, atom.Dialog: true, atom.Link: true, atom.Meta: true,
	atom.Head: true, atom.Title: true, atom.Audio: true, atom.Video: true,
	atom.Map: true, atom.Math: true,
}

// wrapperTags are removed only when they hold little paragraph text: some
// CMSs (ASP.NET WebForms) wrap the whole page in one <form>, some themes
// the whole article in a <header>.
var wrapperTags = map[atom.Atom]bool{atom.Form: true, atom.Header: true}

// hidden reports whether n is hidden by markup (not by external CSS).
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "style":
			v := strings.ToLower(strings.ReplaceAll(a.Val, " ", ""))
			if strings.Contains(v, "display:none") || strings.Contains(v, "visibility:hidden") {
				return true
			}
		case "role":
			switch a.Val {
			case "navigation", "complementary", "contentinfo", "dialog", "alertdialog", "search", "menu", "menubar":
				return true
			}
		}
	}
	return false
}

// cleaner removes boilerplate from a subtree. Its stats tell how much
// paragraph text each element holds, so a block whose class/id looks like
// boilerplate is kept when it holds most of the page's text.
type cleaner struct {
	st     *statsMap
	total  int32               // paragraph text of the whole subtree
	prose  int32               // text outside links of the whole subtree
	keep   map[*html.Node]bool // ancestors of an explicit article body marker
	strict bool                // remove by class/id hints too (false inside a profile's body)
	hints  hintCache
	text   []byte // raw text of the element tested, reused
}

func newCleaner(root *html.Node, strict bool) *cleaner {
	c := &cleaner{st: newStatsMap(), keep: map[*html.Node]bool{}, strict: strict, hints: hintCache{}}
	rs := c.st.measure(root)
	c.total, c.prose = rs.pChars, rs.chars-rs.linkChars
	walkElements(root, func(n *html.Node) bool {
		if junkTags[n.DataAtom] || hidden(n) {
			return false
		}
		if attr(n, "itemprop") == "articleBody" {
			for a := n; a != nil; a = a.Parent {
				c.keep[a] = true
			}
		}
		return true
	})
	return c
}

// clean removes boilerplate under root (root itself stays) and reports
// whether it removed an element. The stats of root and of every element
// left under it are then those of the cleaned tree: each element whose
// subtree lost something is measured again once its children are done, so
// that the decisions on its siblings and children, taken before, still see
// the page as it came.
func (c *cleaner) clean(root *html.Node) bool {
	changed := false
	for ch := root.FirstChild; ch != nil; {
		next := ch.NextSibling
		switch ch.Type {
		case html.CommentNode:
			root.RemoveChild(ch)
		case html.ElementNode:
			if c.junk(ch) {
				root.RemoveChild(ch)
				changed = true
			} else if c.clean(ch) {
				changed = true
			}
		}
		ch = next
	}
	if changed {
		c.st.remeasure(root)
	}
	return changed
}

func (c *cleaner) junk(n *html.Node) bool {
	// Hidden and script-like elements go even when they hold an article
	// body marker: pages hide a machine-readable copy of the article
	// (microdata with articleBody) beside the visible one.
	if junkTags[n.DataAtom] || hidden(n) {
		return true
	}
	if c.keep[n] {
		return false
	}
	s := c.st.get(n)
	if wrapperTags[n.DataAtom] && s.pChars < 400 {
		return true
	}
	if c.strict {
		if h := c.hints.of(n); h.negative {
			positive := h.positive
			if h.comment && !positive {
				return true
			}
			prose := s.chars - s.linkChars
			// An embed box ("social-media-embed") around a quoted post
			// is part of the story: the quote is what the article cites.
			protected := n.DataAtom == atom.Article || n.DataAtom == atom.Main ||
				quoted(s) ||
				c.total > 0 && s.pChars*2 > c.total ||
				c.total < 500 && prose*2 > c.prose ||
				positive && prose >= 500
			if !protected {
				return true
			}
		}
	}
	// An element with all of its parent's text was judged with the parent.
	return s.chars > 0 && s.chars <= 120 && (n.Parent == nil || c.st.get(n.Parent).chars != s.chars) && c.boilerplate(n)
}

// boilerplate reports whether n's text is a widget label, as
// isBoilerplateText(nodeText(n)); most short texts of a page are tested,
// and most are told apart before their text is cleaned.
func (c *cleaner) boilerplate(n *html.Node) bool {
	c.text = appendRawText(c.text[:0], n)
	return mayBeBoilerplate(c.text) && isBoilerplateText(cleanText(string(c.text)))
}

// walkElements calls f for every element under n in document order; f
// returns false to skip the element's children.
func walkElements(n *html.Node, f func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			if !f(c) {
				continue
			}
		}
		walkElements(c, f)
	}
}
