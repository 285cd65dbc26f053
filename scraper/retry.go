package scraper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	maxAttempts    = 3                      // the first try and two retries
	defaultBackoff = 500 * time.Millisecond // doubled for each retry
	maxRetryAfter  = 30 * time.Second       // a longer Retry-After defers the URL to a later run
	// defaultMaxCrawlDelay is Config.MaxCrawlDelay's default. A slower host
	// would take hours to crawl: a run of a few dozen pages at one every five
	// minutes already takes the afternoon.
	defaultMaxCrawlDelay = 5 * time.Minute
)

// retryableStatus lists statuses worth another try: timeouts, throttling
// and transient server errors (522 and 524 are Cloudflare's origin timeouts).
func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout, 522, 524:
		return true
	}
	return false
}

// retryableError reports whether a fetch error is a broken connection or a
// body cut short, which another try may fix. Timeouts are not retried: a
// hung server would hold the crawl for three timeouts.
func retryableError(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errTooLarge) {
		return false
	}
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return false
	}
	if errors.Is(err, errReplayRefused) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED) {
		return true
	}
	_, ok := errors.AsType[*net.OpError](err)
	return ok
}

// retryAfter parses a Retry-After value, seconds or an HTTP date; ok is
// false when there is none or it cannot be read.
func retryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, true
		}
		if secs > int64(24*time.Hour/time.Second)*365 {
			secs = int64(24 * time.Hour / time.Second * 365)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// backoff is the wait before retry number attempt (1 for the first retry).
func backoff(base time.Duration, attempt int) time.Duration {
	return base << (attempt - 1)
}

// noReplayTransport keeps net/http from resending a request by itself.
// When a kept-alive connection fails before the first response byte,
// http.Transport sends a GET again on another connection, and again for
// as long as it finds idle ones: a server that resets connections saw up
// to 11 requests where the crawler made 3 attempts (TestT08RetryBudget).
// Retries are the crawler's to count and space, so a second connection
// for one round trip is closed before anything is written on it, and the
// attempt fails with a retryable error.
type noReplayTransport struct{ base http.RoundTripper }

var errReplayRefused = errors.New("connection failed before the response; resend refused")

func (t noReplayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var conns atomic.Int32
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if conns.Add(1) > 1 {
			info.Conn.Close()
		}
	}}
	resp, err := t.base.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	if err != nil && conns.Load() > 1 {
		err = fmt.Errorf("%w: %w", errReplayRefused, err)
	}
	return resp, err
}
