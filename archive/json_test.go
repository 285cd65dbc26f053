package archive_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

func TestArticleJSONEmptyFields(t *testing.T) {
	var buf bytes.Buffer
	enc := archive.NewEncoder(&buf, archive.JSONLines)
	if err := enc.Encode(&archive.Article{URL: "https://example.org/a?x=1&y=2"}); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	want := `{"url":"https://example.org/a?x=1&y=2","canonical_url":"","site":"","title":"","authors":[],` +
		`"published_at":"","modified_at":"","language":"","description":"","text":"","tags":[],` +
		`"image_url":"","fetched_at":"","content_sha256":"","version":0}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestArticleJSONRoundTrip(t *testing.T) {
	msk := time.FixedZone("", 3*60*60)
	in := archive.Article{
		URL: "https://www.inforos.ru/en/?module=news&action=view&id=1", CanonicalURL: "https://www.inforos.ru/en/?module=news&action=view&id=1",
		Site: "inforos.ru", Title: "Title <with> & signs", Authors: []string{"Ivan Petrov"},
		PublishedAt: time.Date(2021, 7, 8, 18, 53, 0, 0, msk), Language: "en",
		Text: "One.\n\nTwo.", Tags: []string{"Russia"}, FetchedAt: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC),
		ContentSHA256: archive.TextSHA256("One.\n\nTwo."), Version: 2,
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"published_at":"2021-07-08T18:53:00+03:00"`)) {
		t.Errorf("published_at lost its zone: %s", b)
	}
	var out archive.Article
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Fingerprint() != in.Fingerprint() || !out.PublishedAt.Equal(in.PublishedAt) || out.Version != 2 {
		t.Errorf("round trip changed the article:\n in %+v\nout %+v", in, out)
	}
}

func TestEncoderFormats(t *testing.T) {
	a := &archive.Article{URL: "u1"}
	b := &archive.Article{URL: "u2"}
	for _, tc := range []struct {
		format   archive.Format
		articles []*archive.Article
		check    func(string) error
	}{
		{archive.JSONLines, []*archive.Article{a, b}, nil},
		{archive.JSONArray, []*archive.Article{a, b}, nil},
		{archive.JSONArray, nil, nil},
	} {
		var buf bytes.Buffer
		enc := archive.NewEncoder(&buf, tc.format)
		for _, x := range tc.articles {
			if err := enc.Encode(x); err != nil {
				t.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		var urls []string
		switch tc.format {
		case archive.JSONLines:
			for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
				var x archive.Article
				if err := json.Unmarshal([]byte(line), &x); err != nil {
					t.Fatalf("jsonl line %q: %v", line, err)
				}
				urls = append(urls, x.URL)
			}
		case archive.JSONArray:
			var xs []archive.Article
			if err := json.Unmarshal(buf.Bytes(), &xs); err != nil {
				t.Fatalf("json array %q: %v", buf.String(), err)
			}
			for _, x := range xs {
				urls = append(urls, x.URL)
			}
		}
		if len(urls) != len(tc.articles) || enc.Count() != len(tc.articles) {
			t.Errorf("%s: decoded %v from %d articles", tc.format, urls, len(tc.articles))
		}
	}
}

func TestFingerprint(t *testing.T) {
	base := archive.Article{URL: "https://example.com/a", Title: "T", Text: "body"}
	same := base
	same.URL, same.FetchedAt, same.Version = "http://EXAMPLE.com/a/?utm_source=x#c", time.Now(), 3
	if base.Fingerprint() != same.Fingerprint() {
		t.Error("fetch details changed the fingerprint")
	}
	amp := base
	amp.URL, amp.CanonicalURL = "https://example.com/amp/a", "https://example.com/a"
	if base.Fingerprint() != amp.Fingerprint() {
		t.Error("an AMP copy naming the page canonical has another fingerprint")
	}
	for name, edit := range map[string]func(*archive.Article){
		"text":  func(a *archive.Article) { a.Text = "body!" },
		"title": func(a *archive.Article) { a.Title = "T2" },
		"tags":  func(a *archive.Article) { a.Tags = []string{"x"} },
		"moved": func(a *archive.Article) { a.Title, a.Text = "Tbody", "" },
	} {
		a := base
		edit(&a)
		if a.Fingerprint() == base.Fingerprint() {
			t.Errorf("%s edit kept the fingerprint", name)
		}
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// An export to a closed pipe stops at the first failed write instead of
// encoding the rest of the archive into a dead writer.
func TestEncoderStopsAtWriteError(t *testing.T) {
	closed := errors.New("pipe closed")
	enc := archive.NewEncoder(failingWriter{closed}, archive.JSONLines)
	a := &archive.Article{URL: "https://example.com/a", Text: strings.Repeat("x", 10<<10)}
	var err error
	for range 100 {
		if err = enc.Encode(a); err != nil {
			break
		}
	}
	if !errors.Is(err, closed) || enc.Count() > 10 {
		t.Errorf("after %d articles: %v, want the writer's error once the 64 KB buffer filled", enc.Count(), err)
	}
	if err := enc.Close(); !errors.Is(err, closed) {
		t.Errorf("Close: %v, want the writer's error", err)
	}
}
