package archive

import (
	"net/url"
	"strings"
)

// NormalizeURL returns the identity of the page at raw: the form under
// which the archive keeps one article however the page was reached. It is
// an identity, not always an address to fetch: use Article.URL for that.
//
//   - scheme and host lower case, the default port, user info and the
//     fragment dropped;
//   - http becomes https: news sites serve one article on both, and nearly
//     all of them redirect to https today, so the https form is both the
//     common one and the one most existing keys already had;
//   - a trailing slash is dropped from a path other than "/": servers that
//     answer both forms serve one page under them (WordPress redirects one
//     to the other), and a site that really serves two pages at /a and /a/
//     is far rarer than links that disagree on the slash;
//   - tracking parameters (utm_*, fbclid, gclid, yclid, mc_cid, ...) are
//     dropped; the other parameters are kept byte for byte and in order,
//     since on many sites (?module=news&id=1) they name the article.
//
// A raw that is not an absolute http(s) URL is returned as is.
func NormalizeURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Opaque != "" || u.Host == "" {
		return raw
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return raw
	}
	u.Scheme = "https"
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	u.Host = strings.TrimSuffix(strings.ToLower(u.Host), ":")
	if p := u.Port(); p == "80" || p == "443" {
		u.Host = strings.TrimSuffix(u.Host, ":"+p)
	}
	switch {
	case u.Path == "" || u.Path == "/":
		u.Path, u.RawPath = "/", ""
	case strings.HasSuffix(u.Path, "/"):
		u.Path = strings.TrimRight(u.Path, "/")
		u.RawPath = strings.TrimRight(u.RawPath, "/")
		if u.Path == "" {
			u.Path, u.RawPath = "/", ""
		}
	}
	u.ForceQuery = false
	u.RawQuery = StripTracking(u.RawQuery)
	return u.String()
}

// trackingParams are query keys that only say where a click came from.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "ysclid": true, "igshid": true, "twclid": true,
	"mc_cid": true, "mc_eid": true, "_hsenc": true, "_hsmi": true,
}

// StripTracking drops utm_* and the click identifiers of ad and mail
// platforms (fbclid, gclid, yclid, mc_cid, ...) from a raw query, keeping
// the other parameters byte for byte and in order.
func StripTracking(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	kept := parts[:0]
	for _, p := range parts {
		if p == "" {
			continue
		}
		key, _, _ := strings.Cut(p, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		key = strings.ToLower(key)
		if strings.HasPrefix(key, "utm_") || trackingParams[key] {
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "&")
}
