package selectors

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestStripRawText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<p>a</p><script>var x = "</p>";</script><p>b</p>`, `<p>a</p><script></script><p>b</p>`},
		{`<STYLE type="text/css">p{}</STYLE><p>b`, `<STYLE type="text/css"></STYLE><p>b`},
		{`<script type="application/ld+json">{"a":1}</script>`, `<script type="application/ld+json">{"a":1}</script>`},
		{`<script data-x="a>b">x</script>y`, `<script data-x="a>b"></script>y`},
		{`<!-- <script> --><p>kept</p><script>x</script>`, `<!-- <script> --><p>kept</p><script></script>`},
		{`<scripts>not a script</scripts>`, `<scripts>not a script</scripts>`},
		{`<script>never closed`, `<script>never closed`},
		{`<p>don't<style>q</style>`, `<p>don't<style></style>`},
	}
	for _, tt := range tests {
		if got := string(stripRawText([]byte(tt.in))); got != tt.want {
			t.Errorf("stripRawText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzStripRawText checks that stripping changes nothing but the content of
// scripts and styles: the visible text of the page stays the same.
func FuzzStripRawText(f *testing.F) {
	for _, s := range []string{
		`<p>a<script>b</script>c</p>`, `<style>x</style><p>y`, `<!--<style>--><p>z</p>`,
		`<script type=application/ld+json>{}</script>`, `<p title='>'>t<script>s</script>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		want, got := visibleText(page), visibleText(string(stripRawText([]byte(page))))
		if got != want {
			t.Errorf("text changed: %q -> %q", want, got)
		}
	})
}

func visibleText(page string) string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return b.String()
}

// refTagEnd is tagEnd as it went byte by byte through quoted values.
func refTagEnd(b []byte, i int) int {
	var quote byte
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			if b[i-1] == '=' || b[i-1] == ' ' && i >= 2 && b[i-2] == '=' {
				quote = c
			}
		case c == '>':
			return i + 1
		}
	}
	return -1
}

func FuzzTagEnd(f *testing.F) {
	for _, s := range []string{`<a href="x>y">`, `<p title='>'>`, `<a b= "c">d`, `<a b="c`, `<a b=c'd>`, `<x>`, `<a b='"'>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		if len(tag) == 0 {
			return
		}
		b := []byte(tag)
		if got, want := tagEnd(b, 1), refTagEnd(b, 1); got != want {
			t.Errorf("tagEnd(%q) = %d, want %d", tag, got, want)
		}
	})
}
