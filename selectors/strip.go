package selectors

import "bytes"

// StripRawText returns a copy of page with the content of its <script> and
// <style> elements emptied, JSON-LD scripts kept: what extraction reads of
// a page, for a fraction of the parse. A crawl parses what it returns
// once, for its links and for Extract. page is not modified.
func StripRawText(page []byte) []byte {
	return stripRawText(bytes.Clone(page))
}
