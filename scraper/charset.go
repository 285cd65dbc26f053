package scraper

import (
	"bytes"
	"fmt"
	"mime"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// DecodeHTML decodes an HTML body to UTF-8 the way browsers do, with
// [charset.DetermineEncoding]: a byte order mark first, then the charset in
// contentType (a Content-Type header value, "" if none), then a <meta>
// declaration in the first 1024 bytes, then a guess (UTF-8 when the bytes are
// valid UTF-8, else windows-1252).
//
// One exception to that order: when the header says UTF-8 but the body is
// not valid UTF-8 and the page's <meta> names another encoding, the <meta>
// wins; legacy sites behind proxies that append "charset=utf-8" do this.
//
// It returns the decoded text (always valid UTF-8, without a byte order
// mark), the WHATWG name of the encoding used, and where the decision came
// from: "bom", "header", "meta", "sniffed" (the bytes are valid UTF-8) or
// "default" (windows-1252, nothing else applied).
func DecodeHTML(body []byte, contentType string) (text []byte, charsetName, source string, err error) {
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	source = charsetSource(body, contentType, name)
	if source == "sniffed" || source == "default" {
		// DetermineEncoding guesses from the first 1024 bytes only, so a
		// UTF-8 page whose head is pure ASCII comes back windows-1252; and
		// it never guesses a Cyrillic code page. Guess from the whole body.
		enc, name, source = guessEncoding(body)
	}
	if source == "header" && name == "utf-8" && !utf8.Valid(body) {
		if e, n, _ := charset.DetermineEncoding(body, ""); charsetSource(body, "", n) == "meta" && n != "utf-8" {
			enc, name, source = e, n, "meta"
		}
	}
	if name == "utf-8" && utf8.Valid(body) {
		// Nothing to decode or replace: the body is the text. Neither is
		// written to after.
		return bytes.TrimPrefix(body, []byte("\uFEFF")), name, source, nil
	}
	var dec *encoding.Decoder
	if name == "utf-8" {
		// x/text's UTF-8 decoder replaces invalid bytes with U+FFFD;
		// the encoding.Nop that DetermineEncoding returns passes them on.
		dec = unicode.UTF8.NewDecoder()
	} else {
		dec = enc.NewDecoder()
	}
	text, err = dec.Bytes(body)
	if err != nil {
		return nil, name, source, fmt.Errorf("decode %s: %w", name, err)
	}
	text = bytes.TrimPrefix(text, []byte("\uFEFF"))
	if !utf8.Valid(text) {
		text = bytes.ToValidUTF8(text, []byte("\uFFFD"))
	}
	return text, name, source, nil
}

// guessEncoding decides the encoding of an undeclared body: UTF-8 when the
// bytes are valid UTF-8, else windows-1251 or KOI8-R when most letters are
// high bytes (Russian text, where these two code pages are the common legacy
// ones), else windows-1252. Cyrillic lower-case letters, the most frequent,
// sit at 0xE0-0xFF in windows-1251 and at 0xC0-0xDF in KOI8-R.
func guessEncoding(body []byte) (encoding.Encoding, string, string) {
	if utf8.Valid(body) {
		return unicode.UTF8, "utf-8", "sniffed"
	}
	var ascii, upper, lower int // ASCII letters; bytes 0xC0-0xDF; 0xE0-0xFF
	for _, b := range body {
		switch {
		case b >= 0xE0:
			lower++
		case b >= 0xC0:
			upper++
		case b|0x20 >= 'a' && b|0x20 <= 'z':
			ascii++
		}
	}
	if high := upper + lower; high > ascii/2 {
		if lower >= upper {
			return charmap.Windows1251, "windows-1251", "sniffed"
		}
		return charmap.KOI8R, "koi8-r", "sniffed"
	}
	return charmap.Windows1252, "windows-1252", "default"
}

// charsetSource tells which of DetermineEncoding's steps chose name for
// body, repeating its checks: BOM, then header, then <meta>, then the guess.
func charsetSource(body []byte, contentType, name string) string {
	for _, bom := range [][]byte{{0xEF, 0xBB, 0xBF}, {0xFE, 0xFF}, {0xFF, 0xFE}} {
		if bytes.HasPrefix(body, bom) {
			return "bom"
		}
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if cs, ok := params["charset"]; ok {
			if e, _ := charset.Lookup(cs); e != nil {
				return "header"
			}
		}
	}
	if name != "utf-8" && name != "windows-1252" {
		return "meta" // the guess only ever gives these two
	}
	// The guess agrees with name; was there a <meta> too? Ask again with a
	// probe whose guess would be the other encoding: the same markup (bytes
	// >= 0x80 masked, so they cannot form or break UTF-8) plus a tail that
	// flips the UTF-8 validity test. A <meta> still yields name; no <meta>
	// yields the flipped guess.
	n := min(len(body), 1024-3)
	probe := make([]byte, 0, n+3)
	for _, b := range body[:n] {
		if b >= 0x80 {
			b = 'a'
		}
		probe = append(probe, b)
	}
	if name == "utf-8" {
		probe = append(probe, 0xFF, 'a')
	} else {
		probe = append(probe, 0xC3, 0xA9, 'a') // "é": valid UTF-8 with a high bit
	}
	if _, got, _ := charset.DetermineEncoding(probe, ""); got == name {
		return "meta"
	}
	if name == "utf-8" {
		return "sniffed"
	}
	return "default"
}
