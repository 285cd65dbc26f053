package selectors

import (
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// textStats summarises a subtree. Lengths count non-space runes, so that
// white-space-heavy markup does not weigh in. int32 keeps the table of a
// large page small.
type textStats struct {
	chars      int32 // all text
	linkChars  int32 // text inside <a>
	links      int32 // <a> elements
	pChars     int32 // text inside <p>, minus its links
	pAll       int32 // text inside <p>, links included
	commas     int32
	paras      int32 // <p> elements
	imgs       int32
	lis        int32
	inputs     int32
	headings   int32 // text inside h1-h6
	quoteChars int32 // text inside <blockquote>, minus its links
}

// statsMap holds the stats of every element of a subtree. The stats live in
// one slice and the map holds only indexes: a map of the stats themselves
// was a quarter of all the memory extraction allocated.
type statsMap struct {
	idx map[*html.Node]int32
	s   []textStats
}

// statsPool recycles the tables between pages: they are the largest
// allocation of extraction after the parse tree.
var statsPool = sync.Pool{New: func() any {
	return &statsMap{idx: make(map[*html.Node]int32, 1024), s: make([]textStats, 0, 1024)}
}}

// newStatsMap returns an empty table; give it back with release.
func newStatsMap() *statsMap {
	m := statsPool.Get().(*statsMap)
	clear(m.idx)
	m.s = m.s[:0]
	return m
}

// release returns m to the pool; m must not be used after.
func (m *statsMap) release() {
	if len(m.s) <= 1<<16 {
		clear(m.idx) // drop node pointers so a pooled table keeps no page alive
		statsPool.Put(m)
	}
}

// get returns n's stats, zero when n was not measured.
func (m *statsMap) get(n *html.Node) textStats {
	if i, ok := m.idx[n]; ok {
		return m.s[i]
	}
	return textStats{}
}

// measure computes the stats of n and of every element under it.
func (m *statsMap) measure(n *html.Node) textStats { return m.walk(n, false) }

// measureRest is measure for a tree that has not changed since some of
// its subtrees were measured: their stats are taken as they are.
func (m *statsMap) measureRest(n *html.Node) textStats { return m.walk(n, true) }

func (m *statsMap) walk(n *html.Node, reuse bool) textStats {
	if reuse {
		if i, ok := m.idx[n]; ok {
			return m.s[i]
		}
	}
	var s textStats
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			s.addText(c.Data)
		case html.ElementNode:
			s.addChild(c, m.walk(c, reuse))
		}
	}
	m.set(n, s)
	return s
}

// remeasure recomputes n's stats from its children's, which must be
// current: after elements were removed under n, only n and its ancestors
// need measuring again, not the subtrees that did not change.
func (m *statsMap) remeasure(n *html.Node) {
	var s textStats
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			s.addText(c.Data)
		case html.ElementNode:
			s.addChild(c, m.get(c))
		}
	}
	m.set(n, s)
}

func (m *statsMap) set(n *html.Node, s textStats) {
	if i, ok := m.idx[n]; ok {
		m.s[i] = s
	} else {
		m.idx[n] = int32(len(m.s))
		m.s = append(m.s, s)
	}
}

func (s *textStats) addText(text string) {
	chars, commas := countText(text)
	s.chars += chars
	s.commas += commas
}

// addChild adds the stats cs of the child element c.
func (s *textStats) addChild(c *html.Node, cs textStats) {
	s.chars += cs.chars
	s.commas += cs.commas
	s.paras += cs.paras
	s.imgs += cs.imgs
	s.lis += cs.lis
	s.inputs += cs.inputs
	s.linkChars += cs.linkChars
	s.links += cs.links
	s.pChars += cs.pChars
	s.pAll += cs.pAll
	s.headings += cs.headings
	s.quoteChars += cs.quoteChars
	switch c.DataAtom {
	case atom.A:
		s.linkChars += cs.chars - cs.linkChars
		s.links++
	case atom.P:
		s.paras++
		s.pChars += cs.chars - cs.linkChars - cs.pChars
		s.pAll += cs.chars - cs.pAll
	case atom.Img, atom.Picture:
		s.imgs++
	case atom.Li:
		s.lis++
	case atom.Input, atom.Textarea, atom.Select, atom.Button:
		s.inputs++
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		s.headings += cs.chars - cs.headings
	case atom.Blockquote:
		s.quoteChars += cs.chars - cs.linkChars - cs.quoteChars
	}
}

func (s textStats) plus(o textStats) textStats {
	return textStats{
		chars: s.chars + o.chars, linkChars: s.linkChars + o.linkChars, links: s.links + o.links,
		pChars: s.pChars + o.pChars, pAll: s.pAll + o.pAll, commas: s.commas + o.commas, paras: s.paras + o.paras,
		imgs: s.imgs + o.imgs, lis: s.lis + o.lis, inputs: s.inputs + o.inputs,
		headings: s.headings + o.headings, quoteChars: s.quoteChars + o.quoteChars,
	}
}

// minus takes o, a part of s that was removed, off s.
func (s textStats) minus(o textStats) textStats {
	r := textStats{
		chars: s.chars - o.chars, linkChars: s.linkChars - o.linkChars, links: s.links - o.links,
		pChars: s.pChars - o.pChars, pAll: s.pAll - o.pAll, commas: s.commas - o.commas, paras: s.paras - o.paras,
		imgs: s.imgs - o.imgs, lis: s.lis - o.lis, inputs: s.inputs - o.inputs,
		headings: s.headings - o.headings, quoteChars: s.quoteChars - o.quoteChars,
	}
	r.linkChars = max(0, min(r.linkChars, r.chars))
	return r
}

func (s textStats) linkDensity() float64 {
	if s.chars == 0 {
		return 0
	}
	return float64(s.linkChars) / float64(s.chars)
}
