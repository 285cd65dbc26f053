package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestT36SecretsNotLeaked runs a config with an Authorization header, a
// cookie and a proxy password against a site that times out, fails with
// 500s and redirects to a second host, all through a loopback proxy.
func TestT36SecretsNotLeaked(t *testing.T) {
	const (
		token     = "Bearer tok-3f9c1e7a5b"
		cookieVal = "ck-8d2b4f6a0c"
		proxyPass = "px-5e7a9c1b3d"
	)
	secrets := []string{"tok-3f9c1e7a5b", cookieVal, proxyPass}
	article := func(n int) string {
		text := strings.Repeat(fmt.Sprintf("Story %d: the council met on Tuesday and approved the budget after a long debate. ", n), 5)
		return fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Story %d</title><meta property="og:type" content="article"></head><body><article><h1>Story %d</h1><p>%s</p><p>%s</p></article></body></html>`, n, n, text, text)
	}
	var mu sync.Mutex
	var aAuth, bAuth []string // Authorization and Cookie headers each host received
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		aAuth = append(aAuth, r.Header.Get("Authorization")+"|"+r.Header.Get("Cookie"))
		mu.Unlock()
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><a href="/news/1">1</a><a href="/news/slow">slow</a><a href="/news/broken">broken</a><a href="/news/away">away</a></body></html>`)
		case "/news/1":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, article(1))
		case "/news/slow":
			select {
			case <-hang:
			case <-r.Context().Done():
			}
		case "/news/broken":
			http.Error(w, "upstream broken", http.StatusInternalServerError)
		case "/news/away":
			http.Redirect(w, r, "http://www.a.example/news/2", http.StatusFound)
		}
	}))
	t.Cleanup(a.Close)
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		bAuth = append(bAuth, r.Header.Get("Authorization")+"|"+r.Header.Get("Cookie"))
		mu.Unlock()
		if r.URL.Path == "/news/2" {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, article(2))
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(b.Close)
	upstream := map[string]string{"a.example": a.Listener.Addr().String(), "www.a.example": b.Listener.Addr().String()}

	// A forward proxy that demands the password and forwards to the hosts.
	wantProxyAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte("newsvault:"+proxyPass))
	var direct net.Dialer
	forward := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return direct.DialContext(ctx, network, upstream[host])
	}}
	t.Cleanup(forward.CloseIdleConnections)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Proxy-Authorization") != wantProxyAuth {
			w.WriteHeader(http.StatusProxyAuthRequired)
			return
		}
		out := r.Clone(r.Context())
		out.RequestURI = ""
		out.Header.Del("Proxy-Authorization")
		resp, err := forward.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	t.Cleanup(proxy.Close)

	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")
	cfg := fmt.Sprintf(`db: %s
defaults: {delay: 0s, parallel: 2, depth: 1, timeout: 1s, revisit: 0s}
sites:
  - name: a
    start: [http://a.example/]
    headers: {Authorization: %q}
    cookies: {session: %q}
    proxy: http://newsvault:%s@proxy.example:3128
`, db, token, cookieVal, proxyPass)
	cfgPath := filepath.Join(dir, "newsvault.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	// Every connection goes to the proxy: a dial anywhere else fails the test.
	e := &env{transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if addr != "proxy.example:3128" {
				t.Errorf("dial %s bypasses the proxy", addr)
				return nil, fmt.Errorf("test: dial %s refused", addr)
			}
			return direct.DialContext(ctx, network, proxy.Listener.Addr().String())
		},
		ResponseHeaderTimeout: 10 * time.Second,
	}}
	t.Cleanup(e.transport.(*http.Transport).CloseIdleConnections)

	code, stdout, stderr := newsvault(t, e, "run", "--config", cfgPath, "--json", "--log-level", "debug")
	if code != exitOK && code != exitPartial {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	code, export, exportErr := newsvault(t, &env{}, "export", "--db", db)
	if code != exitOK {
		t.Fatalf("export: exit %d: %s", code, exportErr)
	}
	dbBytes := readAll(t, db)
	for _, f := range []string{db + "-wal"} {
		if b, err := os.ReadFile(f); err == nil {
			dbBytes += string(b)
		}
	}
	for _, sec := range secrets {
		for name, text := range map[string]string{"stderr": stderr, "stdout": stdout, "export": export, "export stderr": exportErr, "sqlite": dbBytes} {
			if n := strings.Count(text, sec); n > 0 {
				t.Errorf("%s holds %q %d times", name, sec, n)
			}
		}
	}
	// The fetch log, bodies decompressed (the file scan above cannot see
	// into them).
	var logged strings.Builder
	for _, byPath := range readFetchLog(t, db, lastLineJSON(t, stdout).ID) {
		for _, e := range byPath {
			fmt.Fprintf(&logged, "%s %s %s\n", e.URL, e.Error, e.Body)
		}
	}
	for _, sec := range secrets {
		if strings.Contains(logged.String(), sec) {
			t.Errorf("fetch log holds %q:\n%s", sec, logged.String())
		}
	}
	t.Logf("T36 fetch log: %d bytes, no secret", logged.Len())
	if !strings.Contains(export, "Story 1") || !strings.Contains(export, "Story 2") {
		t.Errorf("articles missing from the export:\n%.500s\n%s", export, stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, h := range bAuth {
		if h != "|" {
			t.Errorf("second host received Authorization|Cookie %q", h)
		}
	}
	got := 0
	for _, h := range aAuth {
		if h == token+"|session="+cookieVal {
			got++
		}
	}
	if got == 0 || len(bAuth) == 0 {
		t.Errorf("host a got the secrets on %d of %d requests; host b saw %d requests", got, len(aAuth), len(bAuth))
	}
	t.Logf("T36: a: %d/%d requests with the secrets; b: %d requests, 0 with Authorization or Cookie; 0 of 3 secrets in %d bytes of logs, stdout, export and SQLite",
		got, len(aAuth), len(bAuth), len(stderr)+len(stdout)+len(export)+len(dbBytes))
}

func readAll(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
