package scraper

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/selectors"
)

// provenanceExtractor is an Extractor that also tells how it extracted;
// *selectors.Set is one.
type provenanceExtractor interface {
	ExtractWithProvenance(doc *goquery.Document, u *url.URL) (archive.Article, archive.Provenance, error)
}

// extract runs ext on doc, with provenance when ext gives it, and records
// which newsvault extracted.
func extract(ext Extractor, doc *goquery.Document, u *url.URL) (archive.Article, archive.Provenance, error) {
	var (
		a    archive.Article
		prov archive.Provenance
		err  error
	)
	if pe, ok := ext.(provenanceExtractor); ok {
		a, prov, err = pe.ExtractWithProvenance(doc, u)
	} else {
		a, err = ext.Extract(doc, u)
	}
	prov.Newsvault = BuildVersion()
	return a, prov, err
}

// save hands a and its provenance to store, through SaveWithProvenance
// when store keeps provenance.
func save(ctx context.Context, store Archive, c *archive.Capture, a *archive.Article, p *archive.Provenance) (archive.Saved, error) {
	if ps, ok := store.(archive.ProvenanceSaver); ok {
		return ps.SaveWithProvenance(ctx, c, a, p)
	}
	return store.Save(ctx, c, a)
}

// ErrReextract wraps why a stored capture gave no article on
// re-extraction (it decoded or parsed no more, the current rules find no
// text or too little); it is a failure to report, not a crash.
var ErrReextract = errors.New("no article on re-extraction")

// Reextract runs ext over a stored capture exactly as a crawl runs it over
// the page it fetched: the body decoded with the charset the capture
// records (the Content-Type it was served with when none is recorded),
// parsed within the same limits, extracted with the capture's final URL,
// refused when too thin, sanitised. The page is not asked whether it is an
// article: it was one when archived, and re-extraction only re-derives its
// content. The provenance's Cause is archive.CauseReextract and its
// charset fields are the capture's.
func Reextract(ext Extractor, c *archive.Capture) (archive.Article, archive.Provenance, error) {
	fail := func(err error) (archive.Article, archive.Provenance, error) {
		return archive.Article{}, archive.Provenance{}, fmt.Errorf("%w: %w", ErrReextract, err)
	}
	raw := c.FinalURL
	if raw == "" {
		raw = c.URL
	}
	final, err := url.Parse(raw)
	if err != nil || !final.IsAbs() {
		return fail(fmt.Errorf("capture URL %q is not absolute", raw))
	}
	text, err := decodeStored(c)
	if err != nil {
		return fail(err)
	}
	doc, err := parseHTML(text)
	if err != nil {
		return fail(err)
	}
	a, prov, err := extract(ext, doc, final)
	switch {
	case errors.Is(err, ErrNotArticle), errors.Is(err, selectors.ErrNoContent):
		return fail(err)
	case err != nil:
		return archive.Article{}, archive.Provenance{}, fmt.Errorf("extract %s: %w", raw, err)
	}
	if th, ok := ext.(thinChecker); ok && th.Thin(&a) {
		return fail(errors.New("too little text"))
	}
	if a.URL == "" {
		a.URL = final.String()
	}
	sanitizeArticle(&a)
	prov.Cause = archive.CauseReextract
	prov.Charset, prov.CharsetSource = c.Charset, c.CharsetSource
	return a, prov, nil
}

// decodeStored decodes a capture's body as the crawl did: DecodeHTML with
// the Content-Type it was served with, which repeats the crawl's decision;
// should that ever name another charset than the one recorded (a newer
// newsvault deciding otherwise), the recorded one wins, so the text is the
// one the archive has always read from these bytes.
func decodeStored(c *archive.Capture) ([]byte, error) {
	text, name, _, err := DecodeHTML(c.Body, c.ContentType)
	if err != nil || c.Charset == "" || name == c.Charset {
		return text, err
	}
	if e, _ := charset.Lookup(c.Charset); e == nil {
		return text, nil
	}
	// DecodeHTML honours a header charset: hand it the recorded one.
	text, _, _, err = DecodeHTML(c.Body, "text/html; charset="+c.Charset)
	return text, err
}
