package sqlite

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

// changesAfter runs ArticlesAfter, appends "key@version" of what it
// returns to got (when not nil) and returns the next cursor.
func changesAfter(t *testing.T, s *Store, f archive.Filter, got *[]string) archive.Cursor {
	t.Helper()
	next, err := s.ArticlesAfter(context.Background(), f, func(a *archive.Article) error {
		if got != nil {
			*got = append(*got, fmt.Sprintf("%s@%d", a.Key(), a.Version))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("ArticlesAfter(%+v): %v", f, err)
	}
	return next
}

func TestArticlesAfter(t *testing.T) {
	s := openTest(t, "")
	ctx := context.Background()
	const a, b, c = "https://example.com/a", "https://example.com/b", "https://example.com/c"
	n := 0
	save := func(url, text string) func() {
		return func() {
			n++
			cp, art := page(url, n, text)
			mustSave(t, s, cp, art)
		}
	}
	confirm := func(url string) func() {
		return func() {
			n++
			if err := s.Confirm(ctx, url, archive.Validators{FetchedAt: epoch.Add(time.Duration(n) * time.Minute)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	steps := []struct {
		name string
		do   []func()
		want []string // key@version in change order
	}{
		{"new articles", []func(){save(a, "a1"), save(b, "b1")}, []string{a + "@1", b + "@1"}},
		{"unchanged refetch and a 304", []func(){save(a, "a1"), confirm(b)}, nil},
		{"new version", []func(){save(b, "b2")}, []string{b + "@2"}},
		{"in change order, not key order", []func(){save(c, "c1"), save(a, "a2")}, []string{c + "@1", a + "@2"}},
		{"two versions of one article show once", []func(){save(b, "b3"), save(b, "b4")}, []string{b + "@4"}},
		{"nothing", nil, nil},
	}
	var cursor archive.Cursor
	for _, st := range steps {
		for _, do := range st.do {
			do()
		}
		var got []string
		next := changesAfter(t, s, archive.Filter{After: cursor}, &got)
		if !slices.Equal(got, st.want) {
			t.Errorf("%s: ArticlesAfter(%d) = %q, want %q", st.name, cursor, got, st.want)
		}
		switch {
		case len(st.want) == 0 && next != cursor:
			t.Errorf("%s: cursor moved from %d to %d with nothing new", st.name, cursor, next)
		case len(st.want) > 0 && next <= cursor:
			t.Errorf("%s: cursor %d did not move past %d", st.name, next, cursor)
		}
		got = nil
		if again := changesAfter(t, s, archive.Filter{After: next}, &got); again != next || len(got) > 0 {
			t.Errorf("%s: again from %d: %q, cursor %d", st.name, next, got, again)
		}
		cursor = next
	}

	// From the start: every article once, at its latest version.
	var all []string
	changesAfter(t, s, archive.Filter{}, &all)
	if want := []string{c + "@1", a + "@2", b + "@4"}; !slices.Equal(all, want) {
		t.Errorf("ArticlesAfter(0) = %q, want %q", all, want)
	}
}

func TestArticlesAfterFilters(t *testing.T) {
	s := openTest(t, "")
	at := func(day int) time.Time { return time.Date(2024, 3, day, 12, 0, 0, 0, time.UTC) }
	n := 0
	save := func(key, site string, published time.Time, text string) {
		n++
		c, a := page(key, n, text)
		a.Site, a.PublishedAt = site, published
		mustSave(t, s, c, a)
	}
	// Before the cursor.
	save("https://a.example/1", "a.example", at(1), "a1")
	save("https://a.example/2", "a.example", at(2), "a2")
	save("https://b.example/1", "b.example", at(1), "b1")
	cursor := changesAfter(t, s, archive.Filter{}, nil)
	// After it, saved out of key order.
	save("https://b.example/2", "b.example", at(3), "b2")
	save("https://a.example/2", "a.example", at(2), "a2 edited")
	save("https://a.example/3", "a.example", at(4), "a3")
	save("https://a.example/1", "a.example", at(1), "a1") // unchanged

	tests := []struct {
		name      string
		filter    archive.Filter
		changes   []string // ArticlesAfter: change order
		byKeyWant []string // Articles: key order
	}{
		{"after", archive.Filter{After: cursor},
			[]string{"https://b.example/2", "https://a.example/2", "https://a.example/3"},
			[]string{"https://a.example/2", "https://a.example/3", "https://b.example/2"}},
		{"after and site", archive.Filter{After: cursor, Site: "a.example"},
			[]string{"https://a.example/2", "https://a.example/3"},
			[]string{"https://a.example/2", "https://a.example/3"}},
		{"after and since", archive.Filter{After: cursor, Since: at(3)},
			[]string{"https://b.example/2", "https://a.example/3"},
			[]string{"https://a.example/3", "https://b.example/2"}},
		{"after, site and window", archive.Filter{After: cursor, Site: "a.example", Since: at(2), Until: at(4)},
			[]string{"https://a.example/2"}, []string{"https://a.example/2"}},
		{"site and window from the start", archive.Filter{Site: "a.example", Until: at(3)},
			[]string{"https://a.example/1", "https://a.example/2"},
			[]string{"https://a.example/1", "https://a.example/2"}},
		{"nothing matches", archive.Filter{After: cursor, Site: "b.example", Until: at(2)}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			next, err := s.ArticlesAfter(context.Background(), tt.filter, func(a *archive.Article) error {
				got = append(got, a.Key())
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.changes) {
				t.Errorf("ArticlesAfter = %q, want %q", got, tt.changes)
			}
			if len(got) == 0 && next != tt.filter.After {
				t.Errorf("cursor %d with nothing selected, want %d", next, tt.filter.After)
			}
			got = nil
			err = s.Articles(context.Background(), tt.filter, func(a *archive.Article) error {
				got = append(got, a.Key())
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.byKeyWant) {
				t.Errorf("Articles = %q, want %q", got, tt.byKeyWant)
			}
		})
	}
}

// On an error the cursor is that of the last article fn accepted, so a
// consumer that failed half way resumes where it stopped.
func TestArticlesAfterStopsAtCallbackError(t *testing.T) {
	s := openTest(t, "")
	for i := range 5 {
		c, a := page(fmt.Sprintf("https://example.com/%d", i), i, "text")
		mustSave(t, s, c, a)
	}
	stop := errors.New("stop")
	var accepted []string
	var last string
	cursor, err := s.ArticlesAfter(context.Background(), archive.Filter{}, func(a *archive.Article) error {
		if len(accepted) == 2 {
			last = a.Key()
			return stop
		}
		accepted = append(accepted, a.Key())
		return nil
	})
	if !errors.Is(err, stop) || len(accepted) != 2 {
		t.Fatalf("err = %v after %q, want stop after 2", err, accepted)
	}
	var rest []string
	changesAfter(t, s, archive.Filter{After: cursor}, &rest)
	if len(rest) != 3 || rest[0] != last+"@1" {
		t.Errorf("resumed from %d: %q, want the 3 from %s on", cursor, rest, last)
	}
}

// Both queries stream: ArticlesAfter walks versions by id from the cursor,
// Articles walks an index in key order, and neither sorts its result in a
// temporary b-tree before the first row.
func TestChangesQueryPlans(t *testing.T) {
	s := openTest(t, "")
	filters := []archive.Filter{
		{}, {After: 5}, {Site: "example.com", After: 5},
		{Since: epoch, Until: epoch.Add(time.Hour), After: 5},
		{Site: "example.com", Since: epoch, After: 5},
	}
	for _, f := range filters {
		for _, tc := range []struct {
			name  string
			query func(archive.Filter) (string, []any)
			first string // the plan's first step
		}{
			{"ArticlesAfter", changesQuery, "SEARCH v USING INTEGER PRIMARY KEY (rowid>?)"},
			{"Articles", articlesQuery, ""},
		} {
			q, args := tc.query(f)
			plan := queryPlan(t, s, q, args...)
			if slices.Contains(plan, "USE TEMP B-TREE FOR ORDER BY") {
				t.Errorf("%s %+v sorts in a temp b-tree: %q", tc.name, f, plan)
			}
			first := tc.first
			if first != "" && f.After == 0 {
				first = "SCAN v"
			}
			if first != "" && plan[0] != first {
				t.Errorf("%s %+v starts with %q, want %q", tc.name, f, plan[0], first)
			}
		}
	}
}

func queryPlan(t *testing.T, s *Store, query string, args ...any) []string {
	t.Helper()
	rows, err := s.read.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}
