package sqlite

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

func TestSaveOutcomes(t *testing.T) {
	s := openTest(t, "")
	const url = "https://example.com/a"
	steps := []struct {
		name     string
		text     string
		edit     func(*archive.Article)
		want     archive.Saved
		versions int
		captures int
	}{
		{name: "first fetch", text: "one", want: archive.Saved{Outcome: archive.New, Version: 1}, versions: 1, captures: 1},
		{name: "same content", text: "one", want: archive.Saved{Outcome: archive.Unchanged, Version: 1}, versions: 1, captures: 1},
		{name: "text edited", text: "two", want: archive.Saved{Outcome: archive.Updated, Version: 2}, versions: 2, captures: 2},
		{name: "same again", text: "two", want: archive.Saved{Outcome: archive.Unchanged, Version: 2}, versions: 2, captures: 2},
		{name: "title edited", text: "two", edit: func(a *archive.Article) { a.Title = "Corrected" },
			want: archive.Saved{Outcome: archive.Updated, Version: 3}, versions: 3, captures: 3},
		{name: "back to the first text", text: "one",
			want: archive.Saved{Outcome: archive.Updated, Version: 4}, versions: 4, captures: 4},
		{name: "only fetch details differ", text: "one", edit: func(a *archive.Article) { a.URL += "?utm_source=x" },
			want: archive.Saved{Outcome: archive.Unchanged, Version: 4}, versions: 4, captures: 4},
	}
	for i, st := range steps {
		c, a := page(url, i, st.text)
		if st.edit != nil {
			st.edit(a)
		}
		got := mustSave(t, s, c, a)
		if got != st.want {
			t.Errorf("%s: Save = %+v, want %+v", st.name, got, st.want)
		}
		if n := count(t, s, `SELECT count(*) FROM versions`); n != st.versions {
			t.Errorf("%s: %d versions, want %d", st.name, n, st.versions)
		}
		if n := count(t, s, `SELECT count(*) FROM captures`); n != st.captures {
			t.Errorf("%s: %d captures, want %d", st.name, n, st.captures)
		}
	}

	vs, err := s.Versions(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	wantTexts := []string{"one", "two", "two", "one"}
	if len(vs) != len(wantTexts) {
		t.Fatalf("Versions: %d, want %d", len(vs), len(wantTexts))
	}
	for i, v := range vs {
		if v.Version != i+1 || v.Text != wantTexts[i] {
			t.Errorf("version %d: got version %d text %q, want %q", i+1, v.Version, v.Text, wantTexts[i])
		}
	}
	if vs[2].Title != "Corrected" || vs[1].Title == "Corrected" {
		t.Errorf("titles of versions 2, 3 = %q, %q", vs[1].Title, vs[2].Title)
	}
}

func TestUnchangedMovesOnlyTimesAndValidators(t *testing.T) {
	s := openTest(t, "")
	ctx := context.Background()
	const url = "https://example.com/a"
	c, a := page(url, 0, "body")
	mustSave(t, s, c, a)

	c2, a2 := page(url, 30, "body")
	c2.ETag = `"e2"`
	c2.LastModified = "Fri, 01 Mar 2024 12:30:00 GMT"
	if got := mustSave(t, s, c2, a2); got.Outcome != archive.Unchanged {
		t.Fatalf("outcome %v, want unchanged", got.Outcome)
	}
	etag, lm, fetched, err := s.Validators(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if etag != `"e2"` || lm != c2.LastModified || !fetched.Equal(c2.FetchedAt) {
		t.Errorf("Validators = %q %q %v, want the second fetch's", etag, lm, fetched)
	}
	var first, confirmed string
	err = s.read.QueryRowContext(ctx, `SELECT first_seen_at, last_confirmed_at FROM versions`).Scan(&first, &confirmed)
	if err != nil {
		t.Fatal(err)
	}
	if first != stamp(c.FetchedAt) || confirmed != stamp(c2.FetchedAt) {
		t.Errorf("first_seen_at, last_confirmed_at = %s, %s", first, confirmed)
	}

	// An older fetch saved late (another process) moves nothing back.
	c3, a3 := page(url, 10, "body")
	c3.ETag = `"old"`
	mustSave(t, s, c3, a3)
	if etag, _, _, _ := s.Validators(ctx, url); etag != `"e2"` {
		t.Errorf("ETag after a late old fetch = %q, want \"e2\"", etag)
	}
	latest, err := s.Latest(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if !latest.FetchedAt.Equal(c.FetchedAt) {
		t.Errorf("Latest.FetchedAt = %v, want the capture's %v", latest.FetchedAt, c.FetchedAt)
	}
}

func TestSaveDoesNotMutate(t *testing.T) {
	s := openTest(t, "")
	c, a := page("https://example.com/a", 0, "text")
	before := *a
	before.Authors = append([]string(nil), a.Authors...)
	before.Tags = append([]string(nil), a.Tags...)
	body := append([]byte(nil), c.Body...)
	mustSave(t, s, c, a)
	c2, a2 := page("https://example.com/a", 1, "changed")
	mustSave(t, s, c2, a2)
	if !reflect.DeepEqual(*a, before) {
		t.Errorf("Save changed the article:\n got %+v\nwant %+v", *a, before)
	}
	if string(c.Body) != string(body) {
		t.Error("Save changed the capture body")
	}
}

func TestSaveFetchedAtDefaultsToClock(t *testing.T) {
	s := openTest(t, "")
	c, a := page("https://example.com/a", 0, "text")
	c.FetchedAt = time.Time{}
	mustSave(t, s, c, a)
	got, err := s.Latest(context.Background(), a.Key())
	if err != nil {
		t.Fatal(err)
	}
	if !got.FetchedAt.Equal(epoch) {
		t.Errorf("FetchedAt = %v, want the injected clock's %v", got.FetchedAt, epoch)
	}
}

func TestSaveRejects(t *testing.T) {
	s := openTest(t, "")
	c, a := page("https://example.com/a", 0, "text")
	tests := []struct {
		name string
		c    *archive.Capture
		a    *archive.Article
	}{
		{"nil capture", nil, a},
		{"nil article", c, nil},
		{"no key", c, &archive.Article{Title: "t"}},
	}
	for _, tt := range tests {
		if _, err := s.Save(context.Background(), tt.c, tt.a); err == nil {
			t.Errorf("%s: Save succeeded", tt.name)
		}
	}
	if n := count(t, s, `SELECT count(*) FROM articles`); n != 0 {
		t.Errorf("%d articles after rejected saves", n)
	}
}
