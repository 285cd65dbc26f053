package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/nlnwa/gowarc/v3"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/scraper"
)

// captureLister is what a WARC export reads of the archive.
type captureLister interface {
	Captures(ctx context.Context, f archive.Filter, fn func(*archive.StoredCapture) error) error
}

// warcExport describes one WARC file to write.
type warcExport struct {
	filename  string // the name recorded in warcinfo, "" when writing to stdout
	userAgent string // the User-Agent the crawls sent
	operator  string // "" = none
	now       time.Time
}

// recordOpts are the options of every record we build: WARC 1.1, SHA-1
// digests in base32 (the form every reader and CDX indexer accepts; pywb
// and warcio compare payload digests in it for deduplication), and a
// record that breaks the spec is an error rather than a warning.
func recordOpts() []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithVersion(gowarc.V1_1),
		gowarc.WithDefaultDigestAlgorithm("sha1"),
		gowarc.WithDefaultDigestEncoding(gowarc.Base32),
		gowarc.WithAddMissingDigest(true),
		gowarc.WithStrictValidation(),
	}
}

// writeWARC writes a warcinfo record and then a request and a response
// record for every capture src lists under f, each record its own gzip
// member (so readers can seek to any record), and returns the number of
// captures written.
func writeWARC(ctx context.Context, w io.Writer, src captureLister, f archive.Filter, x warcExport) (int, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
	m := gowarc.NewMarshaler()
	put := func(rec gowarc.WarcRecord) error {
		defer rec.Close()
		zw.Reset(bw)
		if _, _, err := m.Marshal(zw, rec, 0); err != nil {
			return fmt.Errorf("write %s record: %w", rec.Type(), err)
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("write %s record: %w", rec.Type(), err)
		}
		return nil
	}
	info, infoID, err := warcinfoRecord(x)
	if err != nil {
		return 0, err
	}
	if err := put(info); err != nil {
		return 0, err
	}
	n := 0
	err = src.Captures(ctx, f, func(c *archive.StoredCapture) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		req, resp, err := captureRecords(&c.Capture, infoID, x.userAgent)
		if err != nil {
			return fmt.Errorf("%s version %d: %w", c.Key, c.Version, err)
		}
		err = put(req)
		if err == nil {
			err = put(resp)
		} else {
			resp.Close()
		}
		if err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("write warc: %w", err)
	}
	return n, nil
}

func newRecordID() string { return "<urn:uuid:" + uuid.NewString() + ">" }

func warcinfoRecord(x warcExport) (gowarc.WarcRecord, string, error) {
	id := newRecordID()
	b := gowarc.NewRecordBuilder(gowarc.Warcinfo, recordOpts()...)
	b.AddWarcHeader(gowarc.WarcRecordID, id)
	b.AddWarcHeaderTime(gowarc.WarcDate, x.now)
	if x.filename != "" {
		b.AddWarcHeader(gowarc.WarcFilename, x.filename)
	}
	b.AddWarcHeader(gowarc.ContentType, gowarc.ApplicationWarcFields)
	fields := [][2]string{
		{"software", "newsvault/" + versionString() + " (+https://github.com/newsvault/newsvault)"},
		{"format", "WARC File Format 1.1"},
		{"conformsTo", "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"},
		{"description", "newsvault archive export: the raw captures every archived article version was extracted from. " +
			"Bodies are as stored (after Content-Encoding); HTTP request and response headers are reconstructed from what the archive keeps."},
		{"http-header-user-agent", x.userAgent},
	}
	if x.operator != "" {
		fields = append(fields, [2]string{"operator", x.operator})
	}
	for _, kv := range fields {
		fmt.Fprintf(b, "%s: %s\r\n", kv[0], headerValue(kv[1]))
	}
	rec, _, err := b.Build()
	if err != nil {
		return nil, "", fmt.Errorf("build warcinfo record: %w", err)
	}
	return rec, id, nil
}

