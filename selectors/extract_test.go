package selectors

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func ExampleSet_ExtractHTML() {
	set, err := Builtin()
	if err != nil {
		panic(err)
	}
	page := `<html lang="en"><head><title>Rain returns to the valley | Valley Post</title>
<meta property="og:site_name" content="Valley Post">
<meta property="article:published_time" content="2026-03-02T08:15:00+01:00"></head>
<body><nav><a href="/">Home</a></nav><article>
<h1>Rain returns to the valley</h1>
<p>After four dry months, steady rain fell across the valley on Sunday, filling reservoirs to a third of their capacity.</p>
<p>Farmers said the rain came too late for the winter wheat, but would help the spring planting, which starts in April.</p>
<div class="share">Share</div></article><footer>© Valley Post</footer></body></html>`
	u, _ := url.Parse("https://www.valleypost.example/2026/03/02/rain/")
	a, err := set.ExtractHTML(strings.NewReader(page), u)
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Site)
	fmt.Println(a.Title)
	fmt.Println(a.PublishedAt)
	fmt.Println(a.Text)
	// Output:
	// valleypost.example
	// Rain returns to the valley
	// 2026-03-02 08:15:00 +0100 +0100
	// After four dry months, steady rain fell across the valley on Sunday, filling reservoirs to a third of their capacity.
	//
	// Farmers said the rain came too late for the winter wheat, but would help the spring planting, which starts in April.
}

// TestGenericOnProfiledPage checks the generic extractor alone on the
// Inforos sample: a profile must not be needed for a clean text.
func TestGenericOnProfiledPage(t *testing.T) {
	for _, f := range fixtures(t) {
		if !strings.HasSuffix(f.dir, "article") {
			continue
		}
		a, err := (&Set{}).ExtractHTML(bytes.NewReader(f.page), f.url)
		if err != nil {
			t.Fatal(err)
		}
		checkPhrases(t, f.dir, "with", a.Text, true)
		checkPhrases(t, f.dir, "without", a.Text, false)
	}
}

func TestNoContent(t *testing.T) {
	u, _ := url.Parse("https://example.com/")
	for _, page := range []string{"", "<html><head><title>Empty | Example</title></head><body><nav>Home</nav></body></html>", "<script>var x = 1</script><style>p{}</style>"} {
		a, err := (&Set{}).ExtractHTML(strings.NewReader(page), u)
		if !errors.Is(err, ErrNoContent) {
			t.Errorf("%q: err %v, want ErrNoContent", page, err)
		}
		if a.Text != "" {
			t.Errorf("%q: text %q", page, a.Text)
		}
	}
}

func TestIsArticleGeneric(t *testing.T) {
	prose := strings.Repeat("<p>"+strings.Repeat("Real sentences of reporting go here, with commas. ", 4)+"</p>", 3)
	// More link text than prose, as teaser rails make it.
	links := `<ul>` + strings.Repeat(`<li><a href="/other">Another headline of a story on this news site today</a></li>`, 30) + `</ul>`
	tests := []struct {
		name, url, page string
		want            bool
	}{
		{"json-ld", "https://a.example/x", `<script type="application/ld+json">{"@type":"ReportageNews"}</script>`, true},
		{"og type", "https://a.example/x", `<meta property="og:type" content="article">`, true},
		{"dated path", "https://a.example/2024/05/17/story", ``, true},
		{"prose", "https://a.example/story", prose, true},
		{"index", "https://a.example/", `<ul><li><a href="/1">One headline here</a></li><li><a href="/2">Two</a></li></ul>`, false},
		{"teasers", "https://a.example/", `<ul>` + strings.Repeat("<li>"+prose+"</li>", 2) + `</ul>`, false},
		{"index claiming article", "https://a.example/", `<meta property="og:type" content="article">` + links, false},
		{"article under a teaser rail", "https://a.example/x", `<meta property="og:type" content="article"><main><article>` + prose + `</article>` + links + `</main>`, true},
		{"prose under a teaser rail", "https://a.example/x", `<main><article>` + prose + `</article>` + links + `</main>`, false},
	}
	for _, tt := range tests {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(tt.page))
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(tt.url)
		if got := (&Set{}).IsArticle(doc, u); got != tt.want {
			t.Errorf("%s: IsArticle = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func FuzzExtract(f *testing.F) {
	for _, fx := range fixtures(f) {
		f.Add(string(fx.page))
	}
	f.Add(`<p>text<script>SCRIPTSECRET</script><style>STYLESECRET</style><nav>NAVSECRET</nav></p>`)
	f.Add(`<table><tr><td><p>cell<form><p>x</form>`)
	set, err := Builtin()
	if err != nil {
		f.Fatal(err)
	}
	u, _ := url.Parse("https://www.inforos.ru/en/?module=news&action=view&id=1")
	g, _ := url.Parse("https://example.com/2024/01/01/a")
	f.Fuzz(func(t *testing.T, page string) {
		for _, u := range []*url.URL{u, g} {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
			if err != nil {
				return
			}
			set.IsArticle(doc, u)
			a, _ := set.Extract(doc, u)
			for _, secret := range []string{"SCRIPTSECRET", "STYLESECRET", "NAVSECRET"} {
				if strings.Contains(a.Text, secret) && !strings.Contains(stripTags(page, secret), secret) {
					t.Errorf("%s survived in %q", secret, a.Text)
				}
			}
		}
	})
}

// stripTags removes the script, style and nav elements the fuzz secrets
// are planted in, so a secret the fuzzer put in plain text is allowed.
func stripTags(page, secret string) string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		return ""
	}
	doc.Find("script, style, nav, noscript, template").Remove()
	return doc.Text()
}

// BenchmarkExtract extracts every fixture page (testdata/*/*/page.html)
// per iteration; ns/page is the figure to compare.
func BenchmarkExtract(b *testing.B) {
	set, err := Builtin()
	if err != nil {
		b.Fatal(err)
	}
	benchmarkPages(b, set, fixturePages(b))
}

// BenchmarkExtractZyte extracts the 181 real pages of the Zyte benchmark
// when a checkout of ../shared sits beside the repository; it is skipped
// otherwise. go test -bench ExtractZyte -cpuprofile is the way to profile.
func BenchmarkExtractZyte(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "benchmark", "zyte", "html", "*.html.gz"))
	if len(files) == 0 {
		b.Skip("no ../../shared/benchmark/zyte")
	}
	var pages [][]byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			b.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, page)
	}
	set, err := Builtin()
	if err != nil {
		b.Fatal(err)
	}
	benchmarkPages(b, set, pages)
}

func fixturePages(b *testing.B) [][]byte {
	var pages [][]byte
	for _, f := range fixtures(b) {
		pages = append(pages, f.page)
	}
	return pages
}

func benchmarkPages(b *testing.B, set *Set, pages [][]byte) {
	size := 0
	for _, p := range pages {
		size += len(p)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			if _, err := set.ExtractHTML(bytes.NewReader(p), nil); err != nil && !errors.Is(err, ErrNoContent) {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages)), "ns/page")
}
