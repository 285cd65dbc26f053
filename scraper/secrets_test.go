package scraper

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsvault/newsvault/selectors"
)

// TestT36Redaction: secrets never reach a log line or an error text, even
// inside a url.Error that embeds the proxy URL, and the sensitive headers
// leave a redirect to another host or port.
func TestT36Redaction(t *testing.T) {
	proxy, _ := url.Parse("http://newsvault:px-5e7a9c1b3d@proxy.example:3128")
	cfg := Config{
		Headers: http.Header{"Authorization": {"Bearer tok-3f9c1e7a5b"}},
		Cookies: []*http.Cookie{{Name: "session", Value: "ck-8d2b4f6a0c"}},
		Proxy:   proxy,
	}
	s := newSecrets(cfg, map[string]bool{"a.example": true})
	inner := &url.Error{Op: "Get", URL: "http://a.example/", Err: fmt.Errorf("proxyconnect tcp %s: %w", proxy, errTooLarge)}
	err := s.wrapErr(inner)
	if !errors.Is(err, errTooLarge) {
		t.Error("redaction broke the error chain")
	}
	var log syncBuffer
	l := log.logger()
	rl := slogWith(l, s)
	rl.Warn("fetch failed "+proxy.String(), "err", err, "hdr", "Bearer tok-3f9c1e7a5b", "cookie", cfg.Cookies[0].String())
	for _, sec := range []string{"tok-3f9c1e7a5b", "ck-8d2b4f6a0c", "px-5e7a9c1b3d"} {
		if strings.Contains(err.Error(), sec) || strings.Contains(log.String(), sec) {
			t.Errorf("%s leaked: %s / %s", sec, err, log.String())
		}
	}
	req, _ := http.NewRequest("GET", "http://127.0.0.1:2/x", nil)
	req.Header.Set("Authorization", "x")
	req.Header.Set("Cookie", "y")
	via, _ := http.NewRequest("GET", "http://127.0.0.1:1/", nil)
	stripOnHostChange(req, []*http.Request{via})
	if req.Header.Get("Authorization") != "" || req.Header.Get("Cookie") != "" {
		t.Error("sensitive headers kept across a port change")
	}
}

// A server can echo a secret back, into a redirect's Location or a page:
// OnOutcome gets the URL redacted and no body (a raw body cannot be
// redacted), so neither reaches the fetch log.
func TestOutcomeRedacted(t *testing.T) {
	const secret = "ck-8d2b4f6a0c"
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/start.html": func(w http.ResponseWriter, r *http.Request) {
			c, _ := r.Cookie("session")
			http.Redirect(w, r, "/2024/05/17/echo.html?t="+c.Value, http.StatusFound)
		},
		"/2024/05/17/echo.html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><meta property="og:type" content="article"><title>Hi</title></head><body><p>Hello %s</p></body></html>`, r.URL.Query().Get("t"))
		},
	})
	set, err := selectors.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cfg := site.config(t, "/start.html")
	cfg.Depth = 0
	cfg.Cookies = []*http.Cookie{{Name: "session", Value: secret}}
	var out outcomes
	cfg.OnOutcome = out.add
	if _, err := Crawl(t.Context(), cfg, set, &recorder{}); err != nil {
		t.Fatal(err)
	}
	os := out.list()
	if len(os) != 1 || os[0].Reason != ReasonNoArticle {
		t.Fatalf("outcomes %+v, want one no_article", os)
	}
	if o := os[0]; strings.Contains(o.URL, secret) || !strings.Contains(o.URL, "[REDACTED]") || o.Body != nil {
		t.Errorf("outcome URL %q with %d body bytes; want the secret redacted and no body", o.URL, len(o.Body))
	}
}
