package selectors

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what the page says about itself outside the body: <meta>,
// <link>, <html lang> and JSON-LD, read once before the body is cleaned.
type pageMeta struct {
	meta       map[string][]string // lower-cased name/property/itemprop/http-equiv -> contents
	canonical  string
	lang       string
	title      string // <title>
	relAuthors []string
	relTags    []string
	ld         ldArticle
	ldTypes    []string
	times      []string // datetime of <time> elements
}

func (m *pageMeta) first(keys ...string) string {
	for _, k := range keys {
		for _, v := range m.meta[k] {
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return ""
}

// firstKey is first that also tells which key gave the value ("" for none).
func (m *pageMeta) firstKey(keys ...string) (key, value string) {
	for _, k := range keys {
		for _, v := range m.meta[k] {
			if v = strings.TrimSpace(v); v != "" {
				return k, v
			}
		}
	}
	return "", ""
}

// readMeta collects metadata from the whole document.
func readMeta(root *html.Node) *pageMeta {
	m := &pageMeta{meta: map[string][]string{}}
	walkElements(root, func(n *html.Node) bool {
		switch n.DataAtom {
		case atom.Html:
			m.lang = attr(n, "lang")
			if m.lang == "" {
				m.lang = attr(n, "xml:lang")
			}
		case atom.Title:
			if m.title == "" {
				m.title = nodeText(n)
			}
			return false
		case atom.Meta:
			content := attr(n, "content")
			if content == "" {
				content = attr(n, "datetime")
			}
			for _, k := range []string{"name", "property", "itemprop", "http-equiv"} {
				if v := attr(n, k); v != "" {
					key := strings.ToLower(strings.TrimSpace(v))
					m.meta[key] = append(m.meta[key], content)
				}
			}
		case atom.Link:
			rel := attr(n, "rel")
			if hasToken(rel, "canonical") && m.canonical == "" {
				m.canonical = attr(n, "href")
			}
		case atom.A:
			rel := attr(n, "rel")
			if hasToken(rel, "author") {
				m.relAuthors = append(m.relAuthors, nodeText(n))
			}
			if hasToken(rel, "tag") {
				m.relTags = append(m.relTags, nodeText(n))
			}
		case atom.Time:
			if dt := attr(n, "datetime"); dt != "" {
				m.times = append(m.times, dt)
			}
		case atom.Script:
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
				m.readLD(n.FirstChild.Data)
			}
			return false
		case atom.Style:
			return false
		}
		return true
	})
	return m
}

// hasToken reports whether a white-space separated token of list, lower
// cased, is tok. It runs on every link of a page, most with no rel or a
// short ASCII one, so it allocates nothing for those.
func hasToken(list, tok string) bool {
	for f := range strings.FieldsSeq(list) {
		if isASCII(f) && strings.EqualFold(f, tok) || !isASCII(f) && strings.ToLower(f) == tok {
			return true
		}
	}
	return false
}

func isASCII(s string) bool { return asciiPrefix(s) == len(s) }

var langRe = regexp.MustCompile(`^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$`)

// language normalises a language tag to its primary subtag, "" if unknown.
func language(m *pageMeta) string {
	for _, v := range []string{m.lang, m.first("og:locale", "content-language", "language", "dc.language", "inlanguage"), m.ld.Language} {
		v = strings.TrimSpace(strings.SplitN(v, ",", 2)[0])
		if s := langRe.FindStringSubmatch(v); s != nil {
			return strings.ToLower(s[1])
		}
	}
	return ""
}

// resolve makes ref absolute against base; "" if ref is empty or unusable.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "javascript:") {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		r = base.ResolveReference(r)
	}
	if !r.IsAbs() {
		return ""
	}
	return r.String()
}

// splitList splits a keyword list on commas and semicolons.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' })
}

// dedupe cleans and dedupes values case-insensitively, keeping order.
func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range in {
		v = strings.Trim(cleanText(v), "#,;")
		v = strings.TrimSpace(v)
		k := strings.ToLower(v)
		if v == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, v)
	}
	return out
}

// ldArticle is the part of a JSON-LD Article the extractor uses.
type ldArticle struct {
	Headline      string
	Authors       []string
	DatePublished string
	DateModified  string
	Keywords      []string
	Image         string
	Body          string
	Language      string
	Description   string
}

var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenews": true, "blogposting": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "reviewnewsarticle": true,
	"backgroundnewsarticle": true, "scholarlyarticle": true, "techarticle": true,
	"liveblogposting": true, "socialmediaposting": true, "report": true,
}

// readLD reads one JSON-LD script; the first article-typed object wins.
func (m *pageMeta) readLD(src string) {
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(src)), &v); err != nil {
		return
	}
	m.walkLD(v, 0)
}

func (m *pageMeta) walkLD(v any, depth int) {
	if depth > 6 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			m.walkLD(e, depth+1)
		}
	case map[string]any:
		isArticle := false
		for _, t := range ldStrings(x["@type"]) {
			t = strings.ToLower(t)
			m.ldTypes = append(m.ldTypes, t)
			isArticle = isArticle || articleTypes[t]
		}
		if isArticle && m.ld.Headline == "" && m.ld.Body == "" && m.ld.DatePublished == "" {
			m.ld = ldArticle{
				Headline:      ldString(x["headline"]),
				Authors:       ldNames(x["author"]),
				DatePublished: ldString(x["datePublished"]),
				DateModified:  ldString(x["dateModified"]),
				Keywords:      ldKeywords(x["keywords"]),
				Image:         ldURL(x["image"]),
				Body:          ldString(x["articleBody"]),
				Language:      ldString(x["inLanguage"]),
				Description:   ldString(x["description"]),
			}
		}
		for _, k := range []string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if g, ok := x[k]; ok {
				m.walkLD(g, depth+1)
			}
		}
	}
}

func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		if len(x) > 0 {
			return ldString(x[0])
		}
	case map[string]any:
		if s, ok := x["@value"].(string); ok {
			return s
		}
	}
	return ""
}

func ldStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func ldNames(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, ldNames(e)...)
		}
		return out
	case map[string]any:
		if s := ldString(x["name"]); s != "" {
			return []string{s}
		}
	}
	return nil
}

func ldKeywords(v any) []string {
	switch x := v.(type) {
	case string:
		return splitList(x)
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, ldKeywords(e)...)
		}
		return out
	case map[string]any:
		return ldKeywords(x["name"])
	}
	return nil
}

func ldURL(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		for _, e := range x {
			if s := ldURL(e); s != "" {
				return s
			}
		}
	case map[string]any:
		if s := ldString(x["url"]); s != "" {
			return s
		}
		return ldString(x["contentUrl"])
	}
	return ""
}
