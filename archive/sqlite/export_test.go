package sqlite

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

func TestArticlesFilter(t *testing.T) {
	s := openTest(t, "")
	at := func(day, hour int) time.Time { return time.Date(2024, 3, day, hour, 0, 0, 0, time.UTC) }
	kyiv := time.FixedZone("", 2*3600)
	fixtures := []struct {
		key       string
		site      string
		published time.Time // zero: falls back to fetched
		fetched   time.Time
	}{
		{"https://a.example/1", "a.example", at(1, 12), at(5, 0)},
		{"https://a.example/2", "a.example", time.Time{}, at(3, 0)},
		{"https://b.example/1", "b.example", at(2, 12), at(5, 0)},
		// 2024-03-04 01:00+02:00 is 2024-03-03 23:00 UTC: filtered by the
		// instant, not the publisher's wall clock.
		{"https://b.example/2", "b.example", time.Date(2024, 3, 4, 1, 0, 0, 0, kyiv), at(5, 0)},
		{"https://c.example/0", "c.example", time.Time{}, at(4, 0)},
	}
	for i := len(fixtures) - 1; i >= 0; i-- { // saved out of key order
		f := fixtures[i]
		c, a := page(f.key, 0, "text of "+f.key)
		c.FetchedAt, a.Site, a.PublishedAt = f.fetched, f.site, f.published
		mustSave(t, s, c, a)
	}

	tests := []struct {
		name   string
		filter archive.Filter
		want   []string
	}{
		{"everything", archive.Filter{}, []string{"https://a.example/1", "https://a.example/2", "https://b.example/1", "https://b.example/2", "https://c.example/0"}},
		{"site", archive.Filter{Site: "b.example"}, []string{"https://b.example/1", "https://b.example/2"}},
		{"unknown site", archive.Filter{Site: "z.example"}, nil},
		{"since is inclusive", archive.Filter{Since: at(2, 12)}, []string{"https://a.example/2", "https://b.example/1", "https://b.example/2", "https://c.example/0"}},
		{"until is exclusive", archive.Filter{Until: at(2, 12)}, []string{"https://a.example/1"}},
		{"fallback to fetch time", archive.Filter{Since: at(3, 0), Until: at(3, 1)}, []string{"https://a.example/2"}},
		{"instant across offsets", archive.Filter{Since: at(3, 23), Until: at(4, 0)}, []string{"https://b.example/2"}},
		{"bounds in another zone", archive.Filter{Since: time.Date(2024, 3, 4, 1, 0, 0, 0, kyiv), Until: time.Date(2024, 3, 4, 2, 0, 0, 0, kyiv)}, []string{"https://b.example/2"}},
		{"site and window", archive.Filter{Site: "a.example", Since: at(2, 0), Until: at(6, 0)}, []string{"https://a.example/2"}},
		{"empty window", archive.Filter{Since: at(3, 0), Until: at(3, 0)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := s.Articles(context.Background(), tt.filter, func(a *archive.Article) error {
				got = append(got, a.Key())
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestArticlesLatestVersionOnly(t *testing.T) {
	s := openTest(t, "")
	for i, text := range []string{"one", "two", "three"} {
		c, a := page("https://example.com/a", i, text)
		mustSave(t, s, c, a)
	}
	var got []archive.Article
	err := s.Articles(context.Background(), archive.Filter{}, func(a *archive.Article) error {
		got = append(got, *a)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Version != 3 || got[0].Text != "three" {
		t.Errorf("got %+v, want only version 3", got)
	}
}

func TestArticlesStopsAtCallbackError(t *testing.T) {
	s := openTest(t, "")
	for i := range 5 {
		c, a := page("https://example.com/"+string(rune('a'+i)), i, "text")
		mustSave(t, s, c, a)
	}
	stop := errors.New("stop")
	calls := 0
	err := s.Articles(context.Background(), archive.Filter{}, func(*archive.Article) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 2 {
		t.Errorf("err = %v after %d calls, want stop after 2", err, calls)
	}
}

// The export must walk an index in key order, not sort the whole archive
// in a temporary b-tree before returning the first row.
func TestArticlesQueryPlanStreams(t *testing.T) {
	s := openTest(t, "")
	for _, f := range []archive.Filter{{}, {Site: "example.com"}, {Since: epoch, Until: epoch.Add(time.Hour)}} {
		q, args := articlesQuery(f)
		rows, err := s.read.Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			if step == "USE TEMP B-TREE FOR ORDER BY" {
				t.Errorf("filter %+v sorts in a temp b-tree: %q", f, plan)
			}
		}
	}
}

func TestArticlesStopsWhenCanceled(t *testing.T) {
	s := openTest(t, "")
	for i := range 5 {
		c, a := page("https://example.com/"+string(rune('a'+i)), i, "text")
		mustSave(t, s, c, a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	err := s.Articles(ctx, archive.Filter{}, func(*archive.Article) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("err = %v after %d calls, want context.Canceled after 1", err, calls)
	}
}
