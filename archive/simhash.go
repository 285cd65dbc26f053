package archive

import (
	"hash/fnv"
	"math/bits"
	"strings"
	"unicode"
)

// NearDuplicateDistance is the largest Hamming distance between the
// SimHashes of two texts that are the same story. Manku, Jain and Das Sarma
// ("Detecting near-duplicates for web crawling", WWW 2007) found 3 bits of
// 64 the best trade-off for web pages; and with 3 the lookup stays exact
// with four 16-bit bands: two hashes at most 3 bits apart agree on at least
// one band (pigeonhole), so an index on each band finds every pair.
const NearDuplicateDistance = 3

// shingleWords is the length of a shingle, in words.
const shingleWords = 3

// SimHash returns the 64-bit SimHash (Charikar) of text: each run of three
// consecutive words (lower-cased; a word is a run of letters and digits)
// is hashed with FNV-1a 64, and each bit of the result is the majority vote
// of that bit over the shingles. Texts that share most of their shingles
// get hashes a few bits apart. A text of fewer than three words is one
// shingle; a text without words hashes to 0.
func SimHash(text string) uint64 {
	var (
		votes  [64]int
		window [shingleWords]string
		n      int
	)
	h := fnv.New64a()
	add := func(words []string) {
		h.Reset()
		for i, w := range words {
			if i > 0 {
				h.Write([]byte{' '})
			}
			h.Write([]byte(w))
		}
		sum := h.Sum64()
		for b := range 64 {
			if sum&(1<<b) != 0 {
				votes[b]++
			} else {
				votes[b]--
			}
		}
	}
	for w := range strings.FieldsFuncSeq(text, notWordRune) {
		w = strings.ToLower(w)
		if n < shingleWords {
			window[n] = w
		} else {
			copy(window[:], window[1:])
			window[shingleWords-1] = w
		}
		n++
		if n >= shingleWords {
			add(window[:])
		}
	}
	switch {
	case n == 0:
		return 0
	case n < shingleWords:
		add(window[:n])
	}
	var sum uint64
	for b, v := range votes {
		if v > 0 {
			sum |= 1 << b
		}
	}
	return sum
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// HammingDistance is the number of bits in which a and b differ.
func HammingDistance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// SimHashBands splits h into the four 16-bit bands the archive indexes,
// most significant first.
func SimHashBands(h uint64) [4]uint16 {
	return [4]uint16{uint16(h >> 48), uint16(h >> 32), uint16(h >> 16), uint16(h)}
}

// Similar is an article linked to another as a near-copy of its text:
// syndicated, not merged; each keeps its own key and versions.
type Similar struct {
	Key      string
	URL      string
	Site     string
	Title    string
	Distance int // Hamming distance of the two latest versions' SimHashes
}
