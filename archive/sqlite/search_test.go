package sqlite

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

// searchKeys runs q and returns the keys of its hits, best first.
func searchKeys(t *testing.T, s *Store, q archive.Query) ([]string, error) {
	t.Helper()
	var keys []string
	err := s.Search(context.Background(), q, func(h *archive.Hit) error {
		keys = append(keys, h.Key)
		return nil
	})
	return keys, err
}

func saveText(t *testing.T, s *Store, url string, n int, title, text string, f ...func(*archive.Article)) {
	t.Helper()
	c, a := page(url, n, text)
	a.Title = title
	for _, f := range f {
		f(a)
	}
	mustSave(t, s, c, a)
}

func TestSearch(t *testing.T) {
	s := openTest(t, "")
	const (
		ru1 = "https://ria.example/1"
		ru2 = "https://ria.example/2"
		en1 = "https://example.com/en/1"
		en2 = "https://example.com/en/2"
		old = "https://example.com/en/old"
	)
	onSite := func(site string) func(*archive.Article) { return func(a *archive.Article) { a.Site = site } }
	saveText(t, s, ru1, 0, "МОСКВА приняла бюджет", "Депутаты одобрили бюджет. Новогодняя ёлка будет стоять на площади.", onSite("ria.example"))
	saveText(t, s, ru2, 1, "Погода", "В Москва-Сити ожидается снег. Елка в парке уже украшена.", onSite("ria.example"))
	saveText(t, s, en1, 2, "Budget vote in parliament", "The parliament voted on the budget. Mentions of the budget twice.")
	saveText(t, s, en2, 3, "Sports roundup", "The parliament budget was not discussed at the café.")
	saveText(t, s, old, 4, "Parliament closes", "Old news about the parliament.", func(a *archive.Article) {
		a.PublishedAt = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	})
	// A second version of en2 no longer says "café".
	saveText(t, s, en2, 5, "Sports roundup", "The parliament budget was not discussed.")

	for _, tc := range []struct {
		name string
		q    archive.Query
		want []string
	}{
		{"cyrillic lower finds upper and title case", archive.Query{Text: "москва"}, []string{ru1, ru2}},
		{"cyrillic upper", archive.Query{Text: "МОСКВА"}, []string{ru1, ru2}},
		{"ё finds е", archive.Query{Text: "ёлка"}, []string{ru1, ru2}},
		{"е finds ё", archive.Query{Text: "елка"}, []string{ru1, ru2}},
		{"title above text", archive.Query{Text: "budget"}, []string{en1, en2}},
		{"and", archive.Query{Text: "parliament budget"}, []string{en1, en2}},
		{"exclude", archive.Query{Text: "parliament -budget"}, []string{old}},
		{"or", archive.Query{Text: "sports OR closes"}, []string{en2, old}},
		{"phrase", archive.Query{Text: `"voted on the budget"`}, []string{en1}},
		{"prefix", archive.Query{Text: "parliam*", Site: "example.com", Since: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, []string{en1, en2}},
		{"field", archive.Query{Text: "title:parliament"}, []string{en1, old}},
		{"site", archive.Query{Text: "бюджет", Site: "example.com"}, nil},
		{"since", archive.Query{Text: "parliament", Since: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, []string{en1, en2}},
		{"latest version only", archive.Query{Text: "cafe"}, nil},
		{"all versions, diacritics folded", archive.Query{Text: "cafe", AllVersions: true}, []string{en2}},
		{"limit", archive.Query{Text: "budget", Limit: 1}, []string{en1}},
	} {
		got, err := searchKeys(t, s, tc.q)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if tc.name == "title above text" || tc.name == "limit" || tc.name == "phrase" {
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s: %q, want %q in this order", tc.name, got, tc.want)
			}
			continue
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tc.want))
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", tc.name, got, want)
		}
	}
}

func TestSearchSnippet(t *testing.T) {
	s := openTest(t, "")
	saveText(t, s, "https://example.com/1", 0, "Title", "Nothing here. The Moscow city council met on Monday.")
	var hits []archive.Hit
	err := s.Search(context.Background(), archive.Query{Text: "moscow", Mark: "[", Unmark: "]"}, func(h *archive.Hit) error {
		hits = append(hits, *h)
		return nil
	})
	if err != nil || len(hits) != 1 {
		t.Fatalf("%d hits, %v", len(hits), err)
	}
	if want := "Nothing here. The [Moscow] city council met on Monday."; hits[0].Snippet != want {
		t.Errorf("snippet %q, want %q", hits[0].Snippet, want)
	}
	if hits[0].Article.Title != "Title" || hits[0].Article.Version != 1 {
		t.Errorf("hit %+v", hits[0].Article)
	}
}

// TestSearchHostileQueries is T33 for search: whatever is typed, the
// answer is results or archive.ErrBadQuery, never an SQL error, and the
// schema is untouched.
func TestSearchHostileQueries(t *testing.T) {
	s := openTest(t, "")
	saveText(t, s, "https://example.com/1", 0, "Drop table articles", "A text about tables near the river, with 100% of 1=1.")
	schema := func() string {
		var sql string
		if err := s.read.QueryRow(`SELECT group_concat(type || name || coalesce(sql, ''), char(10)) FROM sqlite_master`).Scan(&sql); err != nil {
			t.Fatal(err)
		}
		return sql
	}
	before := schema()
	for _, tc := range []struct {
		q   string
		bad bool
	}{
		{`'); DROP TABLE articles;--`, false},
		{`" OR 1=1 --`, true},
		{`%_`, true},
		{`NEAR(`, false},
		{`NEAR(a b)`, false},
		{`"unbalanced`, true},
		{`col:term`, true},
		{`-`, true},
		{`-table`, true},
		{`OR`, true},
		{`a OR`, true},
		{`table OR OR river`, true},
		{`title:`, false},
		{`*`, true},
		{`table*`, false},
		{`"" river`, false},
		{`text:"near the"`, false},
		{`https://example.com/1`, false},
		{`{title text}: river`, false},
		{`^river`, false},
		{`river + table`, false},
		{`a"b`, false},
		{`AND NOT`, false},
		{"\x00river", false},
	} {
		_, err := searchKeys(t, s, archive.Query{Text: tc.q, Mark: "<b>", Unmark: "</b>"})
		switch {
		case tc.bad && !errors.Is(err, archive.ErrBadQuery):
			t.Errorf("%q: %v, want a bad query error", tc.q, err)
		case !tc.bad && err != nil:
			t.Errorf("%q: %v, want results", tc.q, err)
		}
	}
	if after := schema(); after != before {
		t.Errorf("sqlite_master changed:\n%s\n---\n%s", before, after)
	}
}

// TestSearchMigrationBackfill: versions saved before migration 0006 are
// found after it.
func TestSearchMigrationBackfill(t *testing.T) {
	path := openV1(t, map[string][]v1Fetch{
		"https://example.com/b": {{"https://example.com/b", "https://example.com/b", "https://example.com/b", 10, "b1"}},
	})
	s := openTest(t, path)
	got, err := searchKeys(t, s, archive.Query{Text: "b1"})
	if err != nil || len(got) != 1 {
		t.Errorf("%q, %v", got, err)
	}
}
