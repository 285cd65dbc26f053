package scraper

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestT28SSRFAddressClasses(t *testing.T) {
	denied := []string{
		// smokescreen's set
		"127.0.0.1", "127.255.255.255", "::1", "10.0.0.1", "172.16.0.1", "192.168.0.1", "100.64.0.1",
		"169.254.169.254", "255.255.255.255", "64:ff9b::a00:1", "2002:a00:1::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
		// more
		"0.0.0.0", "::", "10.255.255.255", "172.31.255.255", "192.168.255.255", "100.127.255.255", "169.254.0.1",
		"fe80::1", "fc00::1", "fd00::1", "ff02::1", "224.0.0.1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
		// IANA special-purpose that IsGlobalUnicast lets through
		"0.1.2.3", "192.0.2.1", "198.18.0.1", "240.0.0.1",
	}
	if len(denied) != 31 {
		t.Fatalf("%d literals", len(denied))
	}
	for _, s := range denied {
		if !specialAddr(netip.MustParseAddr(s)) {
			t.Errorf("%s allowed, want denied", s)
		}
	}
	for _, s := range []string{"8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "64:ff9b::808:808", "2002:808:808::1"} {
		if specialAddr(netip.MustParseAddr(s)) {
			t.Errorf("%s denied, want allowed", s)
		}
	}
	for in, want := range map[string]string{"2130706433": "127.0.0.1", "0x7f.1": "127.0.0.1", "017700000001": "127.0.0.1", "127.1": "127.0.0.1", "10.1.2": "10.1.0.2"} {
		if a, ok := literalIP(in); !ok || a.String() != want {
			t.Errorf("literalIP(%q) = %v %v, want %s", in, a, ok, want)
		}
	}
	p := newAddrPolicy()
	for _, e := range []string{"intranet.example", "wiki.example:8080", "10.9.9.9", "127.0.0.1:8443"} {
		if err := p.allow(e); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		host, addr string
		want       bool
	}{
		{"intranet.example", "10.0.0.7:80", true},
		{"wiki.example", "10.0.0.8:8080", true},
		{"wiki.example", "10.0.0.8:22", false},
		{"evil.example", "10.9.9.9:80", true},
		{"127.0.0.1", "127.0.0.1:8443", true},
		{"127.0.0.1", "127.0.0.1:8444", false},
		{"localhost", "127.0.0.1:8444", false},
		{"news.example", "8.8.8.8:443", true},
	} {
		if got := p.permits(tc.host, netip.MustParseAddrPort(tc.addr)); got != tc.want {
			t.Errorf("permits(%s, %s) = %v", tc.host, tc.addr, got)
		}
	}
}

// decoy is a listener that must never see a connection.
func decoy(t *testing.T) (port string, accepted *atomic.Int64) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	accepted = &atomic.Int64{}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	return port, accepted
}

func TestT29SSRFRedirectAndURLForms(t *testing.T) {
	port, accepted := decoy(t)
	targets := []string{
		"http://127.0.0.1:" + port + "/", "http://[::1]:" + port + "/", "http://0.0.0.0:" + port + "/",
		"http://2130706433:" + port + "/", "http://0x7f.1:" + port + "/", "http://localhost:" + port + "/",
		"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
	}
	routes := map[string]http.HandlerFunc{}
	var start []string
	for i, target := range targets {
		p := fmt.Sprintf("/go/%d", i)
		routes[p] = func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, target, http.StatusFound) }
		start = append(start, p)
	}
	// robots.txt follows redirects to any host, like the client below:
	// the guard is all that stands between it and the decoy.
	routes["/robots-elsewhere.txt"] = func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost:"+port+"/robots.txt", http.StatusFound)
	}
	routes["/robots.txt"] = http.NotFound
	site := newTestSite(t, routes)
	cfg, sn := site.guardedConfig(t, start...)
	cfg.Resolver = mapResolver{ // a libc-like resolver that accepts every form
		"localhost": {"127.0.0.1", "::1"}, "2130706433": {"127.0.0.1"}, "0x7f.1": {"127.0.0.1"},
	}
	var out outcomes
	cfg.OnOutcome = out.add
	Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
	for _, p := range start {
		if got := out.of(p); len(got) != 1 || got[0] == ReasonOK {
			t.Errorf("%s: %v", p, got)
		}
	}

	// The same targets straight through the crawl's own transport, with
	// redirects followed blindly: the guard alone must refuse them all.
	policy := newAddrPolicy()
	policy.allowURLHost("127.0.0.1", portOf(mustURL(t, site.url("/"))))
	rt, own, err := crawlTransport(Config{Resolver: cfg.Resolver, Dialer: cfg.Dialer, Parallel: 1}, policy)
	if err != nil {
		t.Fatal(err)
	}
	defer own.CloseIdleConnections()
	client := &http.Client{Transport: rt}
	refused := 0
	for _, p := range append(start, site.url("/robots-elsewhere.txt")) {
		resp, err := client.Get(p)
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s: followed to %s", p, resp.Request.URL)
			continue
		}
		if r := reasonOf(err); r == ReasonAddressBlocked || strings.Contains(err.Error(), "no such host") {
			refused++
		} else {
			t.Errorf("%s: %v", p, err)
		}
	}
	if n := accepted.Load(); n != 0 {
		t.Errorf("decoy accepted %d connections", n)
	}
	for _, a := range sn.attempts() {
		if a != site.srv.Listener.Addr().String() {
			t.Errorf("connect attempt to %s", a)
		}
	}
	if refused != len(targets)+1 {
		t.Errorf("%d of %d refused", refused, len(targets)+1)
	}
	t.Logf("T29: %d/%d refused by the guard, decoy accepted %d, connect attempts %d (all to the test port)", refused, len(targets)+1, accepted.Load(), len(sn.attempts()))
}

