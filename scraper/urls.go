package scraper

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/newsvault/newsvault/archive"
)

// normalizeURL resolves ref against base (nil for an absolute ref) and puts
// the result in the one form the crawl uses to tell URLs apart: http or https
// only, lower-case host without the default port, no user info, no fragment,
// no tracking parameters (archive.StripTracking), and "/" for an empty path.
func normalizeURL(base *url.URL, ref string) (*url.URL, error) {
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return nil, fmt.Errorf("parse url: %w", err)
	}
	if base == nil {
		base = &url.URL{}
	}
	// ResolveReference also removes "." and ".." path segments.
	u := base.ResolveReference(r)
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("url %q: scheme %q: %w", ref, u.Scheme, errSchemeBlocked)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return nil, fmt.Errorf("url %q: %w", ref, errNoHost)
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	u.Host = strings.ToLower(u.Host)
	if port := u.Port(); (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		u.Host = strings.TrimSuffix(u.Host, ":"+port)
	}
	u.Host = strings.TrimSuffix(u.Host, ":")
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	u.ForceQuery = false
	u.RawQuery = archive.StripTracking(u.RawQuery)
	return u, nil
}

var (
	errNoHost = errors.New("no host")
	// errSchemeBlocked: only http and https are ever fetched (not file:,
	// ftp:, data:, gopher:, javascript:, mailto:, ws: ...).
	errSchemeBlocked = errors.New("scheme not allowed: only http and https")
)

// siteKey names a site for the "stay on the start hosts" rule: the host
// without a leading "www.", plus a non-default port. www.example.com and
// example.com are one site; http and https are one site.
func siteKey(u *url.URL) string {
	h := strings.TrimPrefix(u.Hostname(), "www.")
	if p := u.Port(); p != "" {
		return net.JoinHostPort(h, p)
	}
	return h
}

// skippedExt lists extensions of links that are certainly not HTML pages, so
// they are not even requested (they would be aborted after the headers).
func skippedExt(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".tif", ".tiff",
		".pdf", ".zip", ".gz", ".tgz", ".rar", ".7z", ".bz2", ".xz",
		".mp3", ".mp4", ".m4a", ".ogg", ".wav", ".avi", ".mov", ".webm", ".mkv",
		".css", ".js", ".json", ".woff", ".woff2", ".ttf", ".eot",
		".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".exe", ".dmg", ".apk":
		return true
	}
	return false
}

// links returns the normalised targets of a page's <a href> and
// <area href>, resolved against its <base href> when it has one, and the
// hrefs left out because their scheme is not http or https.
func links(doc *goquery.Document, page *url.URL) (out []*url.URL, blocked []string) {
	base := docBase(doc, page)
	doc.Find("a[href], area[href]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		if href == "" || strings.HasPrefix(href, "#") {
			return
		}
		u, err := normalizeURL(base, href)
		if errors.Is(err, errSchemeBlocked) {
			blocked = append(blocked, href)
		}
		if err != nil || skippedExt(u.Path) {
			return
		}
		out = append(out, u)
	})
	return out, blocked
}

// docBase is the URL a page's relative links resolve against: its
// <base href> when it has one, else the page's own URL.
func docBase(doc *goquery.Document, page *url.URL) *url.URL {
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := page.Parse(strings.TrimSpace(href)); err == nil {
			return b
		}
	}
	return page
}
