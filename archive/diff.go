package archive

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Op is what a diff does with a run of words.
type Op int

const (
	Equal Op = iota
	Delete
	Insert
)

// Edit is one run of a word diff: Text is the words with the spacing
// between them as the text it came from had it (the old text for Delete,
// the new one otherwise), and Sep the spacing that followed the run's last
// word there ("\n\n" between paragraphs).
type Edit struct {
	Op   Op
	Text string
	Sep  string
}

// MaxDiffEdits bounds the word-level search of WordDiff: past this many
// inserted plus deleted words between the common start and end, it
// compares whole paragraphs instead, and past it again it reports the
// middle as removed and added. Memory is O(MaxDiffEdits²) int32s at worst
// (16 MB), time O((n+m)·MaxDiffEdits) for n and m words.
const MaxDiffEdits = 2000

// WordDiff returns a word-level diff from old to new: Myers' O(ND)
// algorithm over words (runs of non-space characters), after trimming the
// words both texts start and end with. Concatenating the Text and Sep of
// every Equal and Insert edit gives new back, up to spacing.
func WordDiff(old, new string) []Edit {
	a, b := splitWords(old), splitWords(new)
	ops := diffTokens(a, b, MaxDiffEdits)
	if ops == nil {
		// Too different word by word: align paragraphs, then words inside
		// each replaced run of paragraphs would be the next step; a
		// paragraph diff is already readable.
		pa, pb := splitParagraphTokens(old), splitParagraphTokens(new)
		if pops := diffTokens(pa, pb, MaxDiffEdits); pops != nil {
			return group(pa, pb, pops)
		}
		ops = replaceAll(len(a), len(b))
	}
	return group(a, b, ops)
}

// token is a word and the spacing after it.
type token struct{ word, sep string }

func splitWords(s string) []token {
	var ts []token
	i := 0
	for i < len(s) {
		start := i
		for i < len(s) && !isSpaceAt(s, i) {
			i = nextRune(s, i)
		}
		word := s[start:i]
		sepStart := i
		for i < len(s) && isSpaceAt(s, i) {
			i = nextRune(s, i)
		}
		if word == "" {
			continue // leading spacing
		}
		ts = append(ts, token{word, s[sepStart:i]})
	}
	return ts
}

func splitParagraphTokens(s string) []token {
	var ts []token
	for _, p := range Paragraphs(s) {
		ts = append(ts, token{p, "\n\n"})
	}
	if len(ts) > 0 {
		ts[len(ts)-1].sep = ""
	}
	return ts
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

func nextRune(s string, i int) int {
	_, size := utf8.DecodeRuneInString(s[i:])
	return i + size
}

// diffTokens returns the edit script turning a into b, one Op per token
// (Equal and Delete consume a, Equal and Insert consume b), or nil when
// it needs more than maxD inserts and deletes.
func diffTokens(a, b []token, maxD int) []Op {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre].word == b[pre].word {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf].word == b[len(b)-1-suf].word {
		suf++
	}
	mid := myers(a[pre:len(a)-suf], b[pre:len(b)-suf], maxD)
	if mid == nil && (len(a)-pre-suf > 0 || len(b)-pre-suf > 0) {
		return nil
	}
	ops := make([]Op, 0, pre+len(mid)+suf)
	for range pre {
		ops = append(ops, Equal)
	}
	ops = append(ops, mid...)
	for range suf {
		ops = append(ops, Equal)
	}
	return ops
}

// myers is the greedy forward algorithm of Myers (1986), keeping the
// furthest x of every diagonal for each d to walk the path back. It
// returns nil when the texts differ by more than maxD edits.
func myers(a, b []token, maxD int) []Op {
	n, m := len(a), len(b)
	if n == 0 && m == 0 {
		return nil
	}
	limit := min(n+m, maxD)
	offset := limit + 1
	v := make([]int32, 2*limit+3)
	var trace [][]int32 // trace[d] holds v[k] for k in -d..d after step d
	for d := 0; d <= limit; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				x = int(v[offset+k+1]) // down: an insert
			} else {
				x = int(v[offset+k-1]) + 1 // right: a delete
			}
			y := x - k
			for x < n && y < m && a[x].word == b[y].word {
				x, y = x+1, y+1
			}
			v[offset+k] = int32(x)
			if x >= n && y >= m {
				trace = append(trace, append([]int32(nil), v[offset-d:offset+d+1]...))
				return backtrack(trace, n, m)
			}
		}
		trace = append(trace, append([]int32(nil), v[offset-d:offset+d+1]...))
	}
	return nil
}

func backtrack(trace [][]int32, n, m int) []Op {
	var rev []Op
	x, y := n, m
	at := func(d, k int) int { return int(trace[d][k+d]) }
	for d := len(trace) - 1; d > 0; d-- {
		k := x - y
		var prevK int
		if k == -d || (k != d && at(d-1, k-1) < at(d-1, k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(d-1, prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			rev = append(rev, Equal)
			x, y = x-1, y-1
		}
		if x == prevX {
			rev = append(rev, Insert)
		} else {
			rev = append(rev, Delete)
		}
		x, y = prevX, prevY
	}
	for ; x > 0; x, y = x-1, y-1 {
		rev = append(rev, Equal)
	}
	ops := make([]Op, len(rev))
	for i, op := range rev {
		ops[len(rev)-1-i] = op
	}
	return ops
}

func replaceAll(n, m int) []Op {
	ops := make([]Op, 0, n+m)
	for range n {
		ops = append(ops, Delete)
	}
	for range m {
		ops = append(ops, Insert)
	}
	return ops
}

// group turns an edit script into runs, deletions before insertions
// within each changed stretch.
func group(a, b []token, ops []Op) []Edit {
	var (
		edits []Edit
		i, j  int
		text  strings.Builder
	)
	flush := func(op Op, ts []token) {
		if len(ts) == 0 {
			return
		}
		text.Reset()
		for n, t := range ts {
			text.WriteString(t.word)
			if n < len(ts)-1 {
				text.WriteString(t.sep)
			}
		}
		edits = append(edits, Edit{Op: op, Text: text.String(), Sep: ts[len(ts)-1].sep})
	}
	for k := 0; k < len(ops); {
		if ops[k] == Equal {
			start := j
			for k < len(ops) && ops[k] == Equal {
				i, j, k = i+1, j+1, k+1
			}
			flush(Equal, b[start:j])
			continue
		}
		di, ij := i, j
		for k < len(ops) && ops[k] != Equal {
			if ops[k] == Delete {
				i++
			} else {
				j++
			}
			k++
		}
		flush(Delete, a[di:i])
		if i > di && j > ij {
			// As git's --word-diff: "[-old-]{+new+}", the spacing after.
			edits[len(edits)-1].Sep = ""
		}
		flush(Insert, b[ij:j])
	}
	return edits
}
