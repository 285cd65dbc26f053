package scraper

import "math/bits"

const (
	// exactLens is how many lengths textLens keeps as they are; past it,
	// a histogram takes over, so a crawl of a million articles needs no
	// more memory than one of a few thousand.
	exactLens = 4096
	// Histogram buckets are one character wide below 2·subBuckets, then
	// 1/subBuckets of their value wide: the median read from them is off
	// by at most half that, under 0.4%.
	subBuckets = 128
)

// textLens collects Article.Text lengths for Stats.MedianTextLen.
type textLens struct {
	exact   []int // every length, until there are exactLens
	buckets []int // counts by bucketOf, once exact is full
	n       int
}

func (t *textLens) add(n int) {
	n = max(n, 0)
	t.n++
	if t.buckets == nil && len(t.exact) < exactLens {
		t.exact = append(t.exact, n)
		return
	}
	if t.buckets == nil {
		for _, v := range t.exact {
			t.count(v)
		}
		t.exact = nil
	}
	t.count(n)
}

func (t *textLens) count(n int) {
	b := bucketOf(n)
	if b >= len(t.buckets) {
		t.buckets = append(t.buckets, make([]int, b+1-len(t.buckets))...)
	}
	t.buckets[b]++
}

// median is median's answer while the lengths are exact, and otherwise
// the same computed on each length's bucket middle.
func (t *textLens) median() int {
	if t.buckets == nil {
		return median(t.exact)
	}
	if t.n%2 == 1 {
		return t.rank(t.n / 2)
	}
	return (t.rank(t.n/2-1) + t.rank(t.n/2)) / 2
}

// rank returns the middle of the bucket holding the r-th smallest length.
func (t *textLens) rank(r int) int {
	seen := 0
	for b, c := range t.buckets {
		seen += c
		if seen > r {
			lo, width := bucketRange(b)
			return lo + (width-1)/2
		}
	}
	return 0
}

// bucketOf maps n to its bucket: n itself below 2·subBuckets, then
// subBuckets buckets per power of two.
func bucketOf(n int) int {
	if n < 2*subBuckets {
		return n
	}
	shift := bits.Len(uint(n)) - bits.Len(uint(subBuckets))
	return subBuckets*shift + n>>shift
}

// bucketRange is the first length of bucket b and how many it holds.
func bucketRange(b int) (lo, width int) {
	if b < 2*subBuckets {
		return b, 1
	}
	shift := b/subBuckets - 1
	return (b - subBuckets*shift) << shift, 1 << shift
}
