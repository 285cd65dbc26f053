package sqlite

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

// siteRun returns a SiteRun whose counters are all different, so a column
// stored into another field's place shows.
func siteRun(name string, base int) archive.SiteRun {
	return archive.SiteRun{
		Site: name, Fetched: base + 1, NotModified: base + 2, New: base + 3, Updated: base + 4,
		Unchanged: base + 5, Fresh: base + 6, Skipped: base + 7, Failed: base + 8, Deferred: base + 9,
		Extracted: base + 10, EmptyText: base + 11, NoTitle: base + 12, NoDate: base + 13,
		MedianTextLen: base + 14,
	}
}

func TestRunsRoundTrip(t *testing.T) {
	s := openTest(t, "")
	ctx := context.Background()
	hour := func(n int) time.Time { return epoch.Add(time.Duration(n) * time.Hour) }

	// Begun out of StartedAt order: Runs orders by start, not by id.
	begin := func(start time.Time) int64 {
		t.Helper()
		id, err := s.BeginRun(ctx, start)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	second, first, third, died := begin(hour(1)), begin(hour(0)), begin(hour(2)), begin(hour(3))

	failedSite := siteRun("broken.example", 200)
	failedSite.Error = "robots.txt: 503 Service Unavailable"
	ends := []archive.Run{
		{ID: first, EndedAt: hour(0).Add(10 * time.Minute), ExitCode: 0,
			Sites: []archive.SiteRun{siteRun("zeta.example", 0), siteRun("alpha.example", 100)}},
		{ID: second, EndedAt: hour(1).Add(5 * time.Minute), ExitCode: 1,
			Sites: []archive.SiteRun{siteRun("mid.example", 300), failedSite, siteRun("alpha.example", 400)}},
		{ID: third, EndedAt: hour(2).Add(time.Minute), ExitCode: 130},
	}
	for i := range ends {
		if err := s.EndRun(ctx, &ends[i]); err != nil {
			t.Fatalf("EndRun %d: %v", ends[i].ID, err)
		}
	}

	want := []archive.Run{
		{ID: died, StartedAt: hour(3)},
		{ID: third, StartedAt: hour(2), EndedAt: hour(2).Add(time.Minute), ExitCode: 130},
		{ID: second, StartedAt: hour(1), EndedAt: hour(1).Add(5 * time.Minute), ExitCode: 1,
			Sites: []archive.SiteRun{siteRun("alpha.example", 400), failedSite, siteRun("mid.example", 300)}},
		{ID: first, StartedAt: hour(0), EndedAt: hour(0).Add(10 * time.Minute),
			Sites: []archive.SiteRun{siteRun("alpha.example", 100), siteRun("zeta.example", 0)}},
	}
	for _, tt := range []struct {
		limit int
		want  []archive.Run
	}{
		{0, want},
		{1, want[:1]},
		{2, want[:2]},
		{3, want[:3]},
		{10, want},
	} {
		got, err := s.Runs(ctx, tt.limit)
		if err != nil {
			t.Fatalf("Runs(%d): %v", tt.limit, err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Runs(%d):\n got %+v\nwant %+v", tt.limit, got, tt.want)
		}
	}
	if got, _ := s.Runs(ctx, 0); !got[0].EndedAt.IsZero() {
		t.Errorf("a run never ended has EndedAt %v", got[0].EndedAt)
	}
}

func TestEndRunTwiceReplacesSites(t *testing.T) {
	s := openTest(t, "")
	ctx := context.Background()
	id, err := s.BeginRun(ctx, epoch)
	if err != nil {
		t.Fatal(err)
	}
	r := archive.Run{ID: id, EndedAt: epoch.Add(time.Minute), ExitCode: 1,
		Sites: []archive.SiteRun{siteRun("a.example", 0), siteRun("b.example", 10)}}
	if err := s.EndRun(ctx, &r); err != nil {
		t.Fatal(err)
	}
	r.ExitCode, r.Sites = 0, []archive.SiteRun{siteRun("a.example", 20)}
	if err := s.EndRun(ctx, &r); err != nil {
		t.Fatal(err)
	}
	got, err := s.Runs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []archive.Run{{ID: id, StartedAt: epoch, EndedAt: epoch.Add(time.Minute), Sites: r.Sites}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Runs:\n got %+v\nwant %+v", got, want)
	}
}

func TestRunsDefaultsAndErrors(t *testing.T) {
	s := openTest(t, "")
	ctx := context.Background()
	if got, err := s.Runs(ctx, 0); err != nil || len(got) != 0 {
		t.Errorf("Runs on a new archive = %+v, %v", got, err)
	}
	if _, err := s.Runs(ctx, -1); err == nil {
		t.Error("Runs(-1) succeeded")
	}
	if err := s.EndRun(ctx, &archive.Run{ID: 42}); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("EndRun of an unknown run = %v, want ErrNotFound", err)
	}
	if err := s.EndRun(ctx, nil); err == nil {
		t.Error("EndRun(nil) succeeded")
	}

	// Zero times are the Store's clock.
	id, err := s.BeginRun(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	dup := archive.Run{ID: id, Sites: []archive.SiteRun{{Site: "a.example"}, {Site: "a.example"}}}
	if err := s.EndRun(ctx, &dup); err == nil {
		t.Error("EndRun with a site twice succeeded")
	}
	if err := s.EndRun(ctx, &archive.Run{ID: id}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Runs(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].StartedAt.Equal(epoch) || !got[0].EndedAt.Equal(epoch) || got[0].Sites != nil {
		t.Errorf("Runs = %+v, want one run started and ended at the clock's %v, no sites", got, epoch)
	}
}
