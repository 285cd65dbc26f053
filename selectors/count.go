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
		n := 0
		for n < len(s) && s[n] < utf8.RuneSelf {
			n++
		}
		if n > 0 {
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
