package scraper

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// entry is one URL a feed or sitemap lists, with the latest date the
// document gives for it: lastmod, news:publication_date, or a feed item's
// published or updated time. Zero when it gives none.
type entry struct {
	loc  string
	date time.Time
}

// sitemap is a parsed sitemap file: a <urlset> lists pages, a
// <sitemapindex> lists more sitemaps.
type sitemap struct {
	index   bool
	entries []entry
	dropped int // entries past maxEntries
}

const (
	// maxEntries bounds the entries kept from one feed or sitemap: the
	// sitemap protocol's own limit.
	maxEntries = 50_000
	// maxSitemapNesting bounds how many sitemap indexes are followed
	// below a sitemap the crawl was given or found in robots.txt.
	maxSitemapNesting = 3
	// maxDocuments bounds the feeds and sitemaps fetched by one crawl.
	maxDocuments = 500
	// maxLocBytes bounds the text kept for one <loc> or date: far beyond
	// any real URL, it only stops a hostile file from growing one string.
	maxLocBytes = 8 << 10
)

// rootError says a document is not a sitemap: its root element (""
// when it has none) is neither <urlset> nor <sitemapindex>.
type rootError struct{ root string }

func (e *rootError) Error() string {
	if e.root == "" {
		return "no xml root element"
	}
	return fmt.Sprintf("root element <%s> is not <urlset> or <sitemapindex>", e.root)
}

// parseSitemap reads an XML sitemap or sitemap index, streaming. Element
// names are matched without their namespace, as many sitemaps declare
// none or a wrong one; <loc> and <lastmod> count only as direct children of
// <url> or <sitemap> (an image sitemap's <image:loc> is not the page), and
// <publication_date> only inside a Google News <news:news>.
//
// The parser is lenient (stray "&" in URLs are common), but on a syntax
// error it returns the entries read so far together with the error.
func parseSitemap(r io.Reader) (sitemap, error) {
	var sm sitemap
	d := xml.NewDecoder(r)
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	var (
		depth   int
		root    string
		item    string // "url" or "sitemap"
		parent  string // the element at depth 3 being read, inside an item
		field   string // the element whose text is being collected, "" for none
		text    []byte
		current entry
		inItem  bool
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if root == "" {
				return sm, &rootError{}
			}
			return sm, fmt.Errorf("parse sitemap: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			name := strings.ToLower(t.Name.Local)
			switch {
			case depth == 1:
				root = name
				switch name {
				case "urlset":
					item = "url"
				case "sitemapindex":
					sm.index, item = true, "sitemap"
				default:
					return sm, &rootError{root: name}
				}
			case depth == 2 && name == item:
				inItem, current = true, entry{}
			case depth == 3 && inItem:
				parent = name
				if name == "loc" || name == "lastmod" {
					field, text = name, text[:0]
				}
			case depth == 4 && inItem && parent == "news" && name == "publication_date":
				field, text = name, text[:0]
			}
		case xml.CharData:
			if field != "" && len(text)+len(t) <= maxLocBytes {
				text = append(text, t...)
			}
		case xml.EndElement:
			name := strings.ToLower(t.Name.Local)
			switch {
			case field != "" && name == field:
				v := strings.TrimSpace(string(text))
				if field == "loc" {
					if current.loc == "" {
						current.loc = v
					}
				} else if dt := parseW3CDate(v); dt.After(current.date) {
					current.date = dt
				}
				field = ""
			case depth == 2 && inItem && name == item:
				inItem = false
				if current.loc != "" {
					if len(sm.entries) < maxEntries {
						sm.entries = append(sm.entries, current)
					} else {
						sm.dropped++
					}
				}
			}
			if depth == 3 {
				parent = ""
			}
			depth--
		}
	}
	if root == "" {
		return sm, &rootError{}
	}
	return sm, nil
}

// w3cLayouts are the W3C Datetime profile of ISO 8601 that sitemaps use,
// most precise first, plus the zone-less and space-separated forms seen in
// the wild (read as UTC).
var w3cLayouts = []string{
	time.RFC3339, // fractional seconds are accepted too
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
	"2006-01",
	"2006",
}

// parseW3CDate parses a sitemap date; the zero time when it cannot.
func parseW3CDate(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range w3cLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// gunzipMagic decompresses body when it starts with the gzip magic bytes,
// which catches sitemap.xml.gz files served without a Content-Encoding
// (a Content-Encoding is undone by limitTransport, and a ".gz" name whose
// body has no magic was already decompressed on the way). The result is
// bounded by max, like any page.
func gunzipMagic(body []byte, max int64) ([]byte, error) {
	if len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
		return body, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	out, err := io.ReadAll(&limitedReader{r: zr, max: max})
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	return out, nil
}
