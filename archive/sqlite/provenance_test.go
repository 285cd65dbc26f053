package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/newsvault/newsvault/archive"
)

func provenanceOf(t *testing.T, s *Store) map[string]archive.Provenance {
	t.Helper()
	out := map[string]archive.Provenance{}
	_, err := s.ProvenanceAfter(context.Background(), archive.Filter{}, func(a *archive.Article, p *archive.Provenance) error {
		out[a.Key()] = *p
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSaveWithProvenance(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, "")
	c1, a1 := page("https://example.com/1", 0, "first text")
	prov := &archive.Provenance{
		Newsvault: "0.1.0-test", Profile: "example", ProfileHash: "abc",
		Title: "profile:title", Published: "json-ld:datePublished", Authors: "meta:author",
		BodySHA256: "ignored", CharsetSource: "ignored",
	}
	if _, err := s.SaveWithProvenance(ctx, c1, a1, prov); err != nil {
		t.Fatal(err)
	}
	c2, a2 := page("https://example.com/2", 1, "second text")
	mustSave(t, s, c2, a2) // no provenance

	got := provenanceOf(t, s)
	want1 := *prov
	want1.Cause = archive.CauseFetch
	want1.BodySHA256, want1.Charset, want1.CharsetSource = sha256Hex(c1.Body), "utf-8", "header"
	if got[a1.Key()] != want1 {
		t.Errorf("with provenance:\n got %+v\nwant %+v", got[a1.Key()], want1)
	}
	want2 := archive.Provenance{Cause: archive.CauseFetch, BodySHA256: sha256Hex(c2.Body), Charset: "utf-8", CharsetSource: "header"}
	if got[a2.Key()] != want2 {
		t.Errorf("without provenance:\n got %+v\nwant %+v", got[a2.Key()], want2)
	}
	// An unchanged refetch adds no version and so no provenance row.
	c1b, a1b := page("https://example.com/1", 5, "first text")
	if saved, err := s.SaveWithProvenance(ctx, c1b, a1b, prov); err != nil || saved.Outcome != archive.Unchanged {
		t.Fatalf("refetch: %+v, %v", saved, err)
	}
	if n := count(t, s, `SELECT count(*) FROM provenance`); n != 1 {
		t.Errorf("%d provenance rows, want 1", n)
	}
}

// latestCapture returns the one stored capture of key's latest version.
func latestCapture(t *testing.T, s *Store, key string) *archive.StoredCapture {
	t.Helper()
	var got *archive.StoredCapture
	err := s.LatestCaptures(context.Background(), archive.Filter{}, func(sc *archive.StoredCapture, err error) error {
		if err != nil {
			return err
		}
		if sc.Key == key {
			cp := *sc
			got = &cp
		}
		return nil
	})
	if err != nil || got == nil {
		t.Fatalf("LatestCaptures: %v; %s found: %v", err, key, got != nil)
	}
	return got
}

func TestSaveReextraction(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, "")
	c, a := page("https://example.com/1", 0, "first text")
	mustSave(t, s, c, a)
	c.FetchedAt = epoch.Add(30 * 60e9)
	mustSave(t, s, c, a) // confirmed at +30 min
	sc := latestCapture(t, s, a.Key())
	if string(sc.Body) != string(c.Body) || sc.Version != 1 || sc.Fingerprint != a.Fingerprint() {
		t.Fatalf("stored capture %+v", sc)
	}

	// The same result writes nothing.
	if saved, err := s.SaveReextraction(ctx, sc, a, nil); err != nil || saved != (archive.Saved{Outcome: archive.Unchanged, Version: 1}) {
		t.Fatalf("unchanged re-extraction: %+v, %v", saved, err)
	}
	// Another title: version 2, same capture, cause reextract.
	b := *a
	b.Title = "A better title"
	saved, err := s.SaveReextraction(ctx, sc, &b, &archive.Provenance{Profile: "example", Title: "profile:title"})
	if err != nil || saved != (archive.Saved{Outcome: archive.Updated, Version: 2}) {
		t.Fatalf("re-extraction: %+v, %v", saved, err)
	}
	if n := count(t, s, `SELECT count(*) FROM captures`); n != 1 {
		t.Errorf("%d captures, want 1", n)
	}
	var (
		captures, causes, firstSeen, confirmed string
	)
	err = s.read.QueryRowContext(ctx, `SELECT group_concat(capture_id), group_concat(cause),
		group_concat(first_seen_at), group_concat(last_confirmed_at) FROM (SELECT * FROM versions ORDER BY version)`).
		Scan(&captures, &causes, &firstSeen, &confirmed)
	if err != nil {
		t.Fatal(err)
	}
	if captures != "1,1" || causes != "fetch,reextract" {
		t.Errorf("capture ids %s, causes %s", captures, causes)
	}
	if f := strings.Split(firstSeen, ","); f[0] != f[1] {
		t.Errorf("first seen %s: the re-extraction must keep the page's", firstSeen)
	}
	if f := strings.Split(confirmed, ","); f[0] != f[1] || f[0] != stamp(c.FetchedAt) {
		t.Errorf("last confirmed %s, want both %s", confirmed, stamp(c.FetchedAt))
	}
	if got, _ := s.Latest(ctx, a.Key()); got.Title != "A better title" || got.Version != 2 || !got.FetchedAt.Equal(epoch) {
		t.Errorf("latest %+v", got)
	}
	if p := provenanceOf(t, s)[a.Key()]; p.Cause != archive.CauseReextract || p.Title != "profile:title" || p.BodySHA256 != sha256Hex(c.Body) {
		t.Errorf("provenance %+v", p)
	}
	// sc is now stale: version 2 exists.
	if _, err := s.SaveReextraction(ctx, sc, a, nil); !errors.Is(err, archive.ErrStale) {
		t.Errorf("stale re-extraction: %v, want ErrStale", err)
	}
}

func TestLatestCapturesPages(t *testing.T) {
	s := openTest(t, "")
	const n = 2*capturePage + 3
	for i := range n {
		c, a := page(fmt.Sprintf("https://example.com/%03d", i), i, fmt.Sprintf("text %d", i))
		if i%3 == 0 {
			a.Site = "other.example"
		}
		mustSave(t, s, c, a)
	}
	var all, other int
	var lastKey string
	err := s.LatestCaptures(context.Background(), archive.Filter{}, func(sc *archive.StoredCapture, err error) error {
		if err != nil {
			return err
		}
		if sc.Key <= lastKey || len(sc.Body) == 0 {
			t.Errorf("capture %s after %s, body %d bytes", sc.Key, lastKey, len(sc.Body))
		}
		lastKey = sc.Key
		all++
		return nil
	})
	if err != nil || all != n {
		t.Fatalf("all: %d of %d, %v", all, n, err)
	}
	err = s.LatestCaptures(context.Background(), archive.Filter{Site: "other.example"}, func(*archive.StoredCapture, error) error {
		other++
		return nil
	})
	if err != nil || other != (n+2)/3 {
		t.Fatalf("site filter: %d, want %d, %v", other, (n+2)/3, err)
	}
}

func TestSimilar(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, "")
	story := `The central bank kept its key interest rate unchanged on Friday, citing slowing inflation and a weaker labour market, and said it was ready to act if prices rose again.

Governor Elena Markova told reporters that the board had discussed a cut but decided the risks of easing too early outweighed the benefits. Consumer prices rose 4.1 percent in the year to October, down from 5.3 percent in the summer, while unemployment edged up to 6.2 percent.

Analysts had broadly expected the decision after last month's data showed retail sales falling for a second quarter. Several banks now forecast the first cut in March, when the central bank publishes its new economic projections.

The national currency was little changed after the announcement, and government bond yields fell slightly as investors priced in lower rates next year.`
	save := func(u, text, site string) {
		c, a := page(u, 0, text)
		a.Site = site
		mustSave(t, s, c, a)
	}
	save("https://agency-a.example/wire/1", story, "agency-a.example")
	// The same wire story with one word changed (a copy-editor's fix).
	save("https://agency-b.example/news/77", strings.Replace(story, "on Friday", "on Thursday", 1), "agency-b.example")
	save("https://agency-c.example/x", "Local football club wins the regional cup after a dramatic penalty shoot-out in the final minutes.", "agency-c.example")
	save("https://agency-c.example/empty", "", "agency-c.example")

	got, err := s.Similar(ctx, "http://agency-a.example/wire/1/", archive.NearDuplicateDistance)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Key != "https://agency-b.example/news/77" || got[0].Site != "agency-b.example" || got[0].Distance > archive.NearDuplicateDistance {
		t.Errorf("similar to a: %+v", got)
	}
	if got, err := s.Similar(ctx, "https://agency-c.example/empty", 64); err != nil || len(got) != 0 {
		t.Errorf("empty text: %+v, %v", got, err)
	}
	if _, err := s.Similar(ctx, "https://nowhere.example/", 3); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("unknown key: %v", err)
	}
	// A new version moves the link: b rewritten is no longer a copy of a.
	c, b := page("https://agency-b.example/news/77", 5, "An entirely different story about a new bridge over the river, opened by the mayor on Saturday morning.")
	b.Site = "agency-b.example"
	mustSave(t, s, c, b)
	if got, err := s.Similar(ctx, "https://agency-a.example/wire/1", archive.NearDuplicateDistance); err != nil || len(got) != 0 {
		t.Errorf("after b changed: %+v, %v", got, err)
	}
	// The lookup uses the band indexes.
	rows, err := s.read.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT version_id FROM simhashes
		WHERE (band0 = 1 OR band1 = 2 OR band2 = 3 OR band3 = 4) AND article_id != 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(detail + "\n")
	}
	for i := range 4 {
		if !strings.Contains(plan.String(), fmt.Sprintf("simhashes_band%d", i)) {
			t.Errorf("plan does not use simhashes_band%d:\n%s", i, plan.String())
		}
	}
}

func TestMigrationBackfillsSimHashes(t *testing.T) {
	path := openV1(t, map[string][]v1Fetch{
		"https://example.com/a": {
			{"https://example.com/a", "https://example.com/a", "https://example.com/a", 0, "a first text"},
			{"https://example.com/a", "https://example.com/a", "https://example.com/a", 5, "a second text"},
		},
		"https://example.com/b": {{"https://example.com/b", "https://example.com/b", "https://example.com/b", 1, "b text"}},
	})
	s := openTest(t, path)
	if n := count(t, s, `SELECT count(*) FROM simhashes`); n != 3 {
		t.Errorf("%d simhashes backfilled, want 3", n)
	}
	var h int64
	if err := s.read.QueryRow(`SELECT sh.simhash FROM simhashes sh JOIN versions v ON v.id = sh.version_id WHERE v.text = 'b text'`).Scan(&h); err != nil || uint64(h) != archive.SimHash("b text") {
		t.Errorf("backfilled simhash %x, %v; want %x", h, err, archive.SimHash("b text"))
	}
	if n := count(t, s, `SELECT count(*) FROM versions WHERE cause != 'fetch'`); n != 0 {
		t.Errorf("%d old versions not marked fetch", n)
	}
}
