package scraper

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/selectors"
)

func TestReextractStoredCharset(t *testing.T) {
	set, err := selectors.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	para := strings.Repeat("Городской совет утвердил бюджет на следующий год, увеличив расходы на ремонт дорог и школ. ", 6)
	page := `<html><head><title>Совет утвердил бюджет</title>
		<meta property="og:title" content="Совет утвердил бюджет"></head>
		<body><article><h1>Совет утвердил бюджет</h1><p>` + para + `</p><p>` + para + `</p></article></body></html>`
	body, err := charmap.Windows1251.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	c := &archive.Capture{
		URL: "https://news.example/a?utm_source=x", FinalURL: "https://news.example/a", Status: 200,
		ContentType: "text/html", Charset: "windows-1251", CharsetSource: "sniffed", Body: []byte(body),
	}
	a, prov, err := Reextract(set, c)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Совет утвердил бюджет" || !strings.Contains(a.Text, "Городской совет") || a.URL != c.FinalURL {
		t.Errorf("article: %q %q %q", a.Title, a.URL, a.Text[:min(60, len(a.Text))])
	}
	want := archive.Provenance{Cause: archive.CauseReextract, Newsvault: BuildVersion(), Profile: "generic",
		Title: "og:title", Charset: "windows-1251", CharsetSource: "sniffed"}
	if prov != want {
		t.Errorf("provenance\n got %+v\nwant %+v", prov, want)
	}

	// A page with no text any more is a reported failure.
	c.Body = []byte("<html><body><nav>menu</nav></body></html>")
	if _, _, err := Reextract(set, c); !errors.Is(err, ErrReextract) {
		t.Errorf("empty page: %v, want ErrReextract", err)
	}
	c.FinalURL, c.URL = "", "/relative"
	if _, _, err := Reextract(set, c); !errors.Is(err, ErrReextract) {
		t.Errorf("relative URL: %v, want ErrReextract", err)
	}
}
