package selectors

import (
	"strings"

	"golang.org/x/net/html"
)

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

// hintWord is a word of negativeHints, positiveHints or commentHints and
// the flag it raises.
type hintWord struct {
	word  string
	flags hintFlags
}

// hintIndex holds the hint words by their first byte, so that one pass over
// a class/id string tries at each position only the few words that can
// start there: a strings.Contains per word and list made hint matching
// most of the cleaning cost.
type hintIndex [256][]hintWord

var hintWords = func() *hintIndex {
	var x hintIndex
	add := func(words []string, f hintFlags) {
		for _, w := range words {
			x[w[0]] = append(x[w[0]], hintWord{w, f})
		}
	}
	add(negativeHints, hintFlags{negative: true})
	add(positiveHints, hintFlags{positive: true})
	add(commentHints, hintFlags{comment: true})
	return &x
}()

// match tells which lists have a word in lower, and negativeWords too.
func (x *hintIndex) match(lower string) hintFlags {
	var h hintFlags
	for i := 0; i < len(lower); i++ {
		for _, w := range x[lower[i]] {
			// The last byte first: most candidates fail on it, cheaper
			// than a string comparison.
			end := i + len(w.word)
			if end <= len(lower) && lower[end-1] == w.word[len(w.word)-1] && lower[i:end] == w.word {
				h.negative = h.negative || w.flags.negative
				h.positive = h.positive || w.flags.positive
				h.comment = h.comment || w.flags.comment
			}
		}
	}
	h.negative = h.negative || anyWord(lower, negativeWords)
	return h
}

// taxonomyPrefixes mark class tokens that name the post's category, tags or
// format (WordPress "tag-social", "category-advertising"): they describe the
// content, not the block's role.
var taxonomyPrefixes = []string{"tag-", "tags-", "category-", "cat-", "topic-", "format-", "has-", "section-", "postid-", "type-", "status-", "sharing-", "subject-", "keyword-"}

// withoutTaxonomy is a class or id value with its taxonomy tokens dropped,
// the string the class/id hints are tested on. White space between tokens
// may be left as it was: no hint spans it.
func withoutTaxonomy(v string) string {
	if !strings.Contains(v, "-") || !hasTaxonomy(v) {
		return v
	}
	var out []string
	for f := range strings.FieldsSeq(v) {
		if !isTaxonomy(f) {
			out = append(out, f)
		}
	}
	return strings.Join(out, " ")
}

func hasTaxonomy(v string) bool {
	for f := range strings.FieldsSeq(v) {
		if isTaxonomy(f) {
			return true
		}
	}
	return false
}

// isTaxonomy reports whether a class token, lower-cased, starts with one of
// taxonomyPrefixes, without lower-casing an ASCII token into a new string.
func isTaxonomy(f string) bool {
	ascii := isASCII(f)
	if !ascii {
		f = strings.ToLower(f)
	}
	for _, p := range taxonomyPrefixes {
		if ascii && len(f) >= len(p) && strings.EqualFold(f[:len(p)], p) || !ascii && strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// hintFlags is what the class/id hints say about an element.
type hintFlags struct{ negative, positive, comment bool }

func (h hintFlags) or(o hintFlags) hintFlags {
	return hintFlags{h.negative || o.negative, h.positive || o.positive, h.comment || o.comment}
}

// hintCache memoises hint matching per class value and per id value. No
// hint spans white space, and a taxonomy token always holds a "-", so what
// the class and id say together is what each says alone: keyed by each
// value, a cache serves the classes a page repeats hundreds of times even
// on elements whose id is unique. A hit builds no string.
type hintCache map[string]hintFlags

func (c hintCache) of(n *html.Node) hintFlags {
	return c.value(attr(n, "class")).or(c.value(attr(n, "id")))
}

func (c hintCache) value(v string) hintFlags {
	if v == "" {
		return hintFlags{}
	}
	if h, ok := c[v]; ok {
		return h
	}
	h := hintWords.match(strings.ToLower(withoutTaxonomy(v)))
	c[v] = h
	return h
}
