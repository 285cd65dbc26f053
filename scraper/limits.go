package scraper

import (
	"bufio"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// errTooLarge is returned while reading a body that goes past the limit.
var errTooLarge = errors.New("body too large")

// hdrContentType carries a response's original Content-Type past colly.
// colly transcodes a body by itself whenever the Content-Type it sees names a
// charset (Response.fixCharset), which would lose the raw bytes we archive
// and second-guess DecodeHTML; so limitTransport shows colly the bare media
// type and keeps the header as sent under this name.
const hdrContentType = "Newsvault-Original-Content-Type"

// limitTransport wraps the crawl's RoundTripper so every body is
// decompressed here and bounded after decompression: reading past maxBody
// is an error, never a silent truncation.
//
// colly cannot do this itself: its MaxBodySize truncates silently, and when
// it un-gzips a response it bounds the compressed stream, so a small gzip
// bomb inflates without limit.
type limitTransport struct {
	base    http.RoundTripper
	maxBody int64
	// headerTimeout bounds the wait for the response headers; 0 = none
	// but the request's own deadline.
	headerTimeout time.Duration
	// bodyRead, when set, is told how many bytes (after decompression)
	// were read of each body, when it is closed. Tests measure with it.
	bodyRead func(u string, n int64)
}

var errHeaderTimeout = errors.New("timeout awaiting response headers")

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(req.Context())
	stop := func() bool { return true }
	if t.headerTimeout > 0 {
		timer := time.AfterFunc(t.headerTimeout, func() {
			cancel(fmt.Errorf("%w (%s)", errHeaderTimeout, t.headerTimeout))
		})
		stop = timer.Stop
	}
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	stop()
	if err != nil {
		if cause := context.Cause(ctx); cause != nil && errors.Is(cause, errHeaderTimeout) {
			err = fmt.Errorf("%w: %w", cause, err)
		}
		cancel(nil)
		return nil, err
	}
	resp, err = t.wrap(req, resp, func() { cancel(nil) })
	if err != nil {
		cancel(nil)
	}
	return resp, err
}

func (t *limitTransport) wrap(req *http.Request, resp *http.Response, done func()) (*http.Response, error) {
	raw := resp.Body
	var r io.Reader = raw
	if resp.ContentLength > t.maxBody && !prefixOnly(req.Context()) {
		// Refused without reading a byte, when the body is read: a page
		// that is not HTML is still told apart (and skipped) first.
		r = errReader{fmt.Errorf("content-length %d, more than %d bytes: %w", resp.ContentLength, t.maxBody, errTooLarge)}
	}
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	switch {
	case resp.Uncompressed || enc == "" || enc == "identity":
	case enc == "gzip" || enc == "x-gzip":
		r = &lazyReader{open: func() (io.Reader, error) { return gzip.NewReader(raw) }}
	case enc == "deflate":
		r = &lazyReader{open: func() (io.Reader, error) { return zlib.NewReader(raw) }}
	default:
		raw.Close()
		return nil, fmt.Errorf("get %s: unsupported content-encoding %q", req.URL, enc)
	}
	if enc != "" && enc != "identity" {
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
	}
	// Uncompressed also stops colly from un-gzipping on its own (it does so
	// for Content-Type application/x-gzip and paths ending in .xml.gz).
	resp.Uncompressed = true
	lr := &limitedReader{r: r, max: t.maxBody}
	r = lr

	ct := resp.Header.Get("Content-Type")
	resp.Header.Set(hdrContentType, ct)
	media := mediaType(ct)
	if strings.TrimSpace(ct) == "" || isHTML(media) {
		// Sniff as browsers do, from the first 512 bytes, so a page served
		// without a type, or an image served as text/html, is told from a
		// page before colly reads the rest.
		br := bufio.NewReaderSize(r, 512)
		peek, err := br.Peek(512)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, errTooLarge) {
			// A read error this early is the client's Timeout (which it
			// reports as a timeout only for reads after RoundTrip returns)
			// or a broken connection: fail now, saying which.
			raw.Close()
			if cause := context.Cause(req.Context()); cause != nil {
				err = fmt.Errorf("%w (%w)", cause, err)
			}
			return nil, fmt.Errorf("get %s: read body: %w", req.URL, err)
		}
		sniffed := mediaType(http.DetectContentType(peek))
		if strings.TrimSpace(ct) == "" || binaryMedia(sniffed) {
			media = sniffed
		}
		r = br
	}
	resp.Header.Set("Content-Type", media)
	u := req.URL.String()
	resp.Body = &body{Reader: r, close: func() error {
		if t.bodyRead != nil {
			t.bodyRead(u, lr.n)
		}
		done()
		return raw.Close()
	}}
	return resp, nil
}

// mediaType returns the lower-case type/subtype of a Content-Type value,
// without parameters, or "application/octet-stream" when there is none.
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		mt = ""
	}
	if mt == "" || !strings.Contains(mt, "/") {
		return "application/octet-stream"
	}
	return mt
}

// isHTML reports whether a media type is one we parse as a page.
func isHTML(media string) bool {
	return media == "text/html" || media == "application/xhtml+xml"
}

type body struct {
	io.Reader
	close func() error
}

func (b *body) Close() error { return b.close() }

// limitedReader fails with errTooLarge once more than max bytes come
// through, reading at most max+1 bytes from r.
type limitedReader struct {
	r   io.Reader
	n   int64
	max int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n > l.max {
		return 0, fmt.Errorf("more than %d bytes: %w", l.max, errTooLarge)
	}
	if room := l.max - l.n + 1; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.max {
		return n - int(l.n-l.max), fmt.Errorf("more than %d bytes: %w", l.max, errTooLarge)
	}
	return n, err
}

// lazyReader opens its decompressor on the first Read, so RoundTrip does not
// block reading a gzip header for a response that will be aborted.
type lazyReader struct {
	open func() (io.Reader, error)
	r    io.Reader
	err  error
}

func (l *lazyReader) Read(p []byte) (int, error) {
	if l.r == nil && l.err == nil {
		l.r, l.err = l.open()
		if l.err != nil {
			l.err = fmt.Errorf("decompress: %w", l.err)
		}
	}
	if l.err != nil {
		return 0, l.err
	}
	return l.r.Read(p)
}

// errReader fails every Read with its error.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// prefixKey marks a request whose reader wants only the start of the body
// (robots.txt: the first 512 KiB), so a large Content-Length is no reason
// to refuse it unread; the byte limit still applies.
type prefixKey struct{}

func withPrefixOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, prefixKey{}, true)
}

func prefixOnly(ctx context.Context) bool {
	v, _ := ctx.Value(prefixKey{}).(bool)
	return v
}
