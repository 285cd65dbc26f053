package scraper

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

const wantRuTitle = "Новости Чебоксар: горсовет утвердил бюджет"

func TestDecodeHTML(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/charset/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tc := range []struct {
		name, file, contentType string
		wantCharset, wantSource string
	}{
		{"cp1251 meta only", "cp1251-meta.html", "text/html", "windows-1251", "meta"},
		{"cp1251 http-equiv only", "cp1251-httpequiv.html", "", "windows-1251", "meta"},
		{"cp1251 header only", "cp1251-nometa.html", "text/html; charset=windows-1251", "windows-1251", "header"},
		{"cp1251 header and meta", "cp1251-meta.html", "text/html; charset=cp1251", "windows-1251", "header"},
		{"cp1251 bytes, header lies utf-8, meta right", "cp1251-meta.html", "text/html; charset=utf-8", "windows-1251", "meta"},
		{"koi8-r meta only", "koi8r-meta.html", "text/html", "koi8-r", "meta"},
		{"koi8-r header only", "koi8r-nometa.html", "text/html; charset=KOI8-R", "koi8-r", "header"},
		{"koi8-r header and meta", "koi8r-httpequiv.html", "text/html;charset=koi8-r", "koi8-r", "header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, cs, src, err := DecodeHTML(read(tc.file), tc.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if cs != tc.wantCharset || src != tc.wantSource {
				t.Errorf("charset %s from %s, want %s from %s", cs, src, tc.wantCharset, tc.wantSource)
			}
			if !bytes.Contains(text, []byte("<h1>"+wantRuTitle+"</h1>")) || !utf8.Valid(text) {
				t.Errorf("title not decoded: %.300s", text)
			}
		})
	}
}

func TestDecodeHTMLSources(t *testing.T) {
	for _, tc := range []struct {
		name, body, contentType string
		wantText, wantCharset   string
		wantSource              string
	}{
		{"utf-8 bom beats header", "\xEF\xBB\xBF<p>é</p>", "text/html; charset=windows-1251", "<p>é</p>", "utf-8", "bom"},
		{"utf-16le bom", "\xFF\xFE<\x00p\x00>\x00", "", "<p>", "utf-16le", "bom"},
		{"valid utf-8, no declaration", "<p>привет</p>", "", "<p>привет</p>", "utf-8", "sniffed"},
		{"utf-8 meta", `<meta charset="utf-8"><p>привет</p>`, "", `<meta charset="utf-8"><p>привет</p>`, "utf-8", "meta"},
		{"ascii, no declaration", "<p>hi</p>", "", "<p>hi</p>", "utf-8", "sniffed"},
		// DetermineEncoding looks at 1024 bytes only; a long ASCII head must
		// not turn a UTF-8 page into windows-1252 mojibake.
		{"utf-8 after a long ascii head", "<p>" + strings.Repeat("a", 2000) + "governor’s</p>", "", "<p>" + strings.Repeat("a", 2000) + "governor’s</p>", "utf-8", "sniffed"},
		{"undeclared windows-1251", "<p>\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0</p>", "", "<p>Привет, мир</p>", "windows-1251", "sniffed"},
		{"undeclared koi8-r", "<p>\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2</p>", "", "<p>Привет, мир</p>", "koi8-r", "sniffed"},
		{"undeclared latin-1", "<p>caf\xe9 cr\xe8me br\xfbl\xe9e and more words</p>", "", "<p>café crème brûlée and more words</p>", "windows-1252", "default"},
		{"latin-1 meta", `<meta charset="iso-8859-1"><p>caf` + "\xe9</p>", "", `<meta charset="iso-8859-1"><p>café</p>`, "windows-1252", "meta"},
		{"invalid utf-8 declared", "<p>a\xffb</p>", "text/html; charset=utf-8", "<p>a\uFFFDb</p>", "utf-8", "header"},
		{"unknown header charset falls through", "<p>hi</p>", "text/html; charset=x-nonsense", "<p>hi</p>", "utf-8", "sniffed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, cs, src, err := DecodeHTML([]byte(tc.body), tc.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if string(text) != tc.wantText || cs != tc.wantCharset || src != tc.wantSource {
				t.Errorf("got %q %s/%s, want %q %s/%s", text, cs, src, tc.wantText, tc.wantCharset, tc.wantSource)
			}
		})
	}
}

