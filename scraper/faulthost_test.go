package scraper

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// faultHost is one loopback server of the reliability cases (RELIABILITY.md):
// the test's handler answers every path, and the host records each
// request's start and the most requests it had in flight at once.
type faultHost struct {
	srv     *httptest.Server
	handler http.HandlerFunc

	mu          sync.Mutex
	reqs        []seenRequest
	inFlight    int
	maxInFlight int
}

func newFaultHost(t testing.TB, handler http.HandlerFunc) *faultHost {
	f := &faultHost{handler: handler}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *faultHost) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.reqs = append(f.reqs, seenRequest{uri: r.URL.RequestURI(), ua: r.UserAgent(), at: time.Now()})
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight--
		f.mu.Unlock()
	}()
	f.handler(w, r)
}

func (f *faultHost) url(p string) string { return f.srv.URL + p }
func (f *faultHost) addr() string        { return f.srv.Listener.Addr().String() }

// host is the URL host the crawler knows f by.
func (f *faultHost) host() string { return strings.TrimPrefix(f.srv.URL, "http://") }

// urls returns f's URLs for paths.
func (f *faultHost) urls(paths ...string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = f.url(p)
	}
	return out
}

// starts returns the start times of the requests for uri.
func (f *faultHost) starts(uri string) []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []time.Time
	for _, r := range f.reqs {
		if r.uri == uri {
			out = append(out, r.at)
		}
	}
	return out
}

func (f *faultHost) count(uri string) int { return len(f.starts(uri)) }

// pages returns the request URIs other than robots.txt, in order.
func (f *faultHost) pages() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.reqs {
		if r.uri != "/robots.txt" {
			out = append(out, r.uri)
		}
	}
	return out
}

// pageStarts returns the start times of the requests other than robots.txt.
func (f *faultHost) pageStarts() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []time.Time
	for _, r := range f.reqs {
		if r.uri != "/robots.txt" {
			out = append(out, r.at)
		}
	}
	return out
}

func (f *faultHost) peakInFlight() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.maxInFlight
}

// dialOnly is a transport that dials only addrs, all on 127.0.0.1: any
// other address fails the test without a connection being made.
func dialOnly(t testing.TB, addrs ...string) *http.Transport {
	var d net.Dialer
	return &http.Transport{
		DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			if !slices.Contains(addrs, hostport) || !strings.HasPrefix(hostport, "127.0.0.1:") {
				t.Errorf("crawler dialed %s; only %q are allowed", hostport, addrs)
				return nil, fmt.Errorf("test: dial %s refused", hostport)
			}
			return d.DialContext(ctx, network, hostport)
		},
	}
}

// faultConfig is a crawl of start on hosts, through a transport that
// dials only them, with the production backoff.
func faultConfig(t testing.TB, hosts []*faultHost, start ...string) Config {
	addrs := make([]string, len(hosts))
	for i, h := range hosts {
		addrs[i] = h.addr()
	}
	return Config{
		StartURLs: start,
		Parallel:  2,
		Timeout:   5 * time.Second,
		Transport: dialOnly(t, addrs...),
		Logger:    testLogger(t),
	}
}

// robotsReports collects OnRobots calls.
type robotsReports struct {
	mu   sync.Mutex
	reps map[string][]RobotsReport // by host
}

func (r *robotsReports) add(rep RobotsReport) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reps == nil {
		r.reps = make(map[string][]RobotsReport)
	}
	r.reps[rep.Host] = append(r.reps[rep.Host], rep)
}

// only returns the one report for host, failing the test unless there is
// exactly one.
func (r *robotsReports) only(t testing.TB, host string) RobotsReport {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := len(r.reps[host]); n != 1 {
		t.Errorf("%d robots reports for %s, want 1: %+v", n, host, r.reps[host])
		return RobotsReport{}
	}
	return r.reps[host][0]
}

// faultArticle answers any path with a small article page.
func faultArticle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<html><body><article><h1>Story %s</h1><p>The story at %s.</p></article></body></html>", r.URL.Path, r.URL.Path)
}

// robotsThen serves robots.txt with robots and everything else with next.
func robotsThen(robots, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robots(w, r)
			return
		}
		next(w, r)
	}
}

func robotsBody(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, body)
	}
}

func faultStatus(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }
}

// faultReset answers with a TCP reset: the connection is closed with SO_LINGER 0
// after the request was read.
func faultReset(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

// faultPaths returns n paths: prefix0, prefix1, ...
func faultPaths(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i)
	}
	return out
}

// faultGaps returns the durations between successive times.
func faultGaps(ts []time.Time) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(ts); i++ {
		out = append(out, ts[i].Sub(ts[i-1]))
	}
	return out
}

// procPeakRSS returns this process's peak resident set size in bytes, from
// /proc/self/status.
func procPeakRSS() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}

// bodyCounter counts the body bytes the crawler reads from responses
// to path.
type bodyCounter struct {
	base http.RoundTripper
	path string
	n    atomic.Int64
}

func (c *bodyCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(req)
	if err == nil && req.URL.Path == c.path {
		resp.Body = &countedBody{ReadCloser: resp.Body, n: &c.n}
	}
	return resp, err
}

type countedBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}
