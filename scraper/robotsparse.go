package scraper

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"time"
)

// robotsRule is one Allow or Disallow line of the group that applies to us.
type robotsRule struct {
	pattern string // percent-encoded like a URL path; may hold * and a final $
	allow   bool
}

// maxCrawlDelaySeconds bounds a parsed Crawl-delay so that it fits a
// time.Duration: any value this large defers the host anyway.
const maxCrawlDelaySeconds = 1e6

// parseRobots parses a robots.txt body for our product token, line by line
// as RFC 9309 asks: a line that does not parse is skipped, never the file.
// (robotstxt, which colly uses, rejects a whole file for one rule before
// any User-agent, reads tokens rather than lines so that one stray word
// shifts the rest of the file, matches agents by prefix, and allocated
// 10 MiB to parse 512 KiB.)
//
// Only the rules of the groups naming our product token are kept, or, when
// none does, those of the * groups; groups for one agent are merged.
func parseRobots(body []byte) *robotsRules {
	// One copy of the body: the rules are slices of it, so a cached file
	// costs its size once and parsing allocates little besides.
	text := string(bytes.TrimPrefix(body, []byte("\uFEFF")))
	var (
		ours, star           []robotsRule
		oursDelay, starDelay time.Duration
		oursSeen             bool
		sitemaps             []string
		// The group being read: its User-agent lines, then its rules.
		inRules, forUs, forStar bool
	)
	for line := range strings.FieldsFuncSeq(text, func(r rune) bool { return r == '\n' || r == '\r' }) {
		line, _, _ = strings.Cut(line, "#")
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key := strings.TrimSpace(k)
		val, _, _ := strings.Cut(strings.TrimSpace(v), " ")
		val, _, _ = strings.Cut(val, "\t")
		switch {
		case keyIs(key, "user-agent", "useragent"):
			if inRules {
				inRules, forUs, forStar = false, false, false
			}
			switch {
			case val == "*":
				forStar = true
			case isOurAgent(val):
				forUs, oursSeen = true, true
			}
		case keyIs(key, "allow", "disallow"):
			inRules = true
			if len(val) == 0 || !(forUs || forStar) {
				continue // an empty rule allows what is allowed anyway
			}
			r := robotsRule{pattern: robotsPattern(val), allow: keyIs(key, "allow")}
			if forUs {
				ours = append(ours, r)
			}
			if forStar {
				star = append(star, r)
			}
		case keyIs(key, "crawl-delay", "crawldelay"):
			inRules = true
			d, err := strconv.ParseFloat(val, 64)
			if err != nil || d < 0 || math.IsNaN(d) {
				continue
			}
			delay := time.Duration(min(d, maxCrawlDelaySeconds) * float64(time.Second))
			if forUs {
				oursDelay = delay
			}
			if forStar {
				starDelay = delay
			}
		case keyIs(key, "sitemap"):
			if len(val) > 0 {
				sitemaps = append(sitemaps, val)
			}
		}
	}
	r := &robotsRules{rules: star, crawlDelay: starDelay, sitemaps: sitemaps, status: RobotsOK}
	if oursSeen {
		r.rules, r.crawlDelay = ours, oursDelay
	}
	return r
}

func keyIs(key string, names ...string) bool {
	for _, n := range names {
		if strings.EqualFold(key, n) {
			return true
		}
	}
	return false
}

// isOurAgent reports whether a User-agent value names our product token:
// RFC 9309 matches the token case-insensitively, and some files give a
// whole user agent ("newsvault/0.1") where the token belongs.
func isOurAgent(v string) bool {
	tok, _, _ := strings.Cut(v, "/")
	return strings.EqualFold(tok, robotsAgent)
}

// robotsPattern percent-encodes a rule's path as URL paths are, so that
// "/новости" matches the escaped path of a URL; its own escapes are kept,
// with upper-case hex digits.
func robotsPattern(v string) string {
	if !strings.ContainsFunc(v, func(r rune) bool {
		return r >= 0x80 || r < 0x21 || r == '"' || r == '<' || r == '>' || r == '%'
	}) {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '%' && i+2 < len(v) && isHex(v[i+1]) && isHex(v[i+2]):
			b.WriteByte('%')
			b.WriteString(strings.ToUpper(v[i+1 : i+3]))
			i += 2
		case c >= 0x80 || c < 0x21 || c == '"' || c == '<' || c == '>' || c == '%':
			const hex = "0123456789ABCDEF"
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// match reports whether path (escaped, with "?query") may be fetched: the
// longest matching rule decides, an Allow winning a tie; with no matching
// rule, it may (RFC 9309 §2.2.2).
func (r *robotsRules) match(path string) bool {
	best, allow := -1, true
	for _, rule := range r.rules {
		if len(rule.pattern) < best || !patternMatches(rule.pattern, path) {
			continue
		}
		if len(rule.pattern) > best || rule.allow {
			best, allow = len(rule.pattern), rule.allow
		}
	}
	return allow
}

// patternMatches reports whether a rule pattern matches the start of
// path: * matches any run of characters, and a final $ the end of path.
func patternMatches(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	if !strings.Contains(pattern, "*") {
		if anchored {
			return path == pattern
		}
		return strings.HasPrefix(path, pattern)
	}
	// Glob matching with one backtracking point, linear in practice and
	// O(len(pattern)*len(path)) at worst.
	p, s := 0, 0
	starP, starS := -1, 0
	for s < len(path) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			starP, starS = p, s
			p++
		case p < len(pattern) && pattern[p] == path[s]:
			p++
			s++
		case p == len(pattern) && !anchored:
			return true // the pattern matched a prefix of path
		case starP >= 0:
			starS++
			p, s = starP+1, starS
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
