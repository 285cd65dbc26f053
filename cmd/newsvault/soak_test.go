//go:build soak

package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// soakAgency is an agency whose every twentieth article (5%) is one of
// the hostile cases of T10-T18, generated on the fly.
func soakAgency(t *testing.T, host string, n int) *agency {
	a := newAgency(t, host, n)
	good := a.srv.Config.Handler
	a.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var id int
		if _, err := fmt.Sscanf(r.URL.Path, "/news/%d", &id); err != nil || id%20 != 0 {
			good.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		switch (id / 20) % 6 {
		case 0: // slowloris: a byte a second
			for i := 0; i < 30; i++ {
				if _, err := w.Write([]byte("<")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-time.After(time.Second):
				case <-r.Context().Done():
					return
				}
			}
		case 1: // truncated: Content-Length promises more than is sent
			hj, _ := w.(http.Hijacker)
			conn, buf, err := hj.Hijack()
			if err != nil {
				return
			}
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html><p>%s", strings.Repeat("x", 400))
			buf.Flush()
			conn.Close()
		case 2: // oversize: 32 MiB against a 1 MiB limit
			io.CopyN(w, strings.NewReader(strings.Repeat("<p>big</p>", 1<<20)), 32<<20)
		case 3: // gzip bomb: 1 GiB of zeros
			w.Header().Set("Content-Encoding", "gzip")
			gz, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
			io.CopyN(gz, zeros{}, 1<<30)
			gz.Close()
		case 4: // a charset that lies, and bytes that are no charset
			w.Header().Set("Content-Type", "text/html; charset=utf-16")
			fmt.Fprintf(w, "<meta charset=koi8-r><p>\xff\xfe\x00\xed\xa0\x80 %s</p>", strings.Repeat("\xc3", 500))
		case 5: // malformed HTML: deep nesting and misnesting
			fmt.Fprintf(w, "%s<table><a><p>%s", strings.Repeat("<div>", 20000), strings.Repeat("<b><i></b></i>", 5000))
		}
	})
	return a
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func openFDs() int {
	fds, _ := os.ReadDir("/proc/self/fd")
	return len(fds)
}

// T37: 2,000 pages on 5 hosts, 5% hostile, concurrency 8, delay 50 ms.
func TestHostileMixSoak(t *testing.T) {
	var sites []*agency
	for i := range 5 {
		sites = append(sites, soakAgency(t, fmt.Sprintf("h%d.example", i), 400))
	}
	cfg, db := writeRunConfig(t, t.TempDir(), "delay: 50ms, parallel: 8, depth: 1, timeout: 5s, max_body: 1MiB, revisit: 1h", sites...)
	e := &env{transport: loopbackTransport(addrsOf(sites...))}
	runtime.GC()
	goroutines, fds, rss := runtime.NumGoroutine(), openFDs(), vmHWM(os.Getpid())
	start := time.Now()
	code, _, errOut := newsvault(t, e, "run", "--config", cfg)
	took := time.Since(start)
	if code != exitOK {
		t.Errorf("exit %d\n%s", code, tail(errOut, 3000))
	}
	if strings.Contains(errOut, "panic") {
		t.Error("a panic was logged")
	}
	// Idle keep-alive connections of the transport are the run's, not leaks.
	e.transport.(*http.Transport).CloseIdleConnections()
	for _, s := range sites {
		s.srv.CloseClientConnections()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines+10 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	g, f, peak := runtime.NumGoroutine(), openFDs(), vmHWM(os.Getpid())-rss
	if took >= 5*time.Minute || peak >= 256<<20 || g > goroutines+10 || f > fds+5 {
		t.Errorf("took %s, RSS growth %d MiB, goroutines %d -> %d, fds %d -> %d", took, peak>>20, goroutines, g, fds, f)
	}
	// The lying-charset pages (3 a host) are articles, archived as clean
	// UTF-8; the other hostile pages are not archived.
	checkArchive(t, db, 5*(400-20+3))
	t.Logf("took %s, RSS growth %.1f MiB, goroutines %d -> %d, fds %d -> %d", took.Round(time.Millisecond), float64(peak)/(1<<20), goroutines, g, fds, f)
}
