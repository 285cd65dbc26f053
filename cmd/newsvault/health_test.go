package main

import (
	"strings"
	"testing"

	"github.com/newsvault/newsvault/archive"
)

// history builds runs newest first from per-run site figures.
func history(sites ...[]archive.SiteRun) []archive.Run {
	runs := make([]archive.Run, len(sites))
	for i, s := range sites {
		runs[i] = archive.Run{ID: int64(len(sites) - i), Sites: s}
	}
	return runs
}

func healthy(site string) []archive.SiteRun {
	return []archive.SiteRun{{Site: site, Extracted: 20, NoDate: 1, MedianTextLen: 2400}}
}

func TestHealthFlagsSharpFalls(t *testing.T) {
	for _, tc := range []struct {
		name   string
		latest archive.SiteRun
		want   string // "" = not flagged
	}{
		{"normal variation", archive.SiteRun{Extracted: 18, NoDate: 2, MedianTextLen: 2000}, ""},
		{"bodies gone", archive.SiteRun{Extracted: 20, EmptyText: 15, NoDate: 1, MedianTextLen: 0}, "empty bodies 75%"},
		{"titles gone", archive.SiteRun{Extracted: 20, NoTitle: 20, MedianTextLen: 2400}, "no title 100%"},
		{"dates gone", archive.SiteRun{Extracted: 20, NoDate: 18, MedianTextLen: 2400}, "no date 90%"},
		{"bodies cut short", archive.SiteRun{Extracted: 20, MedianTextLen: 300}, "median body 300 chars (usually 2400)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			latest := tc.latest
			latest.Site = "agency"
			runs := history([]archive.SiteRun{latest}, healthy("agency"), healthy("agency"), healthy("agency"), healthy("agency"))
			h := healthOf(runs)
			if len(h) != 1 {
				t.Fatalf("%d sites, want 1", len(h))
			}
			got := strings.Join(h[0].alerts, "; ")
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("alerts %q, want %q", got, tc.want)
			}
		})
	}
}

func TestHealthNeedsHistory(t *testing.T) {
	broken := []archive.SiteRun{{Site: "new", Extracted: 10, EmptyText: 10}}
	h := healthOf(history(broken, healthy("new")))
	if len(h) != 1 || len(h[0].alerts) != 0 {
		t.Errorf("a site with one earlier run was judged: %+v", h)
	}
	var out strings.Builder
	printHealth(&out, h)
	if !strings.Contains(out.String(), "too few runs") {
		t.Errorf("health output %q does not say it is too early to judge", out.String())
	}
}
