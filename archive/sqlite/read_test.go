package sqlite

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

func TestLatestRoundTrip(t *testing.T) {
	s := openTest(t, "")
	moscow := time.FixedZone("MSK", 3*3600)
	c, _ := page("https://example.com/x", 5, "")
	a := &archive.Article{
		URL:          "https://example.com/x?from=rss",
		CanonicalURL: "https://example.com/x",
		Site:         "example.com",
		Title:        "Заголовок",
		Authors:      []string{"Иван Петров", "Jane Doe"},
		PublishedAt:  time.Date(2024, 2, 29, 23, 30, 15, 250_000_000, moscow),
		ModifiedAt:   time.Date(2024, 3, 1, 1, 0, 0, 0, time.UTC),
		Language:     "ru",
		Description:  "Описание",
		Text:         "Первый абзац.\n\nВторой абзац.",
		Tags:         []string{"политика", "экономика"},
		ImageURL:     "https://example.com/i.jpg",
	}
	mustSave(t, s, c, a)
	got, err := s.Latest(context.Background(), a.Key())
	if err != nil {
		t.Fatal(err)
	}

	want := *a
	want.FetchedAt = c.FetchedAt
	want.ContentSHA256 = archive.TextSHA256(a.Text)
	want.Version = 1
	// Times come back as the same instant with the same offset; compare
	// them apart from their *time.Location.
	for _, tm := range []struct {
		name      string
		got, want time.Time
	}{
		{"PublishedAt", got.PublishedAt, want.PublishedAt},
		{"ModifiedAt", got.ModifiedAt, want.ModifiedAt},
		{"FetchedAt", got.FetchedAt, want.FetchedAt},
	} {
		if !tm.got.Equal(tm.want) || tm.got.Format(time.RFC3339Nano) != tm.want.Format(time.RFC3339Nano) {
			t.Errorf("%s = %s, want %s", tm.name, tm.got.Format(time.RFC3339Nano), tm.want.Format(time.RFC3339Nano))
		}
	}
	got.PublishedAt, got.ModifiedAt, got.FetchedAt = time.Time{}, time.Time{}, time.Time{}
	want.PublishedAt, want.ModifiedAt, want.FetchedAt = time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Latest:\n got %+v\nwant %+v", got, want)
	}
}

func TestEmptyFieldsRoundTrip(t *testing.T) {
	s := openTest(t, "")
	c, _ := page("https://example.com/bare", 0, "")
	a := &archive.Article{URL: "https://example.com/bare"}
	mustSave(t, s, c, a)
	got, err := s.Latest(context.Background(), a.URL)
	if err != nil {
		t.Fatal(err)
	}
	if got.Authors != nil || got.Tags != nil || !got.PublishedAt.IsZero() || !got.ModifiedAt.IsZero() {
		t.Errorf("empty fields came back as %+v", got)
	}
}

func TestNotFound(t *testing.T) {
	s := openTest(t, "")
	ctx := context.Background()
	c, a := page("https://example.com/known", 0, "x")
	mustSave(t, s, c, a)
	const key = "https://example.com/unknown"
	_, err1 := s.Latest(ctx, key)
	_, err2 := s.Versions(ctx, key)
	_, err3 := s.LatestCapture(ctx, key)
	_, _, _, err4 := s.Validators(ctx, key)
	for i, err := range []error{err1, err2, err3, err4} {
		if !errors.Is(err, archive.ErrNotFound) {
			t.Errorf("call %d: err = %v, want archive.ErrNotFound", i+1, err)
		}
	}
}

func TestCaptureRoundTrip(t *testing.T) {
	big := bytes.Repeat([]byte("<p>Lorem ipsum dolor sit amet, привет мир.</p>\n"), 30_000)
	tests := []struct {
		name    string
		body    []byte
		charset string
	}{
		{"windows-1251", []byte("<html><meta charset=windows-1251><p>\xcf\xf0\xe8\xe2\xe5\xf2</p></html>"), "windows-1251"},
		{"invalid utf-8 and nul", []byte{0xff, 0xfe, 0x00, 0x80, '<', 'p', '>', 0xc3, 0x28}, "utf-8"},
		{"empty", []byte{}, ""},
		{"1.4 MB", big, "utf-8"},
	}
	s := openTest(t, "")
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := "https://example.com/c/" + tt.name
			c, a := page(url, i, "text")
			c.Body, c.Charset, c.CharsetSource = tt.body, tt.charset, "meta"
			c.FinalURL = url + "/final"
			c.Status = 203
			mustSave(t, s, c, a)
			got, err := s.LatestCapture(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			if !got.FetchedAt.Equal(c.FetchedAt) {
				t.Errorf("FetchedAt = %v, want %v", got.FetchedAt, c.FetchedAt)
			}
			got.FetchedAt = c.FetchedAt
			if !bytes.Equal(got.Body, c.Body) {
				t.Fatalf("body: got %d bytes, want %d", len(got.Body), len(c.Body))
			}
			got.Body = c.Body
			if !reflect.DeepEqual(got, *c) {
				t.Errorf("capture:\n got %+v\nwant %+v", got, *c)
			}
		})
	}
	var raw, stored int
	err := s.read.QueryRow(`SELECT raw_size, length(body_zstd) FROM captures WHERE raw_size > 1000000`).Scan(&raw, &stored)
	if err != nil {
		t.Fatal(err)
	}
	if stored*10 > raw {
		t.Errorf("a repetitive %d-byte body takes %d bytes: not compressed", raw, stored)
	}
}

func TestLatestCaptureIsTheLatestVersions(t *testing.T) {
	s := openTest(t, "")
	const url = "https://example.com/a"
	c1, a1 := page(url, 0, "one")
	c2, a2 := page(url, 1, "two")
	c3, a3 := page(url, 2, "two") // unchanged: its body is not kept
	c3.Body = []byte("same article, different markup")
	for _, p := range []struct {
		c *archive.Capture
		a *archive.Article
	}{{c1, a1}, {c2, a2}, {c3, a3}} {
		mustSave(t, s, p.c, p.a)
	}
	got, err := s.LatestCapture(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Body, c2.Body) {
		t.Errorf("LatestCapture body = %q, want version 2's %q", got.Body, c2.Body)
	}
}

func TestCorruptBodyDetected(t *testing.T) {
	s := openTest(t, "")
	c, a := page("https://example.com/a", 0, "text")
	mustSave(t, s, c, a)
	if _, err := s.write.Exec(`UPDATE captures SET body_sha256 = 'bad'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LatestCapture(context.Background(), a.Key()); !errors.Is(err, ErrCorrupt) {
		t.Errorf("err = %v, want ErrCorrupt", err)
	}
}