// captureRecords builds the request and response records of one capture,
// pointing at each other with WARC-Concurrent-To.
//
// The archive keeps the response's body and a few of its headers, not the
// exchange as it went over the wire, so both HTTP messages are
// reconstructed: the request is the GET a crawl sends (Host, User-Agent,
// Accept, and the Accept-Encoding Go's transport adds), without the
// If-None-Match / If-Modified-Since a revisit may have carried; the response
// has the stored status, Content-Type, ETag and Last-Modified, and the
// Content-Length of the body as stored, which is after Content-Encoding
// (hence no Content-Encoding or Transfer-Encoding header).
func captureRecords(c *archive.Capture, infoID, userAgent string) (req, resp gowarc.WarcRecord, err error) {
	target := c.FinalURL
	if target == "" {
		target = c.URL
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return nil, nil, fmt.Errorf("capture URL %q is not absolute", target)
	}
	reqID, respID := newRecordID(), newRecordID()
	head := func(b gowarc.WarcRecordBuilder, id, other, msgtype string) {
		b.AddWarcHeader(gowarc.WarcRecordID, id)
		b.AddWarcHeader(gowarc.WarcTargetURI, u.String())
		b.AddWarcHeaderTime(gowarc.WarcDate, c.FetchedAt.UTC())
		b.AddWarcHeader(gowarc.WarcWarcinfoID, infoID)
		b.AddWarcHeader(gowarc.WarcConcurrentTo, other)
		b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype="+msgtype)
	}

	rb := gowarc.NewRecordBuilder(gowarc.Request, recordOpts()...)
	head(rb, reqID, respID, "request")
	fmt.Fprintf(rb, "GET %s HTTP/1.1\r\n", u.RequestURI())
	writeHeader(rb, "Host", u.Host)
	writeHeader(rb, "User-Agent", userAgent)
	writeHeader(rb, "Accept", scraper.AcceptHTML)
	writeHeader(rb, "Accept-Encoding", "gzip")
	io.WriteString(rb, "\r\n")
	if req, _, err = rb.Build(); err != nil {
		return nil, nil, fmt.Errorf("build request record: %w", err)
	}

	sb := gowarc.NewRecordBuilder(gowarc.Response, recordOpts()...)
	head(sb, respID, reqID, "response")
	status := c.Status
	if status == 0 {
		status = http.StatusOK
	}
	fmt.Fprintf(sb, "HTTP/1.1 %03d %s\r\n", status, http.StatusText(status))
	writeHeader(sb, "Content-Type", c.ContentType)
	writeHeader(sb, "ETag", c.ETag)
	writeHeader(sb, "Last-Modified", c.LastModified)
	writeHeader(sb, "Content-Length", strconv.Itoa(len(c.Body)))
	io.WriteString(sb, "\r\n")
	sb.Write(c.Body)
	if resp, _, err = sb.Build(); err != nil {
		req.Close()
		return nil, nil, fmt.Errorf("build response record: %w", err)
	}
	return req, resp, nil
}

// writeHeader writes one HTTP header line, none for an empty value.
func writeHeader(w io.Writer, name, value string) {
	if value = headerValue(value); value != "" {
		fmt.Fprintf(w, "%s: %s\r\n", name, value)
	}
}

// headerValue keeps a stored value from breaking a header line.
func headerValue(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
}

// warcFilename is the name a warcinfo record gives its file.
func warcFilename(out string) string {
	if out == "" {
		return ""
	}
	return filepath.Base(out)
}

// exportWARC is "export --format warc": every version's capture of the
// articles f selects, to out (atomically) or stdout.
func exportWARC(ctx context.Context, e *env, db *archiveFlags, f archive.Filter, out, operator string) error {
	x := warcExport{filename: warcFilename(out), userAgent: scraper.DefaultUserAgent, operator: operator, now: time.Now().UTC()}
	if db.config != "" {
		// The crawls of a config sent its user_agent.
		cfg, _, err := loadConfig(db.config)
		if err != nil {
			return err
		}
		if cfg.UserAgent != "" {
			x.userAgent = cfg.UserAgent
		}
	}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	var n int
	write := func(w io.Writer) error {
		n, err = writeWARC(ctx, w, store, f, x)
		if err != nil {
			return fmt.Errorf("export warc: %w", err)
		}
		return nil
	}
	if out == "" {
		err = write(e.stdout)
	} else {
		err = writeFileAtomic(out, write)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "exported %d captures (%d WARC records)\n", n, 2*n+1)
	return nil
}
