package selectors

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/newsvault/newsvault/archive"
)

var update = flag.Bool("update", false, "rewrite the want.json goldens of testdata/<site>/<case>")

// golden is one want.json: whether the page is an article, and what
// Extract makes of it.
type golden struct {
	IsArticle bool            `json:"is_article"`
	Error     string          `json:"error"`
	Article   archive.Article `json:"article"`
}

type fixture struct {
	dir  string
	url  *url.URL
	page []byte
}

func fixtures(t testing.TB) []fixture {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("testdata", "*", "*", "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	var out []fixture
	for _, p := range dirs {
		dir := filepath.Dir(p)
		page, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(filepath.Join(dir, "url"))
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(strings.TrimSpace(string(raw)))
		if err != nil {
			t.Fatalf("%s: url: %v", dir, err)
		}
		out = append(out, fixture{dir: dir, url: u, page: page})
	}
	if len(out) == 0 {
		t.Fatal("no fixtures")
	}
	return out
}

func TestGolden(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures(t) {
		t.Run(filepath.ToSlash(strings.TrimPrefix(f.dir, "testdata"+string(filepath.Separator))), func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(f.page))
			if err != nil {
				t.Fatal(err)
			}
			var got golden
			got.IsArticle = set.IsArticle(doc, f.url)
			got.Article, err = set.Extract(doc, f.url)
			if err != nil {
				got.Error = err.Error()
			}
			b, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			b = append(b, '\n')
			wantPath := filepath.Join(f.dir, "want.json")
			if *update {
				if err := os.WriteFile(wantPath, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(wantPath)
			if err != nil {
				t.Fatalf("%v (run go test ./selectors -update)", err)
			}
			if !bytes.Equal(want, b) {
				t.Errorf("extraction differs from %s (review, then go test ./selectors -update):\ngot:\n%s", wantPath, b)
			}
			checkPhrases(t, f.dir, "with", got.Article.Text, true)
			checkPhrases(t, f.dir, "without", got.Article.Text, false)
		})
	}
}

// checkPhrases checks the phrases of dir/name, one a line, against text.
func checkPhrases(t *testing.T, dir, name, text string, want bool) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range strings.Split(string(raw), "\n") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if strings.Contains(text, p) != want {
			if want {
				t.Errorf("text lacks %q", p)
			} else {
				t.Errorf("text contains %q", p)
			}
		}
	}
}

// TestInforosArticle pins the cleaned Inforos sample exactly, beyond its
// golden: the title and the six paragraphs.
func TestInforosArticle(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join("testdata", "inforos", "article", "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://www.inforos.ru/en/?module=news&action=view&id=124567")
	a, err := set.ExtractHTML(bytes.NewReader(page), u)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Russian Embassy in US rejects allegations in involvement in cyberattacks"; a.Title != want {
		t.Errorf("title %q, want %q", a.Title, want)
	}
	paras := strings.Split(a.Text, "\n\n")
	if len(paras) != 6 {
		t.Fatalf("%d paragraphs, want 6:\n%s", len(paras), a.Text)
	}
	if !strings.HasPrefix(paras[0], "The Russian Embassy in Washington") || !strings.HasPrefix(paras[5], "Earlier on Thursday") {
		t.Errorf("wrong paragraphs:\n%s", a.Text)
	}
	if a.Site != "inforos.ru" || a.PublishedAt.Format("2006-01-02T15:04:05-07:00") != "2021-07-08T18:53:00+03:00" {
		t.Errorf("site %q published %v", a.Site, a.PublishedAt)
	}
}
