package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/archive/sqlite"
)

const fireURL = "https://example.com/news/fire"

// fireVersions are the versions of one article as a publisher updated it:
// an update, a correction with a new title, a metadata-only change.
func fireVersions() []archive.Article {
	base := archive.Article{
		URL: fireURL + "?utm_source=feed", CanonicalURL: fireURL, Site: "example.com", Language: "en",
		Title:       "Fire in the city centre",
		Authors:     []string{"Ann Author"},
		PublishedAt: time.Date(2026, 11, 25, 9, 0, 0, 0, time.FixedZone("", 3*3600)),
		Text: "A fire broke out in a warehouse on Main Street on Tuesday morning.\n\n" +
			"Firefighters arrived within ten minutes, the city said.\n\n" +
			"The cause of the fire is not yet known.",
		Tags: []string{"fire"},
	}
	v2 := base
	v2.Text += "\n\nNo one was hurt, a spokesman said at noon."
	v2.ModifiedAt = time.Date(2026, 11, 25, 12, 0, 0, 0, time.FixedZone("", 3*3600))
	v3 := v2
	v3.Title = "Warehouse fire in the city centre"
	v3.Text = strings.Replace(v2.Text, "within ten minutes", "within twelve minutes", 1)
	v3.ModifiedAt = time.Date(2026, 11, 25, 14, 30, 0, 0, time.FixedZone("", 3*3600))
	v4 := v3
	v4.ModifiedAt = time.Date(2026, 11, 26, 8, 0, 0, 0, time.FixedZone("", 3*3600))
	v4.Tags = []string{"fire", "city"}
	return []archive.Article{base, v2, v3, v4}
}

// historyArchive archives fireVersions (each confirmed once by a second
// fetch) and a Russian article into a new archive and returns its path.
func historyArchive(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "news.db")
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC)
	save := func(a archive.Article) {
		for range 2 { // the second fetch only confirms
			c := &archive.Capture{URL: a.URL, FinalURL: a.URL, Status: 200, FetchedAt: at,
				ContentType: "text/html", Charset: "utf-8", Body: []byte("<html><p>" + a.Text + "</p></html>")}
			if _, err := s.Save(ctx, c, &a); err != nil {
				t.Fatal(err)
			}
			at = at.Add(30 * time.Minute)
		}
	}
	for _, a := range fireVersions() {
		save(a)
	}
	save(archive.Article{URL: "https://ria.example/moscow", Site: "ria.example", Language: "ru",
		Title: "МОСКВА готовится к празднику", PublishedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
		Text: "Главная ёлка страны стоит на Красной площади.\n\nМосква украшена огнями."})
	save(archive.Article{URL: "https://ria.example/weather", Site: "ria.example", Language: "ru",
		Title: "Погода", Text: "В городе Москва ожидается снег. Елка в парке уже стоит."})
	return db
}

// golden compares got with testdata/diff/name.golden, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "diff", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s: output differs from %s (go test -update rewrites it):\n%s", name, path, got)
	}
}

func TestHistoryDiffGoldens(t *testing.T) {
	db := historyArchive(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"history", []string{"history", "--db", db, fireURL}},
		// Any form of the URL: http, tracking parameters, trailing slash.
		{"history", []string{"history", "--db", db, "http://EXAMPLE.com/news/fire/?utm_medium=x"}},
		{"history_json", []string{"history", "--db", db, "--json", fireURL}},
		{"diff_latest", []string{"diff", "--db", db, fireURL}},
		{"diff_1_2", []string{"diff", "--db", db, "--from", "1", "--to", "2", fireURL}},
		{"diff_2_3", []string{"diff", "--db", db, "--from", "2", "--to", "3", fireURL + "?utm_source=feed"}},
		{"diff_1_4_full", []string{"diff", "--db", db, "--from", "1", "--full", fireURL}},
		{"diff_color", []string{"diff", "--db", db, "--color", "always", "--to", "3", fireURL}},
	} {
		code, out, errOut := newsvault(t, &env{}, tc.args...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", tc.name, code, errOut)
		}
		golden(t, tc.name, out)
	}
}

func TestHistoryDiffErrors(t *testing.T) {
	db := historyArchive(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"history", "--db", db, "https://example.com/none"}, exitError, "no article archived under https://example.com/none"},
		{[]string{"diff", "--db", db, "--from", "9", fireURL}, exitError, "no version 9"},
		{[]string{"diff", "--db", db, "https://ria.example/moscow"}, exitError, "one version only"},
		{[]string{"diff", "--db", db, "--color", "rainbow", fireURL}, exitUsage, "bad --color"},
		{[]string{"history", "--db", db}, exitUsage, "one URL"},
	} {
		code, _, errOut := newsvault(t, &env{}, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: exit %d, %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}
