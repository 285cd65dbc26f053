package selectors

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// countText counts the non-space runes of s, and the commas among them
// (with the Chinese, Japanese and Arabic ones). It runs on every text node
// of a page, scripts included when the page was parsed as it came.
func countText(s string) (chars, commas int32) {
	for len(s) > 0 {
		if n := asciiPrefix(s); n > 0 {
			c, k := countASCII(s[:n])
			chars += c
			commas += k
			s = s[n:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if !unicode.IsSpace(r) {
			chars++
			if r == '，' || r == '、' || r == '،' {
				commas++
			}
		}
	}
	return chars, commas
}

// countASCII is countText for ASCII s. A long run is counted with
// strings.Count, which is vectorised, once per byte it looks for; a short
// one, as the white space between tags mostly is, byte by byte. \v is not
// white space here, as it never was.
func countASCII(s string) (chars, commas int32) {
	if len(s) < 32 {
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case ' ', '\n', '\t', '\r', '\f':
			case ',':
				chars++
				commas++
			default:
				chars++
			}
		}
		return chars, commas
	}
	spaces := strings.Count(s, " ") + strings.Count(s, "\n") + strings.Count(s, "\t") +
		strings.Count(s, "\r") + strings.Count(s, "\f")
	return int32(len(s) - spaces), int32(strings.Count(s, ","))
}

// asciiPrefix returns the length of the ASCII run s starts with. It tests
// eight bytes at a time while it can, as utf8.ValidString does: text nodes
// are mostly ASCII, and scripts long.
func asciiPrefix(s string) int {
	t := s // sliced as it goes, so that the compiler drops the bounds checks
	for len(t) >= 8 {
		lo := uint32(t[0]) | uint32(t[1])<<8 | uint32(t[2])<<16 | uint32(t[3])<<24
		hi := uint32(t[4]) | uint32(t[5])<<8 | uint32(t[6])<<16 | uint32(t[7])<<24
		if (lo|hi)&0x80808080 != 0 {
			break
		}
		t = t[8:]
	}
	n := len(s) - len(t)
	for n < len(s) && s[n] < utf8.RuneSelf {
		n++
	}
	return n
}
