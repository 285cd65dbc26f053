package selectors

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockTags start a new paragraph in the rendered text.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Dd: true, atom.Details: true, atom.Dialog: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true, atom.Hgroup: true,
	atom.Hr: true, atom.Li: true, atom.Main: true, atom.Nav: true, atom.Ol: true,
	atom.P: true, atom.Pre: true, atom.Section: true, atom.Table: true, atom.Tr: true,
	atom.Ul: true, atom.Summary: true, atom.Caption: true, atom.Tbody: true,
	atom.Thead: true, atom.Tfoot: true, atom.Center: true, atom.Menu: true,
}

// renderer collects paragraphs from a subtree; skip, when set, drops a
// subtree from the output.
type renderer struct {
	paras []string
	buf   []byte // the pending paragraph, reused from one to the next
	skip  func(*html.Node) bool

	// What the pending paragraph is made of, to drop a link standing alone.
	chars, linkChars int32
	inLink, inItem   int  // depth inside <a>; inside list items, cells, headings
	inPre            int  // depth inside <pre>
	afterBr          bool // nothing but white space since a <br>
}

// flush ends the pending paragraph. A short paragraph that is one link and
// nothing else, outside lists, tables and headings, and not a sentence, is
// a pointer to another page (a headline whose "Read also" label was
// removed, a "Subscribe" button) and goes; a quoted sentence that links to
// a share dialog stays.
func (r *renderer) flush() {
	p := normalizeParagraph(string(r.buf))
	loneLink := r.chars > 0 && r.linkChars == r.chars && r.inItem == 0 && len(p) <= 150 && !endsSentence(p) && !urlLike.MatchString(p)
	if p != "" && !loneLink {
		r.paras = append(r.paras, p)
	}
	r.buf = r.buf[:0]
	r.chars, r.linkChars, r.afterBr = 0, 0, false
}

func (r *renderer) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		// Line breaks in the source are white space like any other; only
		// <br> and <pre> break lines in the text.
		if r.inPre == 0 {
			r.buf = appendUnbroken(r.buf, n.Data)
		} else {
			r.buf = append(r.buf, n.Data...)
		}
		c, _ := countText(n.Data)
		r.chars += c
		if r.inLink > 0 {
			r.linkChars += c
		}
		if c > 0 {
			r.afterBr = false
		}
		return
	case html.ElementNode:
		if r.skip != nil && r.skip(n) {
			// Keep words on both sides of a dropped inline element apart.
			r.buf = append(r.buf, ' ')
			return
		}
		switch n.DataAtom {
		case atom.Br:
			// Text set with <br><br> (a blank line) is paragraphs.
			if r.afterBr {
				r.flush()
				return
			}
			r.buf = append(r.buf, '\n')
			r.afterBr = true
			return
		case atom.Td, atom.Th:
			r.buf = append(r.buf, ' ')
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
			return
		}
	case html.DocumentNode:
	default:
		return
	}
	block := n.Type == html.ElementNode && blockTags[n.DataAtom]
	if block {
		r.flush()
	}
	item := itemTags[n.DataAtom]
	if item {
		r.inItem++
	}
	if n.DataAtom == atom.A {
		r.inLink++
	}
	if n.DataAtom == atom.Pre {
		r.inPre++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c)
	}
	if n.DataAtom == atom.A {
		r.inLink--
	}
	if n.DataAtom == atom.Pre {
		r.inPre--
	}
	if block {
		r.flush()
	}
	if item {
		r.inItem--
	}
}

// appendUnbroken appends s to b with its line breaks made spaces.
func appendUnbroken(b []byte, s string) []byte {
	for {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			return append(b, s...)
		}
		b = append(b, s[:i]...)
		b = append(b, ' ')
		s = s[i+1:]
	}
}

// itemTags hold text that may well be a link and nothing else.
var itemTags = map[atom.Atom]bool{
	atom.Li: true, atom.Dt: true, atom.Dd: true, atom.Td: true, atom.Th: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
}

// paragraphs renders the subtrees as paragraphs of normalised text.
func paragraphs(nodes []*html.Node, skip func(*html.Node) bool) []string {
	r := &renderer{skip: skip}
	for _, n := range nodes {
		r.flush()
		r.walk(n)
	}
	r.flush()
	return r.paras
}

// nodeText is the collapsed text of a subtree.
func nodeText(n *html.Node) string {
	return cleanText(string(appendRawText(nil, n)))
}

// appendRawText appends the text of a subtree to b as nodeText reads it,
// before it is cleaned: blocks and <br>s are set apart by spaces.
func appendRawText(b []byte, n *html.Node) []byte {
	switch n.Type {
	case html.TextNode:
		return append(b, n.Data...)
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template:
			return b
		case atom.Br:
			b = append(b, ' ')
		}
	}
	block := n.Type == html.ElementNode && blockTags[n.DataAtom]
	if block {
		b = append(b, ' ')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b = appendRawText(b, c)
	}
	if block {
		b = append(b, ' ')
	}
	return b
}

// attr returns the value of n's attribute key, "" if absent.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
