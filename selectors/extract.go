package selectors

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"

	"github.com/newsvault/newsvault/archive"
)

// ErrNoContent is returned by Extract when a page has no article text.
var ErrNoContent = errors.New("no article content")

// ExtractHTML parses UTF-8 HTML from r and extracts the article as Extract
// does.
func (s *Set) ExtractHTML(r io.Reader, u *url.URL) (archive.Article, error) {
	var buf bytes.Buffer
	if l, ok := r.(interface{ Len() int }); ok {
		buf.Grow(l.Len() + bytes.MinRead) // one allocation for in-memory pages
	}
	if _, err := buf.ReadFrom(r); err != nil {
		return archive.Article{}, fmt.Errorf("read html: %w", err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(stripRawText(buf.Bytes())))
	if err != nil {
		return archive.Article{}, fmt.Errorf("parse html: %w", err)
	}
	return s.Extract(doc, u)
}

// Extract cleans doc into an Article. It modifies doc: read what else you
// need from it first. When the page holds no article text the error is
// ErrNoContent and the Article carries whatever metadata was found.
func (s *Set) Extract(doc *goquery.Document, u *url.URL) (archive.Article, error) {
	a, _, err := s.ExtractWithProvenance(doc, u)
	return a, err
}

// ExtractWithProvenance is Extract that also tells which profile applied
// and which rule gave the title, the dates and the authors. Of the
// Provenance it fills Profile, ProfileHash and the rules; the rest is the
// caller's to know (the fetch, the newsvault version).
func (s *Set) ExtractWithProvenance(doc *goquery.Document, u *url.URL) (archive.Article, archive.Provenance, error) {
	var (
		a    archive.Article
		prov = archive.Provenance{Profile: archive.GenericProfile}
	)
	if doc == nil || len(doc.Nodes) == 0 {
		return a, prov, ErrNoContent
	}
	root := doc.Nodes[0]
	m := readMeta(root)
	if u != nil {
		a.URL = u.String()
	}
	a.CanonicalURL = resolve(u, m.canonical)
	if a.CanonicalURL == "" {
		a.CanonicalURL = resolve(u, m.first("og:url"))
	}
	// A page read from a file has no URL of its own; the address it names
	// for itself still tells the site, its profile and the base for links.
	base := u
	if base == nil && a.CanonicalURL != "" {
		base, _ = url.Parse(a.CanonicalURL)
	}
	if base != nil {
		a.Site = siteOf(base)
	}
	p := s.profileFor(base)
	if p == nil {
		p = &Profile{}
	} else {
		prov.Profile, prov.ProfileHash = p.Name, p.Hash
	}
	a.Language = language(m)
	a.Description = cleanText(m.first("description", "og:description", "twitter:description", "dc.description"))
	if a.Description == "" {
		a.Description = cleanText(m.ld.Description)
	}
	a.Title, prov.Title = title(root, p, m, a.Site)
	a.Authors, prov.Authors = authors(root, p, m)
	a.PublishedAt, a.ModifiedAt, prov.Published, prov.Modified = dates(root, p, m)
	a.Tags = tags(root, p, m)
	a.ImageURL = image(root, p, m, base)
	a.Text = body(root, p, m, a.Title)
	if a.Language == "" {
		a.Language = detectLanguage(a.Text)
	}
	if a.Text == "" {
		return a, prov, ErrNoContent
	}
	return a, prov, nil
}

// bodyOf returns <body>, or root when the document has none.
func bodyOf(root *html.Node) *html.Node {
	var b *html.Node
	walkElements(root, func(n *html.Node) bool {
		if b != nil {
			return false
		}
		if n.DataAtom == atom.Body {
			b = n
			return false
		}
		return true
	})
	if b == nil {
		return root
	}
	return b
}

// body extracts the article text: the profile's body selector when it
// matches, else the generic scoring; JSON-LD articleBody stands in when the
// page's markup yields much less than it.
func body(root *html.Node, p *Profile, m *pageMeta, title string) string {
	var nodes []*html.Node
	if p.body != nil {
		nodes = p.body.MatchAll(root)
		nodes = outermost(nodes)
		for _, n := range nodes {
			for _, sel := range p.remove {
				for _, r := range sel.MatchAll(n) {
					if r.Parent != nil && r != n {
						r.Parent.RemoveChild(r)
					}
				}
			}
			cl := newCleaner(n, false)
			cl.clean(n)
			cl.st.release()
		}
	}
	if len(nodes) == 0 {
		b := bodyOf(root)
		for _, sel := range p.remove {
			for _, r := range sel.MatchAll(b) {
				if r.Parent != nil && r != b {
					r.Parent.RemoveChild(r)
				}
			}
		}
		var (
			hc hintCache
			st *statsMap
		)
		nodes, hc, st = generic(b)
		pruneContent(nodes, hc, st)
		st.release()
	}
	paras := paragraphs(nodes, nil)
	paras = trimParagraphs(paras, title)
	text := strings.Join(paras, "\n\n")
	if ld := normalizeParagraph(m.ld.Body); len(ld) > 300 && len(text) < len(ld)/2 {
		return ldText(m.ld.Body)
	}
	return text
}

// outermost drops nodes nested in another of nodes.
func outermost(nodes []*html.Node) []*html.Node {
	in := map[*html.Node]bool{}
	for _, n := range nodes {
		in[n] = true
	}
	var out []*html.Node
	for _, n := range nodes {
		nested := false
		for a := n.Parent; a != nil; a = a.Parent {
			if in[a] {
				nested = true
				break
			}
		}
		if !nested {
			out = append(out, n)
		}
	}
	return out
}

var ldParaSplit = regexp.MustCompile(`\s*\n\s*`)

func ldText(s string) string {
	var paras []string
	for _, p := range ldParaSplit.Split(html.UnescapeString(s), -1) {
		if p = normalizeParagraph(p); p != "" {
			paras = append(paras, p)
		}
	}
	return norm.NFC.String(strings.Join(paras, "\n\n"))
}

// title returns the title and the rule that gave it ("" for none).
func title(root *html.Node, p *Profile, m *pageMeta, site string) (string, string) {
	h1 := ""
	if n := cascadia.Query(root, h1Sel); n != nil {
		h1 = nodeText(n)
	}
	names := append(hostLabels(site), m.first("og:site_name", "application-name", "twitter:site"))
	if p.title != nil {
		if n := p.title.MatchFirst(root); n != nil {
			if t := cleanTitle(nodeText(n), p.titleSuffixes, names, ""); t != "" {
				return t, "profile:title"
			}
		}
	}
	metaKey, metaTitle := m.firstKey("og:title", "twitter:title")
	for _, c := range []struct{ rule, t string }{
		{metaKey, metaTitle}, {"json-ld:headline", m.ld.Headline}, {"<title>", m.title}, {"h1", h1},
	} {
		if t := cleanTitle(c.t, p.titleSuffixes, names, h1); t != "" {
			return t, c.rule
		}
	}
	return "", ""
}

var (
	h1Sel = cascadia.MustCompile("h1")
	// bylineCandidate must accept every element bylineSel matches.
	bylineSel = cascadia.MustCompile(`[itemprop~=author], [class*=byline], [class*=author-name], [class*=author__name], .author, [class$=-author], [class$=_author], [rel=author]`)
	dateSel   = cascadia.MustCompile(`[itemprop=datePublished], [class*=date], [class*=time], [class*=published], time`)
)

// authors returns the authors and the rule that gave them ("" for none).
func authors(root *html.Node, p *Profile, m *pageMeta) ([]string, string) {
	if p.authors != nil {
		var raw []string
		for _, n := range p.authors.MatchAll(root) {
			raw = append(raw, nodeText(n))
		}
		if a := cleanAuthors(raw); len(a) > 0 {
			return a, "profile:authors"
		}
	}
	sources := []struct {
		rule string
		raw  []string
	}{
		{"json-ld:author", m.ld.Authors},
		{"meta:author", m.meta["author"]},
		{"meta:article:author", m.meta["article:author"]},
		{"meta:dc.creator", m.meta["dc.creator"]},
		{"meta:sailthru.author", m.meta["sailthru.author"]},
		{"a[rel=author]", m.relAuthors},
	}
	for _, src := range sources {
		if a := cleanAuthors(src.raw); len(a) > 0 {
			return a, src.rule
		}
	}
	var raw []string
	for _, n := range matchCandidates(root, bylineSel, 5, bylineCandidate) {
		if v := attr(n, "content"); v != "" {
			raw = append(raw, v)
		} else {
			raw = append(raw, nodeText(n))
		}
	}
	if a := cleanAuthors(raw); len(a) > 0 {
		return a, "byline"
	}
	return nil, ""
}

// dates returns the publication and modification times and the rules that
// gave them ("" for none).
func dates(root *html.Node, p *Profile, m *pageMeta) (published, modified time.Time, pubRule, modRule string) {
	fromSel := func(sel cascadia.Selector) time.Time {
		if sel == nil {
			return time.Time{}
		}
		for _, n := range sel.MatchAll(root) {
			for _, v := range []string{attr(n, "datetime"), attr(n, "content"), nodeText(n)} {
				if t := parseDate(v, p.zone); !t.IsZero() {
					return t
				}
			}
		}
		return time.Time{}
	}
	// Each step runs only while nothing earlier found a date.
	try := func(t *time.Time, rule *string, name string, get func() time.Time) {
		if t.IsZero() {
			if *t = get(); !t.IsZero() {
				*rule = name
			}
		}
	}
	fromMeta := func(keys ...string) (string, func() time.Time) {
		k, v := m.firstKey(keys...)
		return "meta:" + k, func() time.Time { return parseDate(v, p.zone) }
	}
	try(&published, &pubRule, "profile:published", func() time.Time { return fromSel(p.published) })
	try(&published, &pubRule, "json-ld:datePublished", func() time.Time { return parseDate(m.ld.DatePublished, p.zone) })
	rule, get := fromMeta("article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date")
	try(&published, &pubRule, rule, get)
	if len(m.times) > 0 {
		try(&published, &pubRule, "time[datetime]", func() time.Time { return parseDate(m.times[0], p.zone) })
	}
	try(&published, &pubRule, "dateline", func() time.Time { return fromSel(dateSel) })

	try(&modified, &modRule, "profile:modified", func() time.Time { return fromSel(p.modified) })
	try(&modified, &modRule, "json-ld:dateModified", func() time.Time { return parseDate(m.ld.DateModified, p.zone) })
	rule, get = fromMeta("article:modified_time", "datemodified", "og:updated_time", "last-modified", "dc.date.modified")
	try(&modified, &modRule, rule, get)
	return published, modified, pubRule, modRule
}

func tags(root *html.Node, p *Profile, m *pageMeta) []string {
	if p.tags != nil {
		var raw []string
		for _, n := range p.tags.MatchAll(root) {
			raw = append(raw, nodeText(n))
		}
		if t := dedupe(raw); len(t) > 0 {
			return t
		}
	}
	var kw []string
	for _, v := range m.meta["keywords"] {
		kw = append(kw, splitList(v)...)
	}
	for _, raw := range [][]string{m.meta["article:tag"], m.ld.Keywords, m.relTags, kw} {
		if t := dedupe(raw); len(t) > 0 {
			return t
		}
	}
	return nil
}

func image(root *html.Node, p *Profile, m *pageMeta, u *url.URL) string {
	if p.image != nil {
		for _, n := range p.image.MatchAll(root) {
			for _, v := range []string{attr(n, "src"), attr(n, "content"), attr(n, "href"), attr(n, "data-src")} {
				if r := resolve(u, v); r != "" {
					return r
				}
			}
		}
	}
	for _, v := range []string{m.first("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"), m.ld.Image} {
		if r := resolve(u, v); r != "" {
			return r
		}
	}
	return ""
}
