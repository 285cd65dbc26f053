package sqlite

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/newsvault/newsvault/archive"
)

func TestCapturesOldestFirstEveryVersion(t *testing.T) {
	s := openTest(t, "")
	// b's first fetch is older than a's though saved after it; a gets a
	// second version; a confirmation of b keeps no capture.
	ca, aa := page("https://example.com/a", 10, "first text of a")
	mustSave(t, s, ca, aa)
	cb, ab := page("https://other.org/b", 5, "text of b")
	ab.Site = "other.org"
	mustSave(t, s, cb, ab)
	ca2, aa2 := page("https://example.com/a", 20, "second text of a")
	mustSave(t, s, ca2, aa2)
	cb2, ab2 := page("https://other.org/b", 30, "text of b")
	ab2.Site = "other.org"
	mustSave(t, s, cb2, ab2)

	var got []string
	err := s.Captures(context.Background(), archive.Filter{}, func(c *archive.StoredCapture) error {
		got = append(got, fmt.Sprintf("%s v%d %s %s", c.Key, c.Version, c.FetchedAt.Format("15:04"), c.Body))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"https://other.org/b v1 12:05 <html><body><p>text of b</p></body></html>",
		"https://example.com/a v1 12:10 <html><body><p>first text of a</p></body></html>",
		"https://example.com/a v2 12:20 <html><body><p>second text of a</p></body></html>",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Captures:\n got %q\nwant %q", got, want)
	}

	got = nil
	err = s.Captures(context.Background(), archive.Filter{Site: "example.com"}, func(c *archive.StoredCapture) error {
		got = append(got, fmt.Sprintf("%s v%d", c.Key, c.Version))
		return nil
	})
	if err != nil || fmt.Sprint(got) != "[https://example.com/a v1 https://example.com/a v2]" {
		t.Errorf("Captures(site) = %q, %v", got, err)
	}

	stop := errors.New("stop")
	n := 0
	err = s.Captures(context.Background(), archive.Filter{}, func(*archive.StoredCapture) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Captures stopped after %d with %v, want 1 and stop", n, err)
	}
}

func TestHasCapture(t *testing.T) {
	s := openTest(t, "")
	c, a := page("https://example.com/a", 10, "text")
	mustSave(t, s, c, a)
	ctx := context.Background()
	if ok, err := s.HasCapture(ctx, c); !ok || err != nil {
		t.Errorf("HasCapture(saved) = %v, %v", ok, err)
	}
	other, _ := page("https://example.com/a", 11, "text")
	if ok, err := s.HasCapture(ctx, other); ok || err != nil {
		t.Errorf("HasCapture(another fetch time) = %v, %v", ok, err)
	}
}
