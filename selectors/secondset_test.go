package selectors

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode"
)

// TestGenericSet scores the generic extractor on the hand-made pages of
// testdata/generic, each with the article text a reader would expect in
// text.txt, with the Zyte benchmark's metric: precision and recall of 4-word
// shingles. The pages imitate other CMSs, languages and layouts than the
// benchmark, as a check that a rule helps beyond it.
func TestGenericSet(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "generic", "*", "text.txt"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	var sumP, sumR float64
	for _, p := range dirs {
		dir := filepath.Dir(p)
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		page, err := os.ReadFile(filepath.Join(dir, "page.html"))
		if err != nil {
			t.Fatal(err)
		}
		a, err := (&Set{}).ExtractHTML(bytes.NewReader(page), nil)
		if err != nil && !errors.Is(err, ErrNoContent) {
			t.Fatal(err)
		}
		prec, rec := shingleScore(a.Text, string(want))
		sumP, sumR = sumP+prec, sumR+rec
		t.Logf("%-28s P=%.3f R=%.3f", filepath.Base(dir), prec, rec)
		if prec < 0.9 || rec < 0.9 {
			t.Errorf("%s: P=%.3f R=%.3f, want both >= 0.9; got:\n%s", dir, prec, rec, a.Text)
		}
	}
	n := float64(len(dirs))
	t.Logf("mean P=%.3f R=%.3f over %d pages", sumP/n, sumR/n, len(dirs))
}

// shingleScore is the benchmark's metric for one page: tokens are runs of
// letters, digits and _, and texts are compared as multisets of 4-token
// shingles.
func shingleScore(got, want string) (precision, recall float64) {
	g, w := shingles(got), shingles(want)
	tp, ng, nw := 0, 0, 0
	for s, n := range g {
		tp += min(n, w[s])
		ng += n
	}
	for _, n := range w {
		nw += n
	}
	if ng > 0 {
		precision = float64(tp) / float64(ng)
	}
	if nw > 0 {
		recall = float64(tp) / float64(nw)
	}
	return precision, recall
}

func shingles(s string) map[[4]string]int {
	var toks []string
	start := -1
	for i, r := range s + " " {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			toks = append(toks, s[start:i])
			start = -1
		}
	}
	out := map[[4]string]int{}
	if len(toks) > 0 && len(toks) < 4 {
		var k [4]string
		copy(k[:], toks)
		out[k]++
	}
	for i := 0; i+4 <= len(toks); i++ {
		out[[4]string{toks[i], toks[i+1], toks[i+2], toks[i+3]}]++
	}
	return out
}
