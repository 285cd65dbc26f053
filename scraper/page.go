package scraper

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/selectors"
)

// ErrNotHTML says a body is not an HTML page whatever its Content-Type
// claimed (a PDF, an image, an archive): a skip to count, not a failure.
var ErrNotHTML = errors.New("not an HTML page")

// IsHTMLType reports whether a Content-Type header value names a media type
// newsvault parses as a page: text/html or application/xhtml+xml. "" is not.
func IsHTMLType(contentType string) bool {
	return isHTML(mediaType(contentType))
}

// ExtractPage turns a page fetched elsewhere (a WARC record, a stored
// capture) into an article the way a crawl does: a body that sniffs as
// binary is ErrNotHTML; it is decoded with [DecodeHTML] and contentType,
// parsed within the crawl's DOM limits, and extracted when ext takes it for
// an article. A page that is not one, or too thin to be one, is an error
// wrapping ErrNotArticle. The article's strings are made storable, and its
// URL is u when the extractor set none. The provenance says how it was
// extracted, with Cause archive.CauseImport and the charset DecodeHTML
// decided, which the Capture should record too.
func ExtractPage(ext Extractor, body []byte, contentType string, u *url.URL) (a archive.Article, prov archive.Provenance, err error) {
	if sniffed := mediaType(http.DetectContentType(body)); binaryMedia(sniffed) {
		return archive.Article{}, prov, fmt.Errorf("%w: body is %s", ErrNotHTML, sniffed)
	}
	text, charsetName, source, err := DecodeHTML(body, contentType)
	if err != nil {
		return archive.Article{}, prov, err
	}
	prov.Charset, prov.CharsetSource = charsetName, source
	doc, err := parseHTML(text)
	if err != nil {
		return archive.Article{}, prov, err
	}
	if !ext.IsArticle(doc, u) {
		return archive.Article{}, prov, ErrNotArticle
	}
	a, p, err := extract(ext, doc, u)
	switch {
	case errors.Is(err, selectors.ErrNoContent):
		return archive.Article{}, prov, fmt.Errorf("%w: %w", ErrNotArticle, err)
	case err != nil:
		return archive.Article{}, prov, err
	}
	if th, ok := ext.(thinChecker); ok && th.Thin(&a) {
		return archive.Article{}, prov, fmt.Errorf("%w: too little text", ErrNotArticle)
	}
	if a.URL == "" {
		a.URL = u.String()
	}
	sanitizeArticle(&a)
	p.Cause = archive.CauseImport
	p.Charset, p.CharsetSource = charsetName, source
	return a, p, nil
}

// AcceptHTML is the Accept header a crawl sends with every page request.
const AcceptHTML = acceptHTML
