package selectors

import (
	"regexp"
	"strings"
)

var (
	// byPrefix is the lead-in of a byline in several languages.
	byPrefix = regexp.MustCompile(`(?i)^\s*(?:by|from|written by|posted by|von|par|por|автор(?:ы)?:?|текст:?|от)\s+`)
	// authorNoise is everything that is not a name in a byline.
	authorNoise = regexp.MustCompile(`(?i)\b(?:(?:senior|chief|special|contributing|political|foreign|national|deputy|managing|associate|executive|business|sports|science|health|tech(?:nology)?|investigative|white house|washington|staff)\s+)*(?:email the author|e-mail the author|follow(?: on \w+)?|contact|view all posts|more articles|staff (?:writer|reporter)s?|reporters?|correspondents?|editors?|columnists?|contributors?|journalists?|writers?|correspondent|photographers?|updated|published)\b.*$`)
	// authorNoiseCyr is authorNoise for Cyrillic roles, which \b (ASCII
	// only in Go) cannot delimit.
	authorNoiseCyr = regexp.MustCompile(`(?i)(?:^|[\s,(])(?:специальный |собственный |главный |шеф-)?(?:корреспондент|обозреватель|редактор|журналист|фотограф)\S*.*$`)
	authorSplit    = regexp.MustCompile(`(?i)\s+(?:and|&|und|et|y|и)\s+|\s*[;|]\s*|\s*,\s+(?:and\s+)?`)
	urlLike        = regexp.MustCompile(`(?i)^(?:https?:|www\.|/)`)
)

// cleanAuthors turns raw bylines into deduped names: no "By", no roles, no
// URLs, no dates.
func cleanAuthors(raw []string) []string {
	var names []string
	for _, r := range raw {
		r = cleanText(r)
		if r == "" || urlLike.MatchString(r) || len(r) > 200 {
			continue
		}
		r = byPrefix.ReplaceAllString(r, "")
		r = authorNoise.ReplaceAllString(r, "")
		r = authorNoiseCyr.ReplaceAllString(r, "")
		for _, n := range authorSplit.Split(r, -1) {
			n = strings.Trim(strings.TrimSpace(byPrefix.ReplaceAllString(n, "")), ",.:;-–—|")
			n = strings.TrimSpace(n)
			if !nameLike(n) {
				continue
			}
			names = append(names, n)
		}
	}
	return dedupe(names)
}

// nameLike rejects role words, dates and sentences that bylines carry.
func nameLike(s string) bool {
	if s == "" || len([]rune(s)) > 60 || strings.Contains(s, "@") || urlLike.MatchString(s) {
		return false
	}
	words := strings.Fields(s)
	if len(words) > 6 {
		return false
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits == 0
}
