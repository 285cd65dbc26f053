package scraper

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// secrets are Config's credentials: the values of Headers and Cookies and
// the proxy's user info. They go on the wire to the hosts the user named
// and nowhere else: never into a log line, an error text or a capture.
type secrets struct {
	headers http.Header
	cookies []*http.Cookie
	hosts   map[string]bool // URL hosts (lower case, no default port) that get them
	values  []string        // what to redact, longest first
}

// sensitiveHeaders are dropped from a redirect that leaves the host,
// whoever set them. (net/http keeps Authorization and Cookie on a redirect
// to the same host name on another port.)
var sensitiveHeaders = []string{"Authorization", "Cookie", "Cookie2", "Proxy-Authorization"}

func newSecrets(cfg Config, hosts map[string]bool) *secrets {
	s := &secrets{headers: cfg.Headers.Clone(), cookies: cfg.Cookies, hosts: hosts}
	add := func(v string) {
		if v = strings.TrimSpace(v); len(v) >= 4 { // shorter values would redact ordinary words
			s.values = append(s.values, v)
			if q := url.QueryEscape(v); q != v {
				s.values = append(s.values, q)
			}
			if p := url.PathEscape(v); p != v {
				s.values = append(s.values, p)
			}
		}
	}
	for _, vs := range cfg.Headers {
		for _, v := range vs {
			add(v)
			// "Bearer abc": the token alone may show up too.
			if _, tok, ok := strings.Cut(v, " "); ok {
				add(tok)
			}
		}
	}
	for _, c := range cfg.Cookies {
		add(c.Value)
	}
	if p := cfg.Proxy; p != nil && p.User != nil {
		add(p.User.String())
		if pw, ok := p.User.Password(); ok {
			add(pw)
		}
	}
	slices.SortFunc(s.values, func(a, b string) int { return len(b) - len(a) })
	return s
}

// redact replaces every secret value in text with "[REDACTED]".
func (s *secrets) redact(text string) string {
	if s == nil {
		return text
	}
	for _, v := range s.values {
		if strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, "[REDACTED]")
		}
	}
	return text
}

// inBody reports whether body holds one of s's values as is.
func (s *secrets) inBody(body []byte) bool {
	if s == nil {
		return false
	}
	for _, v := range s.values {
		if bytes.Contains(body, []byte(v)) {
			return true
		}
	}
	return false
}

// redactedError keeps err's chain for errors.Is but redacts its text.
type redactedError struct {
	err error
	msg string
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func (s *secrets) wrapErr(err error) error {
	if err == nil || s == nil || len(s.values) == 0 {
		return err
	}
	if _, ok := err.(*redactedError); ok {
		return err
	}
	msg := err.Error()
	if r := s.redact(msg); r != msg {
		return &redactedError{err: err, msg: r}
	}
	return err
}

// secretTransport adds Headers and Cookies to requests for the hosts the
// user named, on a copy of the request: the http.Client never sees them,
// so it cannot carry them along a redirect to another host.
type secretTransport struct {
	base http.RoundTripper
	s    *secrets
}

func (t *secretTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.s.hosts[hostKey(req.URL)] || (len(t.s.headers) == 0 && len(t.s.cookies) == 0) {
		return t.base.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	for k, vs := range t.s.headers {
		r.Header.Del(k)
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	for _, c := range t.s.cookies {
		r.AddCookie(c)
	}
	return t.base.RoundTrip(r)
}

// hostKey is u's host as the secrets' host set keys it: lower case,
// without the scheme's default port.
func hostKey(u *url.URL) string {
	h := strings.ToLower(u.Host)
	if p := u.Port(); (u.Scheme == "http" && p == "80") || (u.Scheme == "https" && p == "443") {
		h = strings.TrimSuffix(h, ":"+p)
	}
	return h
}

// stripOnHostChange drops the sensitive headers from a redirect to
// another host (or port) than the request it follows.
func stripOnHostChange(req *http.Request, via []*http.Request) {
	if len(via) == 0 || hostKey(req.URL) == hostKey(via[0].URL) {
		return
	}
	for _, h := range sensitiveHeaders {
		req.Header.Del(h)
	}
}

// slogWith returns l redacting s's values.
func slogWith(l *slog.Logger, s *secrets) *slog.Logger {
	return slog.New(&redactHandler{h: l.Handler(), s: s})
}

// redactHandler redacts secrets from every record a slog.Handler gets:
// the message, string and error values, in groups too.
type redactHandler struct {
	h slog.Handler
	s *secrets
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.h.Enabled(ctx, l) }

func (h *redactHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.s.redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.h.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	rs := make([]slog.Attr, len(as))
	for i, a := range as {
		rs[i] = h.attr(a)
	}
	return &redactHandler{h: h.h.WithAttrs(rs), s: h.s}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{h: h.h.WithGroup(name), s: h.s}
}

func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.s.redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		rs := make([]slog.Attr, len(g))
		for i, ga := range g {
			rs[i] = h.attr(ga)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(rs...)}
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, h.s.redact(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, h.s.redact(x.String()))
		case nil:
			return a
		default:
			return slog.String(a.Key, h.s.redact(fmt.Sprint(x)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
