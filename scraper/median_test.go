package scraper

import (
	"math/rand/v2"
	"testing"
)

func TestBuckets(t *testing.T) {
	prev := -1
	for n := range 1 << 20 {
		b := bucketOf(n)
		if b != prev && b != prev+1 {
			t.Fatalf("bucketOf(%d) = %d after %d: not contiguous", n, b, prev)
		}
		lo, width := bucketRange(b)
		if n < lo || n >= lo+width {
			t.Fatalf("bucketOf(%d) = %d, whose range is [%d, %d)", n, b, lo, lo+width)
		}
		prev = b
	}
}

func TestTextLensMedian(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name  string
		lens  func(i int) int
		count int
	}{
		{"few", func(i int) int { return []int{9, 1, 5}[i] }, 3},
		{"exact at the limit", func(i int) int { return i * 7 }, exactLens},
		{"one past", func(i int) int { return i * 7 }, exactLens + 1},
		{"many short", func(int) int { return r.IntN(200) }, 50_000},
		{"many long", func(int) int { return 1000 + r.IntN(20_000) }, 50_000},
		{"all equal", func(int) int { return 3456 }, 20_000},
		{"empty texts", func(i int) int { return i % 2 * 2500 }, 10_001},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tl textLens
			all := make([]int, tc.count)
			for i := range all {
				all[i] = tc.lens(i)
				tl.add(all[i])
			}
			want, got := median(all), tl.median()
			if tc.count <= exactLens && got != want {
				t.Errorf("median = %d, want exactly %d", got, want)
			}
			if d := got - want; d*256 > want || -d*256 > want {
				t.Errorf("median = %d, want %d within 0.4%%", got, want)
			}
			if len(tl.exact) > exactLens || len(tl.buckets) > bucketOf(1<<15)+1 {
				t.Errorf("kept %d lengths and %d buckets", len(tl.exact), len(tl.buckets))
			}
		})
	}
}
