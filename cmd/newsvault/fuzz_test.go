package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/archive/sqlite"
	"github.com/newsvault/newsvault/scraper"
	"github.com/newsvault/newsvault/selectors"
)

// FuzzPipeline feeds arbitrary bytes through everything a fetched page
// goes through: charset decoding, parsing, extraction, the archive and the
// export. It never panics, and whatever is archived exports as valid JSON
// with valid UTF-8 and no NUL. Crashers go under testdata/fuzz/FuzzPipeline.
func FuzzPipeline(f *testing.F) {
	for _, seed := range []struct{ body, contentType string }{
		{`<html><head><title>T</title><link rel=canonical href="HTTP://Example.COM/a/?utm_source=x#f"></head><body><article><h1>T</h1><p>` + strings.Repeat("word ", 80) + `</p></article></body></html>`, "text/html; charset=utf-8"},
		{"<meta charset=windows-1251><p>\xcf\xf0\xe8\xe2\xe5\xf2 " + strings.Repeat("\xf2\xe5\xea\xf1\xf2 ", 60), "text/html"},
		{"\xff\xfe<\x00p\x00>\x00", ""},
		{"<p>nul\x00 \xed\xa0\x80 surrogate \u2028 </script> " + strings.Repeat("x", 300), "text/html; charset=koi8-r"},
		{"<div><div><table><a><p></table></a><svg><math><noscript><p>" + strings.Repeat("deep ", 100), "text/html"},
	} {
		f.Add([]byte(seed.body), seed.contentType)
	}
	set, err := selectors.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	page, _ := url.Parse("https://example.com/news/2026/11/25/story")

	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		text, cs, source, err := scraper.DecodeHTML(body, contentType)
		if err != nil {
			return
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(text))
		if err != nil {
			return
		}
		set.IsArticle(doc, page)
		a, err := set.Extract(doc, page)
		if err != nil {
			return
		}
		if a.URL == "" {
			a.URL = page.String()
		}
		c := &archive.Capture{URL: page.String(), FinalURL: page.String(), Status: 200, ContentType: contentType, Charset: cs, CharsetSource: source, Body: body}
		if _, err := store.Save(ctx, c, &a); err != nil {
			t.Fatalf("save: %v", err)
		}
		got, err := store.Latest(ctx, a.Key())
		if err != nil {
			t.Fatalf("latest %s: %v", a.Key(), err)
		}
		var buf bytes.Buffer
		enc := archive.NewEncoder(&buf, archive.JSONLines)
		if err := enc.Encode(&got); err != nil {
			t.Fatal(err)
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(buf.Bytes()) || bytes.IndexByte(buf.Bytes(), 0) >= 0 {
			t.Fatalf("export is not clean UTF-8: %q", buf.Bytes())
		}
		sc := bufio.NewScanner(&buf)
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			var back archive.Article
			if err := json.Unmarshal(sc.Bytes(), &back); err != nil {
				t.Fatalf("export does not parse: %v", err)
			}
			if back.Text != got.Text || strings.IndexByte(back.Text, 0) >= 0 || !utf8.ValidString(back.Title) {
				t.Fatalf("round trip: %q != %q", back.Text, got.Text)
			}
		}
	})
}

// TestXNetVersionFloor keeps golang.org/x/net at v0.55.0 or later: older
// html parsers have quadratic and unbounded-depth parsing bugs a hostile
// page can trigger (T18).
func TestXNetVersionFloor(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		if len(f) < 2 || f[0] != "golang.org/x/net" {
			continue
		}
		found = true
		if !versionAtLeast(f[1], 0, 55, 0) {
			t.Errorf("go.mod requires golang.org/x/net %s, want v0.55.0 or later", f[1])
		}
	}
	if !found {
		t.Error("go.mod does not require golang.org/x/net")
	}
}

// versionAtLeast compares a semantic version vMAJOR.MINOR.PATCH[-pre]
// with a floor; a pre-release of the floor itself is below it.
func versionAtLeast(v string, major, minor, patch int) bool {
	core, pre, _ := strings.Cut(strings.TrimPrefix(v, "v"), "-")
	var got [3]int
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return false
	}
	for i, p := range parts {
		n := 0
		for _, r := range p {
			if r < '0' || r > '9' {
				return false
			}
			n = n*10 + int(r-'0')
		}
		got[i] = n
	}
	want := [3]int{major, minor, patch}
	for i := range got {
		if got[i] != want[i] {
			return got[i] > want[i]
		}
	}
	return pre == ""
}

func TestVersionAtLeast(t *testing.T) {
	for v, want := range map[string]bool{
		"v0.55.0": true, "v0.62.0": true, "v1.0.0": true, "v0.54.9": false, "v0.55.0-rc.1": false,
		"v0.0.0-20240101000000-abcdef123456": false, "v0.56.1-0.20250101000000-abcdef123456": true, "junk": false,
	} {
		if got := versionAtLeast(v, 0, 55, 0); got != want {
			t.Errorf("versionAtLeast(%s) = %v, want %v", v, got, want)
		}
	}
}
