package scraper

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Helpers of the RELIABILITY.md cases (T09-T19, T28-T31, T36).

// outcomes collects Config.OnOutcome reports.
type outcomes struct {
	mu  sync.Mutex
	all []URLOutcome
}

func (o *outcomes) add(u URLOutcome) {
	o.mu.Lock()
	o.all = append(o.all, u)
	o.mu.Unlock()
}

// of returns the reasons reported for URLs ending in suffix.
func (o *outcomes) of(suffix string) []Reason {
	o.mu.Lock()
	defer o.mu.Unlock()
	var rs []Reason
	for _, u := range o.all {
		if strings.HasSuffix(u.URL, suffix) {
			rs = append(rs, u.Reason)
		}
	}
	return rs
}

func (o *outcomes) list() []URLOutcome {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]URLOutcome(nil), o.all...)
}

// bodyBytes records how many body bytes the crawler read per URL: from the
// network (countingTransport) or after decompression (Config.bodyRead).
type bodyBytes struct {
	mu sync.Mutex
	n  map[string]int64
}

func (b *bodyBytes) add(u string, n int64) {
	b.mu.Lock()
	if b.n == nil {
		b.n = map[string]int64{}
	}
	b.n[u] += n
	b.mu.Unlock()
}

func (b *bodyBytes) get(suffix string) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	var n int64
	for u, v := range b.n {
		if strings.HasSuffix(u, suffix) {
			n += v
		}
	}
	return n
}

// countingTransport counts the bytes read of each response body, as they
// come off the connection (before any decompression by the crawler).
type countingTransport struct {
	base http.RoundTripper
	read *bodyBytes
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &countingBody{ReadCloser: resp.Body, u: req.URL.String(), read: t.read}
	return resp, nil
}

type countingBody struct {
	io.ReadCloser
	u    string
	read *bodyBytes
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.read.add(b.u, int64(n))
	return n, err
}

// rssGrowth resets the process's peak resident set (VmHWM, through
// /proc/self/clear_refs) and returns a func that reports how far the peak
// rose above the resident set at the reset, in bytes; -1 where Linux's
// /proc does not allow it.
func rssGrowth(t testing.TB) func() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	base := procStatusKB(t, "VmRSS")
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil || base < 0 {
		t.Logf("peak RSS not measurable: %v", err)
		return func() int64 { return -1 }
	}
	return func() int64 { return (procStatusKB(t, "VmHWM") - base) << 10 }
}

func procStatusKB(t testing.TB, field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return -1
}

// memLimit is the RSS growth budget of a case: the race detector's shadow
// memory multiplies what the heap touches, so under -race it is scaled.
func memLimit(mib int64) int64 {
	if raceEnabled {
		return 4 * mib << 20
	}
	return mib << 20
}

// raceScaled is a time budget of a case, scaled under -race, whose
// instrumentation slows the parser and extractor about five times.
func raceScaled(d time.Duration) time.Duration {
	if raceEnabled {
		return 4 * d
	}
	return d
}

func openFDs() int {
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(es)
}

// safetyNet is the Dialer of the SSRF cases: it records every connect
// attempt that passes the crawler's guard and fails the test for any
// address but the allowed ports of 127.0.0.1.
type safetyNet struct {
	t     testing.TB
	ports map[string]bool
	mu    sync.Mutex
	seen  []string
}

func newSafetyNet(t testing.TB, allowedAddrs ...string) *safetyNet {
	n := &safetyNet{t: t, ports: map[string]bool{}}
	for _, a := range allowedAddrs {
		n.ports[a] = true
	}
	return n
}

func (n *safetyNet) dialer() *net.Dialer {
	return &net.Dialer{Control: func(network, address string, _ syscall.RawConn) error {
		n.mu.Lock()
		n.seen = append(n.seen, address)
		n.mu.Unlock()
		if !n.ports[address] {
			n.t.Errorf("connect attempt to %s passed the guard", address)
			return fmt.Errorf("safety net: %s refused", address)
		}
		return nil
	}}
}

func (n *safetyNet) attempts() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.seen...)
}

// guardedConfig is site.config on the crawler's own transport (the
// production path: SSRF guard, HeaderTimeout, closed at the end), with a
// safety net that allows only the test server.
func (s *testSite) guardedConfig(t testing.TB, start ...string) (Config, *safetyNet) {
	cfg := s.config(t, start...)
	sn := newSafetyNet(t, s.srv.Listener.Addr().String())
	cfg.Transport = nil
	cfg.Dialer = sn.dialer()
	cfg.Resolver = mapResolver{}
	return cfg, sn
}

// mapResolver answers from a fixed table; any other name does not exist.
type mapResolver map[string][]string

func (m mapResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, s := range m[host] {
		out = append(out, netip.MustParseAddr(s))
	}
	if len(out) == 0 {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return out, nil
}

var (
	bombOnce                      sync.Once
	gzipBomb1G, gzipInGzip, zbomb []byte
)

// bombs builds the decompression bombs once per test binary: 1 GiB of
// zeros as 64 concatenated gzip members of 16 MiB (gzip readers read all
// members; about 1 MB on the wire), that bomb gzipped again, and 16 MiB
// of zeros in a zlib (HTTP "deflate") stream.
func bombs(t testing.TB) (gz, gzgz, deflate []byte) {
	bombOnce.Do(func() {
		var member bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
		io.CopyN(zw, zeros{}, 16<<20)
		zw.Close()
		gzipBomb1G = bytes.Repeat(member.Bytes(), 64)
		var b bytes.Buffer
		zw, _ = gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(gzipBomb1G)
		zw.Close()
		gzipInGzip = b.Bytes()
		var z bytes.Buffer
		zl, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
		io.CopyN(zl, zeros{}, 16<<20)
		zl.Close()
		zbomb = z.Bytes()
	})
	return gzipBomb1G, gzipInGzip, zbomb
}

// streamHTML writes n bytes of an endless HTML page, generated as it goes.
func streamHTML(w io.Writer, n int64) {
	chunk := bytes.Repeat([]byte("<p>All work and no play makes a dull page.</p>\n"), 700)
	io.WriteString(w, "<html><body><article><h1>Huge</h1>")
	for n > 0 {
		c := chunk[:min(int64(len(chunk)), n)]
		m, err := w.Write(c)
		n -= int64(m)
		if err != nil {
			return
		}
	}
}
