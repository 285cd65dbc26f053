package selectors

import "bytes"

// stripRawText empties the content of <script> and <style> elements, except
// JSON-LD scripts, in place, and returns the shortened page. Half the bytes
// of a typical news page are scripts and styles; the HTML tokenizer copies
// each of them into a string only for extraction to throw it away, so
// dropping them first halves the parse and its garbage.
//
// It follows the tokenizer where it matters: comments are skipped whole,
// tag attributes may quote '>', and raw text runs to the first matching end
// tag, whatever its case. Anything it does not recognise is left alone.
func stripRawText(b []byte) []byte {
	w := 0 // bytes are only ever moved forward, so b is its own output
	i := 0
	for {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 || j+i+1 >= len(b) {
			break
		}
		j += i
		next := b[j+1]
		switch {
		case bytes.HasPrefix(b[j:], []byte("<!--")):
			end := bytes.Index(b[j+4:], []byte("-->"))
			if end < 0 {
				return b[:w+copy(b[w:], b[i:])]
			}
			end += j + 4 + 3
			w += copy(b[w:], b[i:end])
			i = end
			continue
		case next == '!' || next == '?' || next == '/' || isASCIILetter(next):
		default: // a '<' in text
			w += copy(b[w:], b[i:j+1])
			i = j + 1
			continue
		}
		// A tag, an end tag or a bogus comment: its end is the next '>'
		// outside quotes, and only a script or style start tag matters.
		open := tagEnd(b, j+1)
		if open < 0 {
			break
		}
		name := rawTextTag(b[j+1 : open])
		if name == "" {
			w += copy(b[w:], b[i:open])
			i = open
			continue
		}
		closeAt := indexFold(b[open:], "</"+name)
		if closeAt < 0 {
			break
		}
		closeAt += open
		w += copy(b[w:], b[i:open])
		if name == "script" && isLDScript(b[j:open]) {
			w += copy(b[w:], b[open:closeAt])
		}
		i = closeAt
	}
	w += copy(b[w:], b[i:])
	return b[:w]
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// rawTextTag returns "script" or "style" when b starts with that tag name
// followed by a delimiter, else "".
func rawTextTag(b []byte) string {
	for _, name := range []string{"script", "style"} {
		if len(b) > len(name) && bytes.EqualFold(b[:len(name)], []byte(name)) {
			switch b[len(name)] {
			case ' ', '\t', '\n', '\r', '\f', '>', '/':
				return name
			}
		}
	}
	return ""
}

// tagEnd returns the index just past the '>' closing the tag whose
// attributes start at i, or -1.
func tagEnd(b []byte, i int) int {
	for ; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"' || c == '\'':
			// Quotes open only at the start of an attribute value.
			if b[i-1] == '=' || b[i-1] == ' ' && i >= 2 && b[i-2] == '=' {
				// Values (URLs, srcsets, inline JSON) are most of a
				// tag's bytes: skip to the closing quote in one search.
				end := bytes.IndexByte(b[i+1:], c)
				if end < 0 {
					return -1
				}
				i += 1 + end
			}
		case c == '>':
			return i + 1
		}
	}
	return -1
}

// indexFold finds the ASCII pattern pat in b, ignoring case.
func indexFold(b []byte, pat string) int {
	for off := 0; ; {
		k := bytes.IndexByte(b[off:], '<')
		if k < 0 {
			return -1
		}
		off += k
		if len(b)-off >= len(pat) && bytes.EqualFold(b[off:off+len(pat)], []byte(pat)) {
			return off
		}
		off++
	}
}

// isLDScript reports whether a script start tag declares JSON-LD.
func isLDScript(tag []byte) bool {
	return bytes.Contains(bytes.ToLower(tag), []byte("ld+json"))
}
