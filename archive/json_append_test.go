package archive

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The hand-written encoder must give the bytes encoding/json gives for the
// export schema (the format before issue 7): these are the references.

// provenanceJSON is the "provenance" object as encoding/json wrote it.
type provenanceJSON struct {
	Cause         Cause  `json:"cause"`
	Newsvault     string `json:"newsvault"`
	Profile       string `json:"profile"`
	ProfileHash   string `json:"profile_hash"`
	Title         string `json:"title"`
	Published     string `json:"published"`
	Modified      string `json:"modified"`
	Authors       string `json:"authors"`
	BodySHA256    string `json:"body_sha256"`
	Charset       string `json:"charset"`
	CharsetSource string `json:"charset_source"`
}

func referenceJSON(t testing.TB, v any, html bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(html)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func referenceArticle(t testing.TB, a *Article, html bool) []byte {
	nonNil := func(ss []string) []string {
		if ss == nil {
			return []string{}
		}
		return ss
	}
	return referenceJSON(t, articleJSON{
		URL: a.URL, CanonicalURL: a.CanonicalURL, Site: a.Site, Title: a.Title,
		Authors: nonNil(a.Authors), PublishedAt: formatTime(a.PublishedAt), ModifiedAt: formatTime(a.ModifiedAt),
		Language: a.Language, Description: a.Description, Text: a.Text, Tags: nonNil(a.Tags),
		ImageURL: a.ImageURL, FetchedAt: formatTime(a.FetchedAt), ContentSHA256: a.ContentSHA256, Version: a.Version,
	}, html)
}

func referenceProvenance(t testing.TB, p *Provenance, html bool) []byte {
	c := p.Cause
	if c == "" {
		c = CauseFetch
	}
	return referenceJSON(t, provenanceJSON{
		Cause: c, Newsvault: p.Newsvault, Profile: p.Profile, ProfileHash: p.ProfileHash,
		Title: p.Title, Published: p.Published, Modified: p.Modified, Authors: p.Authors,
		BodySHA256: p.BodySHA256, Charset: p.Charset, CharsetSource: p.CharsetSource,
	}, html)
}

// hostile are strings that take every branch of appendString.
var hostile = []string{
	"", "plain ascii", `quote " and \ backslash /`, "\x00\x01\x07\b\t\n\v\f\r\x1b\x1f\x7f",
	"</script><script>alert(1)</script> & <!-- -->", "line\u2028sep\u2029para",
	"Москва — «кавычки» и ёлка", "emoji 🦀👩‍👩‍👧 ok", "\u2027\u202a\u20ac",
	"bad \xff\xfe utf-8 \xc0", "\xe2\x80", "x\xe2\x80\xa8", "\xe2\x80\xa8\xe2", "\xed\xa0\x80 surrogate",
	"\xc0\x80 overlong", "\xf4\x90\x80\x80 too big", "\xef\xbf\xbd real U+FFFD", "tail \xe2",
}

func TestAppendArticleMatchesEncodingJSON(t *testing.T) {
	msk := time.FixedZone("", 3*3600)
	odd := time.FixedZone("", -(9*3600 + 30*60))
	articles := []*Article{
		{},
		{URL: "https://example.org/a?x=1&y=2", Authors: []string{}, Tags: []string{}},
		{
			URL: "https://www.inforos.ru/en/?module=news&action=view&id=1", CanonicalURL: "https://inforos.ru/a",
			Site: "inforos.ru", Title: "Title <with> & signs", Authors: []string{"Ivan Petrov", "John O’Brien"},
			PublishedAt: time.Date(2021, 7, 8, 18, 53, 0, 0, msk), ModifiedAt: time.Date(2021, 7, 8, 19, 0, 0, 123456789, odd),
			Language: "ru", Description: "d", Text: "One.\n\nTwo.", Tags: []string{"Russia", "a&b"},
			ImageURL: "https://cdn/x.jpg?w=1&h=2", FetchedAt: time.Date(2026, 11, 25, 10, 0, 0, 5, time.UTC),
			ContentSHA256: TextSHA256("One.\n\nTwo."), Version: 12345,
		},
		{Version: -1, PublishedAt: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), ModifiedAt: time.Unix(0, 0)},
	}
	for _, s := range hostile {
		articles = append(articles, &Article{
			URL: s, CanonicalURL: s, Site: s, Title: s, Authors: []string{s, s}, Language: s,
			Description: s, Text: s, Tags: []string{s}, ImageURL: s, ContentSHA256: s,
		})
	}
	for _, html := range []bool{false, true} {
		for _, a := range articles {
			want := referenceArticle(t, a, html)
			if got := appendArticle(nil, a, html); !bytes.Equal(got, want) {
				t.Errorf("html=%v:\n got %s\nwant %s", html, got, want)
			}
		}
		for _, p := range []*Provenance{
			{},
			{Cause: CauseReextract, Newsvault: "0.1.0-dev (3f2a9c1d0e4b)", Profile: "inforos", ProfileHash: "ab",
				Title: "og:title", Published: "json-ld:datePublished", Modified: "<time>", Authors: "byline & co",
				BodySHA256: "cd", Charset: "windows-1251", CharsetSource: "meta"},
			{Newsvault: hostile[3], Profile: hostile[4], Title: hostile[5], Authors: hostile[9]},
		} {
			want := referenceProvenance(t, p, html)
			if got := appendProvenance(nil, p, html); !bytes.Equal(got, want) {
				t.Errorf("html=%v:\n got %s\nwant %s", html, got, want)
			}
		}
	}
}

