package archive

import (
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
		ones   [64]int32 // per bit, how many shingle hashes have it set
		packed [8]uint64 // the latest counts, byte b of packed[k] for bit 8k+b
		window [shingleWords]string
		n      int
		total  int32 // shingles hashed
	)
	flush := func() {
		for k, p := range packed {
			for b := range 8 {
				ones[8*k+b] += int32(p >> (8 * b) & 0xff)
			}
			packed[k] = 0
		}
	}
	add := func(words []string) {
		// FNV-1a 64 over the words joined by one space, inline: the
		// hash.Hash interface and []byte conversions cost more than the
		// hashing itself.
		sum := uint64(fnvOffset64)
		for i, w := range words {
			if i > 0 {
				sum = (sum ^ ' ') * fnvPrime64
			}
			for j := 0; j < len(w); j++ {
				sum = (sum ^ uint64(w[j])) * fnvPrime64
			}
		}
		// Count the set bits eight counters at a time: spread turns each
		// byte of the hash into eight one-byte counters packed in a uint64,
		// flushed before a byte counter could overflow.
		for k := range packed {
			packed[k] += spread[byte(sum>>(8*k))]
		}
		total++
		if total%255 == 0 {
			flush()
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
	flush()
	var sum uint64
	for b, o := range ones {
		if 2*o > total { // more shingles with the bit set than without
			sum |= 1 << b
		}
	}
	return sum
}

const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// spread[x] has byte b set to bit b of x: eight counters, one per bit.
var spread = func() (t [256]uint64) {
	for x := range t {
		for b := range 8 {
			t[x] |= uint64(x>>b&1) << (8 * b)
		}
	}
	return t
}()

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
