package selectors

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// White-space normalisation runs on every paragraph and most short texts
// of a page, so it works on bytes: ASCII, most of the text of most pages,
// is copied as it is, and a string that needs no change is returned without
// building a new one.

// normalizeParagraph collapses white space inside each line, drops empty
// lines, removes invisible characters and applies NFC.
func normalizeParagraph(s string) string {
	s = cleanInvisible(s)
	if !strings.Contains(s, "\n") {
		return norm.NFC.String(collapseSpace(s))
	}
	var b strings.Builder
	b.Grow(len(s))
	for line := range strings.SplitSeq(s, "\n") {
		lead := ""
		if b.Len() > 0 {
			lead = "\n"
		}
		writeCollapsed(&b, line, lead)
	}
	return norm.NFC.String(b.String())
}

// collapseSpace trims s and turns every run of white space (NBSP included)
// into one space.
func collapseSpace(s string) string {
	if collapsed(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	writeCollapsed(&b, s, "")
	return b.String()
}

// writeCollapsed writes s to b as collapseSpace returns it, preceded by lead
// unless s is only white space.
func writeCollapsed(b *strings.Builder, s, lead string) {
	wrote, space := false, false
	for i := 0; i < len(s); {
		c := s[i]
		size := 1
		isSpace := asciiSpace(c)
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			isSpace = unicode.IsSpace(r)
		}
		if isSpace {
			space = wrote
			i += size
			continue
		}
		switch {
		case !wrote:
			b.WriteString(lead)
			wrote = true
		case space:
			b.WriteByte(' ')
		}
		space = false
		switch {
		case size == 1 && c < utf8.RuneSelf:
			b.WriteByte(c)
		case size == 1:
			// An invalid byte: ranging over the string, as this once did,
			// turned it into U+FFFD.
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
}

// collapsed reports whether collapseSpace would return s unchanged: valid
// UTF-8, no white space at either end, and none inside but single spaces.
func collapsed(s string) bool {
	prevSpace := true // so that leading white space fails
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' {
				if prevSpace {
					return false
				}
				prevSpace = true
			} else if asciiSpace(c) {
				return false
			} else {
				prevSpace = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unicode.IsSpace(r) {
			return false
		}
		prevSpace = false
		i += size
	}
	return !prevSpace || s == ""
}

// asciiSpace reports whether c is white space by unicode.IsSpace.
func asciiSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// cleanInvisible drops soft hyphens and zero-width characters, which break
// words for search and diffs without being visible.
func cleanInvisible(s string) string {
	if !hasInvisible(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
			return -1
		}
		return r
	}, s)
}

// hasInvisible reports whether s holds a character cleanInvisible drops. It
// looks for their UTF-8 encodings byte by byte: strings.ContainsAny decodes
// every rune, and the lead bytes alone (C2, E2) start the NBSP and the
// typographic quotes and dashes of most texts.
func hasInvisible(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		switch s[i] {
		case 0xC2: // U+00AD is C2 AD
			if s[i+1] == 0xAD {
				return true
			}
		case 0xE2: // U+200B-U+200D are E2 80 8B-8D, U+2060 is E2 81 A0
			if i+2 < len(s) && (s[i+1] == 0x80 && 0x8B <= s[i+2] && s[i+2] <= 0x8D || s[i+1] == 0x81 && s[i+2] == 0xA0) {
				return true
			}
		case 0xEF: // U+FEFF is EF BB BF
			if i+2 < len(s) && s[i+1] == 0xBB && s[i+2] == 0xBF {
				return true
			}
		}
	}
	return false
}

// cleanText normalises a short text value such as a title or a name.
func cleanText(s string) string {
	return norm.NFC.String(collapseSpace(cleanInvisible(s)))
}