// rebinder answers the allowed address first and then a decoy.
type rebinder struct {
	mu      sync.Mutex
	answers [][]string
	n       int
}

func (r *rebinder) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a := r.answers[min(r.n, len(r.answers)-1)]
	r.n++
	var out []netip.Addr
	for _, s := range a {
		out = append(out, netip.MustParseAddr(s))
	}
	return out, nil
}

func TestT30DNSRebinding(t *testing.T) {
	site := newTestSite(t, map[string]http.HandlerFunc{})
	site.fallback = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close") // every request dials again
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<article><h1>Page</h1><p>Text.</p><a href="/2">next</a><a href="/3">more</a></article>`)
	}
	_, testPort, _ := net.SplitHostPort(site.srv.Listener.Addr().String())
	for _, tc := range []struct {
		name    string
		answers [][]string
	}{
		{"rebind-to-10.0.0.5", [][]string{{"127.0.0.1"}, {"10.0.0.5"}}},
		{"rebind-to-loopback-decoy", [][]string{{"127.0.0.1"}, {"127.0.0.2"}}},
		{"multi-a", [][]string{{"127.0.0.1", "10.0.0.5"}, {"10.0.0.5", "127.0.0.1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, sn := site.guardedConfig(t)
			cfg.StartURLs = []string{"http://rebind.test:" + testPort + "/"}
			cfg.IgnoreRobots = true
			cfg.AllowPrivate = []string{site.srv.Listener.Addr().String()} // the test server's exact IP:port
			cfg.Resolver = &rebinder{answers: tc.answers}
			var out outcomes
			cfg.OnOutcome = out.add
			st, _ := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
			blocked := st.Reasons[ReasonAddressBlocked]
			for _, a := range sn.attempts() {
				if a != site.srv.Listener.Addr().String() {
					t.Errorf("connect attempt to %s", a)
				}
			}
			if tc.name != "multi-a" && blocked == 0 {
				t.Errorf("no dial refused after the rebinding: %s %v", st, out.list())
			}
			t.Logf("T30 %s: %s; %d address_blocked; connect attempts %v", tc.name, st, blocked, sn.attempts())
		})
	}
}

func TestT31SchemeAllowlist(t *testing.T) {
	bad := []string{"file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/html,<p>hello</p>", "gopher://127.0.0.1:70/",
		"javascript:alert(1)", "mailto:editor@example.com", "ws://127.0.0.1/socket"}
	var links strings.Builder
	for _, b := range bad {
		fmt.Fprintf(&links, `<a href="%s">x</a>`, b)
	}
	routes := map[string]http.HandlerFunc{
		"/links.html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<article><h1>Links</h1><p>Text.</p>"+links.String()+"</article>")
		},
	}
	var redirects []string
	for i, b := range bad {
		p := fmt.Sprintf("/redirect/%d", i)
		routes[p] = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", b)
			w.WriteHeader(http.StatusFound)
		}
		redirects = append(redirects, p)
	}
	site := newTestSite(t, routes)
	cfg, _ := site.guardedConfig(t, append([]string{"/links.html"}, redirects...)...)
	cfg.StartURLs = append(cfg.StartURLs, bad...)
	var out outcomes
	cfg.OnOutcome = out.add
	rec := &recorder{}
	st, err := Crawl(t.Context(), cfg, testExtractor{}, rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		// once as a seed, once as a link
		if got := out.of(b); len(got) != 2 || slices.ContainsFunc(got, func(r Reason) bool { return r != ReasonSchemeBlocked }) {
			t.Errorf("%s: %v, want scheme_blocked as seed and link", b, got)
		}
	}
	for _, p := range redirects {
		if got := out.of(p); !slices.Equal(got, []Reason{ReasonSchemeBlocked}) {
			t.Errorf("redirect %s: %v, want scheme_blocked", p, got)
		}
	}
	for _, p := range rec.pages() {
		if strings.Contains(string(p.c.Body), "root:x:") {
			t.Errorf("%s stored a passwd file", p.c.URL)
		}
	}
	if st.Fetched != 1 {
		t.Errorf("fetched %d, want only /links.html", st.Fetched)
	}
	t.Logf("T31: %d scheme_blocked, %s", st.Reasons[ReasonSchemeBlocked], st)
}

func mustURL(t testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
