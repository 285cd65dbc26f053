package scraper

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// errAddressBlocked refuses a connection to a special-purpose address.
var errAddressBlocked = errors.New("address not allowed: loopback, private or special-purpose (allow the host with AllowPrivate: --allow-private or allow_private)")

// Resolver looks up host names; *net.Resolver satisfies it. Tests inject
// one to play DNS rebinding.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// specialPrefixes are the IANA IPv4 and IPv6 special-purpose address
// registries (plus multicast and the reserved 240/4), as code.dny.dev/ssrf
// denies them: stricter than net.IP.IsGlobalUnicast, which lets 0.1.2.3,
// 192.0.2.1, 198.18.0.1 and 240.0.0.1 through.
var specialPrefixes = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
		"172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24",
		"192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24",
		"203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
		"::/128", "::1/128", "::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
		"2620:4f:8000::/48", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// specialAddr reports whether a is a special-purpose address: not one a
// crawler should reach on the public internet. IPv4-mapped, NAT64
// (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged by the IPv4
// address they carry; Teredo (2001::/32) is in 2001::/23, denied whole.
func specialAddr(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() {
		return true
	}
	if a.Is6() {
		b := a.As16()
		switch {
		case nat64.Contains(a):
			return specialAddr(netip.AddrFrom4([4]byte(b[12:16])))
		case sixToFour.Contains(a):
			return specialAddr(netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	for _, p := range specialPrefixes {
		if p.Contains(a) {
			return true
		}
	}
	return !a.IsGlobalUnicast()
}

// addrPolicy decides which special-purpose destinations the crawl may
// still reach: those the user named.
type addrPolicy struct {
	names     map[string]bool         // host names, any port and any address
	hostPorts map[string]bool         // host:port
	ips       map[netip.Addr]bool     // any port
	exact     map[netip.AddrPort]bool // the IP:port of start URLs given by address
}

func newAddrPolicy() *addrPolicy {
	return &addrPolicy{names: map[string]bool{}, hostPorts: map[string]bool{}, ips: map[netip.Addr]bool{}, exact: map[netip.AddrPort]bool{}}
}

// allow adds an AllowPrivate entry: a host name, host:port, IP or IP:port.
func (p *addrPolicy) allow(entry string) error {
	e := strings.ToLower(strings.TrimSpace(entry))
	if ap, err := netip.ParseAddrPort(e); err == nil {
		p.exact[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())] = true
		return nil
	}
	if a, err := netip.ParseAddr(strings.Trim(e, "[]")); err == nil {
		p.ips[a.Unmap()] = true
		return nil
	}
	if h, port, err := net.SplitHostPort(e); err == nil {
		if _, err := strconv.ParseUint(port, 10, 16); err != nil || h == "" {
			return fmt.Errorf("allow %q: bad port", entry)
		}
		p.hostPorts[net.JoinHostPort(h, port)] = true
		return nil
	}
	if e == "" || strings.ContainsAny(e, "/:@ ") {
		return fmt.Errorf("allow %q: not a host, host:port, IP or IP:port", entry)
	}
	p.names[e] = true
	return nil
}

// allowURLHost adds the exact IP:port of a start URL given by address.
func (p *addrPolicy) allowURLHost(host, port string) {
	if a, ok := literalIP(host); ok {
		if n, err := strconv.ParseUint(port, 10, 16); err == nil {
			p.exact[netip.AddrPortFrom(a, uint16(n))] = true
		}
	}
}

// permits reports whether host (as in the URL) may connect to ap.
func (p *addrPolicy) permits(host string, ap netip.AddrPort) bool {
	a := ap.Addr().Unmap()
	if !specialAddr(a) {
		return true
	}
	host = strings.ToLower(host)
	return p.exact[netip.AddrPortFrom(a, ap.Port())] || p.ips[a] ||
		p.names[host] || p.hostPorts[net.JoinHostPort(host, strconv.Itoa(int(ap.Port())))]
}

// literalIP parses a URL host that is an address, in the standard forms and
// in the legacy inet_aton ones a libc resolver would accept ("2130706433",
// "0x7f.1", "017700000001"), so those are judged as the address they are
// instead of being looked up as names.
func literalIP(host string) (netip.Addr, bool) {
	h := strings.Trim(host, "[]")
	if i := strings.IndexByte(h, '%'); i >= 0 {
		h = h[:i] // a zone: fe80::1%eth0
	}
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Unmap(), true
	}
	return legacyIPv4(h)
}

// legacyIPv4 parses inet_aton's forms: 1 to 4 parts, each decimal, octal
// (leading 0) or hex (0x), the last filling the remaining bytes.
func legacyIPv4(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 || s == "" {
		return netip.Addr{}, false
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseUint(p, 0, 32)
		if err != nil || p == "" {
			return netip.Addr{}, false
		}
		vals[i] = v
	}
	var n uint64
	for i, v := range vals[:len(vals)-1] {
		if v > 255 {
			return netip.Addr{}, false
		}
		n |= v << (8 * (3 - i))
	}
	last := vals[len(vals)-1]
	if bits := 8 * (4 - (len(vals) - 1)); last >= 1<<bits {
		return netip.Addr{}, false
	}
	n |= last
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

// guard dials for the crawl's own transport: it resolves the host itself,
// skips addresses the policy refuses, and checks the address again in
// net.Dialer.Control, just before connect(2), so no answer of a second
// lookup (DNS rebinding) and no address of a multi-address answer reaches
// a refused destination.
type guard struct {
	policy   *addrPolicy
	resolver Resolver
	dialer   *net.Dialer
}

func (g *guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	pn, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("dial %s: bad port", addr)
	}
	var ips []netip.Addr
	if a, ok := literalIP(host); ok {
		ips = []netip.Addr{a}
	} else {
		ips, err = g.resolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, fmt.Errorf("dial %s: %w", addr, err)
		}
	}
	var errs []error
	for _, ip := range ips {
		ap := netip.AddrPortFrom(ip.Unmap(), uint16(pn))
		if !g.policy.permits(host, ap) {
			errs = append(errs, fmt.Errorf("dial %s: %s: %w", addr, ap, errAddressBlocked))
			continue
		}
		d := *g.dialer
		next := d.Control
		d.Control = func(network, address string, rc syscall.RawConn) error {
			got, err := netip.ParseAddrPort(address)
			if err != nil || !g.policy.permits(host, got) {
				return fmt.Errorf("connect %s: %w", address, errAddressBlocked)
			}
			if next != nil {
				return next(network, address, rc)
			}
			return nil
		}
		d.ControlContext = nil
		conn, err := d.DialContext(ctx, network, ap.String())
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	if len(errs) == 0 {
		return nil, fmt.Errorf("dial %s: no address", addr)
	}
	return nil, errors.Join(errs...)
}

func defaultDialer() *net.Dialer {
	return &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
}

// portOf is u's port, or its scheme's default.
func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// crawlTransport returns the RoundTripper under the crawl: cfg.Transport
// (a clone with cfg.Proxy when one is set), or the crawl's own guarded
// http.Transport, also returned as own so the crawl can close it.
func crawlTransport(cfg Config, policy *addrPolicy) (rt http.RoundTripper, own *http.Transport, err error) {
	var proxy func(*http.Request) (*url.URL, error)
	if p := cfg.Proxy; p != nil {
		switch p.Scheme {
		case "http", "https", "socks5", "socks5h":
		default:
			return nil, nil, fmt.Errorf("crawl config: proxy scheme %q: want http, https or socks5", p.Scheme)
		}
		if p.Hostname() == "" {
			return nil, nil, errors.New("crawl config: proxy has no host")
		}
		policy.hostPorts[net.JoinHostPort(strings.ToLower(p.Hostname()), portOf(p))] = true
		proxy = http.ProxyURL(p)
	}
	if cfg.Transport != nil {
		if proxy == nil {
			return cfg.Transport, nil, nil
		}
		t, ok := cfg.Transport.(*http.Transport)
		if !ok {
			return nil, nil, fmt.Errorf("crawl config: a proxy needs an *http.Transport, not %T", cfg.Transport)
		}
		t = t.Clone()
		t.Proxy = proxy
		return t, t, nil
	}
	g := &guard{policy: policy, resolver: cfg.Resolver, dialer: cfg.Dialer}
	own = &http.Transport{
		Proxy:                 proxy,
		DialContext:           g.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   max(cfg.Parallel, 2),
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: cfg.HeaderTimeout,
		ExpectContinueTimeout: time.Second,
	}
	return own, own, nil
}
