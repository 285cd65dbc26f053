package selectors

import (
	"net/url"
	"regexp"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsvault/newsvault/archive"
)

// datedPathRe matches the /2024/05/17/ style of article paths.
var datedPathRe = regexp.MustCompile(`/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])/(?:(?:0?[1-9]|[12]\d|3[01])/)?[^/]`)

// IsArticle reports whether the page at u is an article rather than a
// section, index or tag page. A profile with article_urls decides by the URL
// alone; otherwise the page's markup and prose decide. It does not modify
// doc.
func (s *Set) IsArticle(doc *goquery.Document, u *url.URL) bool {
	if p := s.profileFor(u); p != nil && len(p.articleURLs) > 0 {
		target := u.EscapedPath()
		if u.RawQuery != "" {
			target += "?" + u.RawQuery
		}
		for _, re := range p.articleURLs {
			if re.MatchString(target) {
				return true
			}
		}
		return false
	}
	if doc == nil || len(doc.Nodes) == 0 {
		return false
	}
	root := doc.Nodes[0]
	claimed := claimsArticle(root, u)
	// One stats table serves the body's link density and hasProse, which
	// then measures only what lies outside the body.
	st := newStatsMap()
	defer st.release()
	if st.measure(bodyOf(root)).linkDensity() > MaxLinkDensity {
		// A section, index or link farm, whatever it claims; unless it
		// claims to be an article and holds the prose of one: news pages
		// often carry more teaser links than article text (4 of the 181
		// real pages of the zyte benchmark do).
		return claimed && hasProse(root, st)
	}
	return claimed || hasProse(root, st)
}

// claimsArticle reports whether the page's metadata or URL says it is an
// article: a JSON-LD article type, og:type article or a dated path.
func claimsArticle(root *html.Node, u *url.URL) bool {
	m := readMeta(root)
	for _, t := range m.ldTypes {
		if articleTypes[t] {
			return true
		}
	}
	if m.first("og:type") == "article" {
		return true
	}
	return u != nil && datedPathRe.MatchString(u.Path)
}

// MinTextLen and MaxLinkDensity are the no_article thresholds of a crawl:
// a page whose extracted text is shorter than MinTextLen characters (a
// cookie wall, a paywall stub, a soft 404 answered 200) is Thin, and a page
// whose visible text is more than MaxLinkDensity links is not IsArticle.
const (
	MinTextLen     = 250
	MaxLinkDensity = 0.5
)

// Thin reports whether an extracted article has too little text to be
// archived: fewer than MinTextLen characters. Extract itself keeps short
// texts (a brief may be short); the crawl asks Thin before saving.
func (s *Set) Thin(a *archive.Article) bool {
	return utf8.RuneCountInString(a.Text) < MinTextLen
}

// hasProse reports whether the page holds at least three paragraphs of
// real prose, over 500 characters, outside link-heavy blocks. st may hold
// the stats of subtrees of root already.
func hasProse(root *html.Node, st *statsMap) bool {
	st.measureRest(root)
	paras, chars := 0, int32(0)
	walkElements(root, func(n *html.Node) bool {
		if junkTags[n.DataAtom] {
			return false
		}
		s, ok := paragraphLike(n, st)
		if !ok {
			return true
		}
		if n.DataAtom != atom.P {
			// Text set with <br>s in a div: count it by its length, as
			// paragraphs of a few hundred characters.
			if s.chars < 400 || s.linkDensity() >= 0.3 || inLinkList(n, st) {
				return true
			}
			paras += int(s.chars / 200)
			chars += s.chars
			return true
		}
		if s.chars >= 80 && s.linkDensity() < 0.3 && !inLinkList(n, st) {
			paras++
			chars += s.chars
		}
		return false
	})
	return paras >= 3 && chars > 500
}

// inLinkList reports whether n sits in a list item or a block that is
// mostly links (a teaser card's blurb), looking up to three levels. A
// block of mostly prose around n (an <article>) ends the search: the link
// rail beside it, under the same <main>, says nothing of n.
func inLinkList(n *html.Node, st *statsMap) bool {
	own := st.get(n).chars
	for a, i := n.Parent, 0; a != nil && i < 3; a, i = a.Parent, i+1 {
		s := st.get(a)
		if a.DataAtom == atom.Li || s.linkDensity() > 0.4 {
			return true
		}
		if s.chars >= 3*own && s.linkDensity() < 0.2 {
			return false
		}
	}
	return false
}
