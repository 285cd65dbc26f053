package main

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/scraper"
	"github.com/newsvault/newsvault/selectors"
)

const importUsage = "[--db PATH | --config FILE] [--selectors FILE] FILE.warc[.gz]"

// maxImportBody bounds one response's body, after Content-Encoding, so a
// hostile WARC cannot exhaust memory with one record.
const maxImportBody = 64 << 20

// importCounts is what an import did, record by record.
type importCounts struct {
	new, updated, unchanged          int
	already                          int // the same fetch was archived before
	revisit, status, notHTML, notArt int
	failed                           int
}

func (c importCounts) String() string {
	return fmt.Sprintf("imported %d (new %d, updated %d), unchanged %d, already archived %d, skipped %d (revisit %d, not 200 %d, not HTML %d, not an article %d), failed %d",
		c.new+c.updated, c.new, c.updated, c.unchanged, c.already,
		c.revisit+c.status+c.notHTML+c.notArt, c.revisit, c.status, c.notHTML, c.notArt, c.failed)
}

// importStore is what an import needs of the archive.
type importStore interface {
	archive.Store
	HasCapture(ctx context.Context, c *archive.Capture) (bool, error)
}

// warcPage is a response record worth extracting, found by the first pass.
type warcPage struct {
	offset int64
	uri    string
	date   time.Time
}

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("import", importUsage, e.stderr)
	var (
		db       archiveFlags
		logs     logFlags
		profiles = fs.String("selectors", "", "YAML `file` of extra site profiles (default: the config's selectors)")
	)
	db.register(fs)
	logs.register(fs)
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usagef("import takes one WARC file, got %d", len(files))
	}
	log, err := logs.logger(e.stderr)
	if err != nil {
		return err
	}
	path, err := db.path()
	if err != nil {
		return err
	}
	set, err := db.profiles(*profiles)
	if err != nil {
		return err
	}
	f, err := os.Open(files[0])
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	store, release, err := openLocked(ctx, path, openStore)
	if err != nil {
		return err
	}
	defer release()

	var counts importCounts
	// Two passes, so that each URL's versions are saved in WARC-Date order
	// whatever order the crawler wrote them in, holding only an index in
	// memory: the first lists the pages, the second reads each one again.
	pages, scanErr := scanWARC(ctx, f, &counts)
	sort.SliceStable(pages, func(i, j int) bool { return pages[i].date.Before(pages[j].date) })
	for _, p := range pages {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := importPage(ctx, f, p, set, store, &counts, log); err != nil {
			fmt.Fprintf(e.stderr, "import %s: %s\n", files[0], counts)
			return err
		}
	}
	fmt.Fprintf(e.stderr, "import %s: %s\n", files[0], counts)
	if scanErr != nil {
		// What came before the damage is archived; say where it is.
		return fmt.Errorf("import %s: %w (the %d pages before it were imported)", files[0], scanErr, len(pages))
	}
	return nil
}

// warcOpts read WARCs written by any crawler: syntax slips and spec
// violations are noted, not fatal; the block is parsed by net/http here.
func warcOpts() []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore),
		gowarc.WithSkipParseBlock(),
	}
}

// scanWARC lists the HTML 200 responses of f, counting the records it
// skips. A record that cannot be read ends the scan with an error naming
// its offset; the pages before it are returned.
func scanWARC(ctx context.Context, f *os.File, counts *importCounts) ([]warcPage, error) {
	r, err := gowarc.NewWarcFileReaderFromStream(noCloser{f}, 0, warcOpts()...)
	if err != nil {
		return nil, fmt.Errorf("read warc: %w", err)
	}
	defer r.Close()
	var (
		pages []warcPage
		next  int64 // where the next record starts
	)
	for {
		if err := ctx.Err(); err != nil {
			return pages, err
		}
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return pages, nil
		}
		if err != nil {
			return pages, fmt.Errorf("record at offset %d: %w", next, err)
		}
		next = rec.Offset + rec.Size
		p, err := classify(rec, counts)
		rec.Close()
		if err != nil {
			return pages, fmt.Errorf("record at offset %d: %w", rec.Offset, err)
		}
		if p != nil {
			pages = append(pages, *p)
		}
	}
}

// classify returns the page rec holds, or nil (counting the skip) when it
// is not an HTML 200 response.
func classify(rec gowarc.Record, counts *importCounts) (*warcPage, error) {
	wr := rec.WarcRecord
	switch wr.Type() {
	case gowarc.Revisit:
		counts.revisit++
		return nil, nil
	case gowarc.Response:
	default:
		return nil, nil // warcinfo, request, metadata, resource...
	}
	if ct := wr.WarcHeader().Get(gowarc.ContentType); !strings.HasPrefix(strings.ToLower(ct), "application/http") {
		return nil, nil // a response of another protocol (dns:, ftp)
	}
	date, err := wr.Date()
	if err != nil {
		return nil, fmt.Errorf("WARC-Date: %w", err)
	}
	raw, err := wr.Block().RawBytes()
	if err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(raw), nil)
	if err != nil {
		return nil, fmt.Errorf("http response: %w", err)
	}
	resp.Body.Close()
	switch {
	case resp.StatusCode != http.StatusOK:
		counts.status++
		return nil, nil
	case resp.Header.Get("Content-Type") != "" && !scraper.IsHTMLType(resp.Header.Get("Content-Type")):
		counts.notHTML++
		return nil, nil
	}
	return &warcPage{offset: rec.Offset, uri: targetURI(wr), date: date}, nil
}

