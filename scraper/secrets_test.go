package scraper

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
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
