package scraper

import (
	"bytes"
	"fmt"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/newsvault/newsvault/selectors"
)

// maxDOMNodes bounds the nodes of one parsed page. A real page has a few
// thousand; x/net/html itself refuses nesting deeper than 512 open
// elements (since v0.55.0, which go.mod requires at least). Past either
// limit a page is parse_failed, and its raw body goes to OnOutcome.
const maxDOMNodes = 1 << 20

// parseHTML parses a decoded page within the DOM limits, without the
// bodies of its scripts and styles: neither links nor extraction read them
// (JSON-LD aside, which is kept), and on news pages they are up to half
// the bytes the tokenizer would copy.
func parseHTML(text []byte) (*goquery.Document, error) {
	root, err := html.Parse(bytes.NewReader(selectors.StripRawText(text)))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	n := 0
	for range root.Descendants() {
		if n++; n > maxDOMNodes {
			return nil, fmt.Errorf("parse html: more than %d nodes", maxDOMNodes)
		}
	}
	return goquery.NewDocumentFromNode(root), nil
}
