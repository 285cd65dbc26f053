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

// negativeHints are substrings of class/id values of boilerplate blocks,
// in English and the transliterations some Russian, Portuguese, German and
// Spanish sites use. "paywall" is not one: a paywall wrapper holds the rest
// of the article, and the subscription prompt is caught by its text.
//
// Plain substrings, not one regexp: matching them is most of the cleaning
// cost otherwise.
var negativeHints = []string{
	"comment", "disqus", "respond", "replies", "share", "sharing", "social", "related",
	"recommend", "newsletter", "subscri", "promo", "sidebar", "breadcrumb", "rating",
	"popup", "modal", "cookie", "consent", "advert", "sponsor", "banner", "outbrain",
	"taboola", "readmore", "read-more", "morestories", "more-stories",
	"more-news", "more-articles", "mostpopular", "most-popular", "most-read", "mostread",
	"trending", "taglist", "tag-list", "authorbio", "author-bio", "author-info",
	"author-box", "byline", "caption", "footer", "masthead", "menu", "navbar",
	"pagination", "toolbar", "orfo", "reklama", "kommentar",
	"werbung", "publicidad", "anuncio", "adsense", "dfp", "gpt-", "skiplink", "skip-link",
	"rodape", "cabecalho", "pie-de-pagina", "fusszeile", "podval", "signup", "sign-up",
	"donate", "visually-hidden", "visuallyhidden", "sr-only", "metadata", "meta-data",
	"article-meta", "post-meta", "entry-meta", "timestamp", "dateline",
	"copyright", "disclaimer", "also-read", "alsoread", "see-also",
	"carousel", "slider", "lightbox", "video-player", "jwplayer", "jw-player",
}

// negativeWords are hints that as substrings would match content names:
// "ad" in "header", "typo" in "typography", "pager" in "pageRow". They
// match whole words of the class/id ("ad-slot", "top_ad", "tags").
var negativeWords = map[string]bool{
	"tag": true, "tags": true, "ad": true, "ads": true, "date": true, "time": true,
	"pager": true, "print": true, "typo": true, "poll": true, "polls": true,
	"survey": true, "quiz": true, "embed": true, "credit": true, "credits": true,
}

func negativeHint(lower string) bool {
	for _, h := range negativeHints {
		if strings.Contains(lower, h) {
			return true
		}
	}
	return anyWord(lower, negativeWords)
}

// anyWord reports whether a run of ASCII letters, digits and _ in s is in
// words; anything else separates words, as \b does in a regexp.
func anyWord(s string, words map[string]bool) bool {
	start := -1
	for i := 0; i <= len(s); i++ {
		word := i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9' || s[i] >= 'A' && s[i] <= 'Z' || s[i] == '_')
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			if words[s[start:i]] {
				return true
			}
			start = -1
		}
	}
	return false
}

// positiveHints are substrings of class/id values of article containers.
var positiveHints = []string{
	"article", "body", "content", "entry", "main", "post", "story", "text", "blog",
	"column", "newsdetail", "news-detail", "materia", "statya", "nachricht", "noticia", "artikel",
}

// commentHints mark comment threads, which can outweigh the article in
// paragraph text and so must not be protected by their size.
var commentHints = []string{"comment", "disqus", "respond", "replies", "kommentar"}

func containsAny(s string, subs []string) bool {
	for _, h := range subs {
		if strings.Contains(s, h) {
			return true
		}
	}
	return false
}

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
	if s.chars > 0 && s.chars <= 120 && (n.Parent == nil || c.st.get(n.Parent).chars != s.chars) && isBoilerplateText(nodeText(n)) {
		return true
	}
	return false
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

// taxonomyPrefixes mark class tokens that name the post's category, tags or
// format (WordPress "tag-social", "category-advertising"): they describe the
// content, not the block's role.
var taxonomyPrefixes = []string{"tag-", "tags-", "category-", "cat-", "topic-", "format-", "has-", "section-", "postid-", "type-", "status-", "sharing-", "subject-", "keyword-"}

// hints is n's class and id with taxonomy tokens dropped, the string the
// class/id hints are tested on.
func hints(n *html.Node) string {
	ci := classID(n)
	if ci == "" || !strings.Contains(ci, "-") {
		return ci
	}
	fields := strings.Fields(ci)
	out := fields[:0]
	for _, f := range fields {
		lf := strings.ToLower(f)
		tax := false
		for _, p := range taxonomyPrefixes {
			if strings.HasPrefix(lf, p) {
				tax = true
				break
			}
		}
		if !tax {
			out = append(out, f)
		}
	}
	return strings.Join(out, " ")
}

// hintFlags is what the class/id hints say about an element.
type hintFlags struct{ negative, positive, comment bool }

// hintCache memoises hint matching per class/id string: pages repeat the
// same classes hundreds of times and the hint regexps are large.
type hintCache map[string]hintFlags

func (c hintCache) of(n *html.Node) hintFlags {
	ci := hints(n)
	if ci == "" {
		return hintFlags{}
	}
	if h, ok := c[ci]; ok {
		return h
	}
	l := strings.ToLower(ci)
	h := hintFlags{
		negative: negativeHint(l),
		positive: containsAny(l, positiveHints),
		comment:  containsAny(l, commentHints),
	}
	c[ci] = h
	return h
}