// TestCrawlCharsets serves Cyrillic pages with the charset in the header,
// in <meta> only, or both, and checks the archived article and capture.
func TestCrawlCharsets(t *testing.T) {
	serve := func(file, contentType string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, err := os.ReadFile("testdata/charset/" + file)
			if err != nil {
				t.Error(err)
			}
			w.Header().Set("Content-Type", contentType)
			w.Write(b)
		}
	}
	cases := []struct {
		path, file, contentType, wantCharset, wantSource string
	}{
		{"/cp1251-meta", "cp1251-meta.html", "text/html", "windows-1251", "meta"},
		{"/cp1251-header", "cp1251-nometa.html", "text/html; charset=windows-1251", "windows-1251", "header"},
		{"/cp1251-both", "cp1251-meta.html", "text/html; charset=windows-1251", "windows-1251", "header"},
		{"/koi8r-meta", "koi8r-httpequiv.html", "text/html", "koi8-r", "meta"},
		{"/koi8r-header", "koi8r-nometa.html", "text/html; charset=koi8-r", "koi8-r", "header"},
		{"/koi8r-both", "koi8r-meta.html", "text/html; charset=koi8-r", "koi8-r", "header"},
	}
	routes := make(map[string]http.HandlerFunc)
	var starts []string
	for _, c := range cases {
		routes[c.path] = serve(c.file, c.contentType)
		starts = append(starts, c.path)
	}
	site := newTestSite(t, routes)
	rec := &recorder{}
	cfg := site.config(t, starts...)
	cfg.Depth = 0
	if st, err := Crawl(t.Context(), cfg, testExtractor{}, rec); err != nil || st.New != len(cases) {
		t.Fatalf("stats %s, err %v", st, err)
	}
	for _, c := range cases {
		p, ok := rec.byURL(site.url(c.path))
		if !ok {
			t.Errorf("%s not saved", c.path)
			continue
		}
		raw, _ := os.ReadFile("testdata/charset/" + c.file)
		if p.a.Title != wantRuTitle || !strings.HasPrefix(p.a.Text, "Депутаты городского собрания") {
			t.Errorf("%s: title %q text %.40q", c.path, p.a.Title, p.a.Text)
		}
		if p.c.Charset != c.wantCharset || p.c.CharsetSource != c.wantSource || p.c.ContentType != c.contentType {
			t.Errorf("%s: capture %s from %s, type %q", c.path, p.c.Charset, p.c.CharsetSource, p.c.ContentType)
		}
		if !bytes.Equal(p.c.Body, raw) {
			t.Errorf("%s: capture body is not the raw bytes served", c.path)
		}
	}
}

func FuzzDecodeHTML(f *testing.F) {
	for _, name := range []string{"cp1251-meta.html", "koi8r-httpequiv.html"} {
		b, err := os.ReadFile("testdata/charset/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "text/html")
	}
	f.Add([]byte("\xFF\xFE<\x00p\x00>\x00\x00\xD8"), "")
	f.Add([]byte("<meta charset=utf-16><p>\xed\xa0\x80</p>"), "text/html; charset=utf-8")
	f.Add([]byte("<meta http-equiv=content-type content='text/html; charset=iso-2022-kr'>\x1b$)C"), "text/html;charset=")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		text, cs, src, err := DecodeHTML(body, contentType)
		if err != nil {
			return
		}
		if !utf8.Valid(text) {
			t.Errorf("invalid UTF-8 out of %q (%s from %s)", body, cs, src)
		}
		if cs == "" || src == "" {
			t.Errorf("charset %q source %q", cs, src)
		}
	})
}
