package archive

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// The export schema written by hand: encoding/json spent most of an
// export's time reflecting over articleJSON and then re-scanning the
// MarshalJSON output to validate it (issue 7). These functions write the
// same bytes encoding/json writes for articleJSON and provenanceJSON with
// HTML escaping off (json_append_test.go checks it, FuzzAppendString too),
// or with it on when html is set, which is what json.HTMLEscape of that
// output gives: <, > and & only ever occur inside strings.

// appendArticle appends a in the export schema.
func appendArticle(dst []byte, a *Article, html bool) []byte {
	dst = append(dst, `{"url":`...)
	dst = appendString(dst, a.URL, html)
	dst = append(dst, `,"canonical_url":`...)
	dst = appendString(dst, a.CanonicalURL, html)
	dst = append(dst, `,"site":`...)
	dst = appendString(dst, a.Site, html)
	dst = append(dst, `,"title":`...)
	dst = appendString(dst, a.Title, html)
	dst = append(dst, `,"authors":`...)
	dst = appendStrings(dst, a.Authors, html)
	dst = append(dst, `,"published_at":`...)
	dst = appendTime(dst, a.PublishedAt)
	dst = append(dst, `,"modified_at":`...)
	dst = appendTime(dst, a.ModifiedAt)
	dst = append(dst, `,"language":`...)
	dst = appendString(dst, a.Language, html)
	dst = append(dst, `,"description":`...)
	dst = appendString(dst, a.Description, html)
	dst = append(dst, `,"text":`...)
	dst = appendString(dst, a.Text, html)
	dst = append(dst, `,"tags":`...)
	dst = appendStrings(dst, a.Tags, html)
	dst = append(dst, `,"image_url":`...)
	dst = appendString(dst, a.ImageURL, html)
	dst = append(dst, `,"fetched_at":`...)
	dst = appendTime(dst, a.FetchedAt)
	dst = append(dst, `,"content_sha256":`...)
	dst = appendString(dst, a.ContentSHA256, html)
	dst = append(dst, `,"version":`...)
	dst = strconv.AppendInt(dst, int64(a.Version), 10)
	return append(dst, '}')
}

// appendProvenance appends p with snake_case keys, its cause "fetch"
// when unset.
func appendProvenance(dst []byte, p *Provenance, html bool) []byte {
	c := p.Cause
	if c == "" {
		c = CauseFetch
	}
	dst = append(dst, `{"cause":`...)
	dst = appendString(dst, string(c), html)
	dst = append(dst, `,"newsvault":`...)
	dst = appendString(dst, p.Newsvault, html)
	dst = append(dst, `,"profile":`...)
	dst = appendString(dst, p.Profile, html)
	dst = append(dst, `,"profile_hash":`...)
	dst = appendString(dst, p.ProfileHash, html)
	dst = append(dst, `,"title":`...)
	dst = appendString(dst, p.Title, html)
	dst = append(dst, `,"published":`...)
	dst = appendString(dst, p.Published, html)
	dst = append(dst, `,"modified":`...)
	dst = appendString(dst, p.Modified, html)
	dst = append(dst, `,"authors":`...)
	dst = appendString(dst, p.Authors, html)
	dst = append(dst, `,"body_sha256":`...)
	dst = appendString(dst, p.BodySHA256, html)
	dst = append(dst, `,"charset":`...)
	dst = appendString(dst, p.Charset, html)
	dst = append(dst, `,"charset_source":`...)
	dst = appendString(dst, p.CharsetSource, html)
	return append(dst, '}')
}

// appendStrings appends ss as a JSON array, [] when nil.
func appendStrings(dst []byte, ss []string, html bool) []byte {
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, s, html)
	}
	return append(dst, ']')
}

// appendTime appends formatTime(t) as a JSON string. RFC 3339 output is
// digits, letters and -:+. only, so it needs no escaping.
func appendTime(dst []byte, t time.Time) []byte {
	dst = append(dst, '"')
	if !t.IsZero() {
		dst = t.AppendFormat(dst, time.RFC3339)
	}
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// plainSafe and htmlSafe mark the ASCII bytes written as they are, as
// encoding/json's safeSet and htmlSafeSet do; bytes from 0x80 up are
// judged per rune.
var plainSafe, htmlSafe = func() (plain, html [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		plain[b] = b != '"' && b != '\\'
		html[b] = plain[b] && b != '<' && b != '>' && b != '&'
	}
	return plain, html
}()

// appendString appends s as a JSON string exactly as encoding/json does:
// control characters escaped (\b \f \n \r \t by name), invalid UTF-8 as
// \ufffd, U+2028 and U+2029 always escaped, and <, > and & too when html
// is set.
func appendString(dst []byte, s string, html bool) []byte {
	safe := &plainSafe
	if html {
		safe = &htmlSafe
	}
	// A valid string (nearly all: the archive stores cleaned text) needs no
	// rune decoding; its only multi-byte sequences to escape are U+2028
	// and U+2029, E2 80 A8 and E2 80 A9.
	valid := utf8.ValidString(s)
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if valid {
			// Skip eight bytes at a time to the next that may need escaping:
			// most text has a few per kilobyte.
			for i+8 <= len(s) && !mayEscape(load64(s, i), html) {
				i += 8
			}
			if i == len(s) {
				break
			}
		}
		b := s[i]
		if b < utf8.RuneSelf {
			if safe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		if valid && b != 0xE2 {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			start = i + size
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			start = i + size
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// Bytes of a word, for mayEscape.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// mayEscape reports whether one of the eight bytes of x may need escaping
// in a valid UTF-8 string: a control character, '"', '\\', 0xE2 (which
// starts U+2028 and U+2029), and with html '<', '>' or '&'. It never misses
// one; it may report a word whose 0xE2 starts another character, which
// appendString then looks at byte by byte.
func mayEscape(x uint64, html bool) bool {
	// (x - lsb*n) &^ x has a byte's top bit set where x holds a byte below
	// n (for n <= 0x80); with n = 1 after an XOR, where x held that byte.
	t := (x - lsb*0x20) &^ x
	t |= zeroByte(x^(lsb*'"')) | zeroByte(x^(lsb*'\\')) | zeroByte(x^(lsb*0xE2))
	if html {
		t |= zeroByte(x^(lsb*'<')) | zeroByte(x^(lsb*'>')) | zeroByte(x^(lsb*'&'))
	}
	return t&msb != 0
}

func zeroByte(v uint64) uint64 { return (v - lsb) &^ v }

// load64 reads s[i:i+8] as a little-endian word (one load on amd64 and
// arm64: the compiler merges the byte reads).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
