package scraper

import (
	"strings"
	"testing"

	"github.com/newsvault/newsvault/archive"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []int
		want int
	}{{nil, 0}, {[]int{5}, 5}, {[]int{9, 1, 5}, 5}, {[]int{10, 1, 4, 7}, 5}} {
		in := append([]int(nil), tc.in...)
		if got := median(in); got != tc.want {
			t.Errorf("median(%v) = %d, want %d", tc.in, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Errorf("median reordered its input: %v", in)
			}
		}
	}
}

func TestStatsSiteRun(t *testing.T) {
	s := Stats{Fetched: 10, Queued: 1, New: 2, Updated: 1, Unchanged: 3, NotModified: 4, Fresh: 5, Skipped: 6,
		Failed: 7, RobotsDenied: 8, Deferred: 9, Retries: 2, Extracted: 6, EmptyText: 1, NoTitle: 2, NoDate: 3, MedianTextLen: 1200}
	want := archive.SiteRun{Site: "agency", Fetched: 10, NotModified: 4, New: 2, Updated: 1, Unchanged: 3, Fresh: 5,
		Skipped: 6, Failed: 7, Deferred: 9, Extracted: 6, EmptyText: 1, NoTitle: 2, NoDate: 3, MedianTextLen: 1200}
	if got := s.SiteRun("agency"); got != want {
		t.Errorf("SiteRun =\n%+v\nwant\n%+v", got, want)
	}
	line := s.String()
	for _, part := range []string{"fetched 10", "not-modified 4", "fresh 5", "extracted 6 (empty-text 1, no-title 2, no-date 3, median-text 1200)"} {
		if !strings.Contains(line, part) {
			t.Errorf("String() = %q lacks %q", line, part)
		}
	}
	if strings.Contains(line, "\n") {
		t.Errorf("String() is not one line: %q", line)
	}
	if got := (Stats{}).String(); strings.Contains(got, "fresh") || strings.Contains(got, "extracted") {
		t.Errorf("zero Stats: %q", got)
	}
}