// targetURI is a record's WARC-Target-URI; WARC 1.0 writers (wget among
// them) enclose it in angle brackets.
func targetURI(wr gowarc.WarcRecord) string {
	return strings.TrimSuffix(strings.TrimPrefix(wr.WarcHeader().Get(gowarc.WarcTargetURI), "<"), ">")
}

// importPage reads the response at p.offset again and archives its article.
// Only a failing archive is an error; a page that gives no article is
// counted.
func importPage(ctx context.Context, f *os.File, p warcPage, set *selectors.Set, store importStore, counts *importCounts, log *slog.Logger) error {
	c, err := readCapture(f, p)
	if err != nil {
		counts.failed++
		log.Warn("record not read", "offset", p.offset, "url", p.uri, "err", err)
		return nil
	}
	u, err := url.Parse(p.uri)
	if err != nil || !u.IsAbs() {
		counts.failed++
		log.Warn("record has no absolute target URI", "offset", p.offset, "url", p.uri)
		return nil
	}
	a, prov, err := scraper.ExtractPage(set, c.Body, c.ContentType, u)
	switch {
	case errors.Is(err, scraper.ErrNotHTML):
		counts.notHTML++
		return nil
	case errors.Is(err, scraper.ErrNotArticle):
		counts.notArt++
		log.Debug("page skipped", "url", p.uri, "why", err)
		return nil
	case err != nil:
		counts.failed++
		log.Warn("page not extracted", "offset", p.offset, "url", p.uri, "err", err)
		return nil
	}
	c.Charset, c.CharsetSource = prov.Charset, prov.CharsetSource
	// Saving an older fetch again after a newer one would add it as a new
	// version: a WARC imported twice must add nothing.
	if ok, err := store.HasCapture(ctx, c); err != nil {
		return fmt.Errorf("import %s: %w", p.uri, err)
	} else if ok {
		counts.already++
		return nil
	}
	var saved archive.Saved
	if ps, ok := store.(archive.ProvenanceSaver); ok {
		saved, err = ps.SaveWithProvenance(ctx, c, &a, &prov)
	} else {
		saved, err = store.Save(ctx, c, &a)
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", p.uri, err)
	}
	switch saved.Outcome {
	case archive.New:
		counts.new++
	case archive.Updated:
		counts.updated++
	default:
		counts.unchanged++
	}
	log.Info("article imported", "url", p.uri, "outcome", saved.Outcome.String(), "version", saved.Version)
	return nil
}

// readCapture reads the response record at p.offset into a Capture,
// checking its digests.
func readCapture(f *os.File, p warcPage) (*archive.Capture, error) {
	r, err := gowarc.NewWarcFileReaderFromStream(noCloser{f}, p.offset, warcOpts()...)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	rec, err := r.Next()
	if err != nil {
		return nil, err
	}
	defer rec.Close()
	wr := rec.WarcRecord
	if err := wr.Block().Cache(); err != nil {
		return nil, err
	}
	if problems, err := wr.ValidateDigest(); err != nil || len(problems) > 0 {
		return nil, fmt.Errorf("damaged record: %w", errors.Join(append(problems, err)...))
	}
	raw, err := wr.Block().RawBytes()
	if err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(raw), nil)
	if err != nil {
		return nil, fmt.Errorf("http response: %w", err)
	}
	defer resp.Body.Close()
	body, err := decodedBody(resp)
	if err != nil {
		return nil, err
	}
	return &archive.Capture{
		URL:          p.uri,
		FinalURL:     p.uri,
		Status:       resp.StatusCode,
		FetchedAt:    p.date.UTC(),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		ContentType:  resp.Header.Get("Content-Type"),
		Body:         body,
	}, nil
}

// decodedBody reads a response's body as a crawl keeps it: de-chunked (by
// net/http) and with its Content-Encoding undone, at most maxImportBody.
func decodedBody(resp *http.Response) ([]byte, error) {
	var r io.Reader = resp.Body
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("gunzip body: %w", err)
		}
		defer zr.Close()
		r = zr
	case "deflate":
		r = flate.NewReader(r)
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", enc)
	}
	body, err := io.ReadAll(io.LimitReader(r, maxImportBody+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if len(body) > maxImportBody {
		return nil, fmt.Errorf("body larger than %d MiB", maxImportBody>>20)
	}
	return body, nil
}

// noCloser keeps gowarc's reader from closing the file we read twice.
type noCloser struct{ *os.File }

func (noCloser) Close() error { return nil }
