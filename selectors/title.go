package selectors

import (
	"regexp"
	"strings"
	"unicode"
)

// titleSeparators split a page title from the site name or a breadcrumb
// chain appended or prepended to it.
var titleSeparators = []string{" | ", " / ", " - ", " – ", " — ", " :: ", " » ", " « ", " · ", " • ", " : "}

// cleanTitle strips the profile's suffixes, then site names and breadcrumb
// chains, from a title.
func cleanTitle(title string, suffixes []*regexp.Regexp, siteNames []string, h1 string) string {
	title = cleanText(title)
	for _, re := range suffixes {
		title = strings.TrimSpace(re.ReplaceAllString(title, ""))
	}
	if h1 = cleanText(h1); h1 != "" && len(h1) < len(title) && len([]rune(h1)) >= 10 {
		// The page's own headline, followed or preceded by decoration.
		if strings.HasPrefix(title, h1) || strings.HasSuffix(title, h1) {
			return h1
		}
	}
	for _, sep := range titleSeparators {
		parts := strings.Split(title, sep)
		if len(parts) < 2 {
			continue
		}
		// Drop site-named parts at either end, then, when the title was a
		// chain of three or more, the short section names beside them.
		chain := len(parts) >= 3
		dropped := false
		for len(parts) > 1 && isSiteName(parts[len(parts)-1], siteNames) {
			parts, dropped = parts[:len(parts)-1], true
		}
		for len(parts) > 1 && isSiteName(parts[0], siteNames) {
			parts, dropped = parts[1:], true
		}
		if !dropped {
			continue
		}
		for chain && len(parts) > 1 && wordCount(parts[len(parts)-1]) <= 3 && wordCount(parts[len(parts)-1]) < wordCount(parts[0]) {
			parts = parts[:len(parts)-1]
		}
		return strings.TrimSpace(strings.Join(parts, sep))
	}
	return title
}

// isSiteName reports whether a title part names the site: it contains the
// og:site_name or the host's main label, ignoring case and spaces.
func isSiteName(part string, siteNames []string) bool {
	p := squash(part)
	if p == "" {
		return false
	}
	for _, n := range siteNames {
		n = squash(n)
		if n == "" {
			continue
		}
		if p == n || len(n) >= 4 && strings.Contains(p, n) && len(p) <= 3*len(n)+12 {
			return true
		}
		if len(p) >= 4 && strings.Contains(n, p) {
			return true
		}
	}
	return false
}

// squash lower-cases s and keeps only letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func wordCount(s string) int { return len(strings.Fields(s)) }

// hostLabels are the names a host goes by in titles: "inforos.ru" gives
// "inforos.ru" and "inforos".
func hostLabels(site string) []string {
	out := []string{site}
	parts := strings.Split(site, ".")
	if len(parts) >= 2 {
		out = append(out, parts[len(parts)-2])
	}
	return out
}