// The Encoder's --html-safe output was json.HTMLEscape of the plain
// encoding; escaping while encoding must give the same bytes.
func TestEncoderHTMLSafeMatchesHTMLEscape(t *testing.T) {
	a := &Article{URL: "https://e.org/?a=1&b=<2>", Title: strings.Join(hostile, " | "), Tags: hostile}
	p := &Provenance{Title: "<h1>", Authors: "a & b \u2028"}
	var plain, safe bytes.Buffer
	for _, c := range []struct {
		buf  *bytes.Buffer
		html bool
	}{{&plain, false}, {&safe, true}} {
		enc := NewEncoder(c.buf, JSONArray)
		enc.SetHTMLSafe(c.html)
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
		if err := enc.EncodeWithProvenance(a, p); err != nil {
			t.Fatal(err)
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
	}
	var want bytes.Buffer
	json.HTMLEscape(&want, plain.Bytes())
	if !bytes.Equal(safe.Bytes(), want.Bytes()) {
		t.Errorf("html-safe export:\n got %s\nwant %s", safe.Bytes(), want.Bytes())
	}
	var decoded []map[string]any
	if err := json.Unmarshal(safe.Bytes(), &decoded); err != nil || len(decoded) != 2 || decoded[1]["provenance"] == nil {
		t.Errorf("html-safe export does not decode as two articles, the second with provenance: %v", err)
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, html := range []bool{false, true} {
			want := referenceJSON(t, s, html)
			if got := appendString(nil, s, html); !bytes.Equal(got, want) {
				t.Fatalf("html=%v %q:\n got %s\nwant %s", html, s, got, want)
			}
		}
	})
}

// Every byte that needs escaping is found at every offset of a word, and
// bytes next to those that do are not taken for them.
func TestAppendStringEveryOffset(t *testing.T) {
	specials := []string{"\x00", "\x1f", "\"", "\\", "<", ">", "&", "\u2028", "\u2029", "\u2027", "\xe2", "\x7f", " ", "!", "#", "[", "]", "=", "?", "%", "'", "ё", "€"}
	for _, sp := range specials {
		for off := range 17 {
			s := strings.Repeat("a", off) + sp + strings.Repeat("b", 17-off)
			for _, html := range []bool{false, true} {
				if got, want := appendString(nil, s, html), referenceJSON(t, s, html); !bytes.Equal(got, want) {
					t.Errorf("html=%v %q:\n got %s\nwant %s", html, s, got, want)
				}
			}
		}
	}
}

// BenchmarkEncode writes one article with 4 KB of text, English or
// Russian, as the Encoder does and, for comparison, as encoding/json did.
//
//	go test -run '^$' -bench Encode ./archive
func BenchmarkEncode(b *testing.B) {
	for _, lang := range []struct{ name, sentence string }{
		{"en", `The minister said on Tuesday that the government would review the "budget" proposal — after protests. `},
		{"ru", "Министр заявил во вторник, что правительство рассмотрит «проект бюджета» — после протестов. "},
	} {
		text := strings.Repeat(lang.sentence, 4000/len(lang.sentence))
		text = strings.Replace(text, ". ", ".\n\n", 8)
		a := &Article{
			URL: "https://example.com/news/2024/03/000123-budget?utm_source=rss&ref=home", CanonicalURL: "https://example.com/news/2024/03/000123",
			Site: "example.com", Title: "Minister to review the budget proposal after protests", Authors: []string{"Anna Petrova", "John O’Brien"},
			PublishedAt: time.Date(2024, 3, 1, 10, 0, 0, 0, time.FixedZone("", 3*3600)), Language: lang.name,
			Description: lang.sentence, Text: text, Tags: []string{"politics", "Budget & Economy"},
			ImageURL: "https://cdn.example.com/img/2024/03/000123.jpg?w=1200&h=630", FetchedAt: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC),
			ContentSHA256: TextSHA256(text), Version: 1,
		}
		b.Run(lang.name+"/append", func(b *testing.B) {
			var buf []byte
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				buf = appendArticle(buf[:0], a, false)
			}
		})
		b.Run(lang.name+"/encoding-json", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				referenceArticle(b, a, false)
			}
		})
	}
}
