package selectors

import (
	"regexp"
	"strings"
	"unicode"
)

// trimParagraphs drops widget labels that survived, the title repeated as
// the first paragraph, and the calls to action that close many articles.
func trimParagraphs(paras []string, title string) []string {
	out := paras[:0]
	for i, p := range paras {
		if isBoilerplateText(p) {
			continue
		}
		if i < 3 && title != "" && strings.EqualFold(p, title) {
			continue
		}
		out = append(out, p)
	}
	return trimTail(out)
}

// ctaRe matches the lines publishers append below an article: follow us,
// write to the author, join, subscribe, where to read or listen more.
// Matched only at the end of the text, where such a line cannot be part of
// the reporting.
var ctaRe = regexp.MustCompile(`(?i)(?:^|[.!?]\s)(?:follow (?:us|him|her|them|me|[\p{L}'’]+(?: [\p{L}'’]+)?) (?:on|at|@)|e-?mail [\p{L} .'’-]{2,40} (?:at|on)\b|join (?:us|our|the conversation)|sign up|subscribe (?:to|now|here|for)|get (?:our|the latest|the best)\b.{0,60}\b(?:newsletter|inbox|updates|delivered)|listen (?:to|live)|watch (?:live|more)|download (?:our|the) app|(?:have|got) a (?:news )?tip|let us know|подписывайтесь|подпишитесь|следите за (?:нами|новостями)|читайте (?:нас|наши)|folgen sie|abonnieren sie|suivez-nous|abonnez-vous|síguenos|suscríbete|seguici|siga-nos|inscreva-se)`)

// emailRe finds an e-mail address, which a closing contact line carries.
var emailRe = regexp.MustCompile(`[\w.+-]+@[\w-]+\.[\w.]+`)

// trimTail drops short closing paragraphs that are calls to action or
// contact lines, and separator lines ("___") left before them.
func trimTail(paras []string) []string {
	for len(paras) > 1 {
		p := paras[len(paras)-1]
		if len(p) > 320 || !(ctaRe.MatchString(p) || emailRe.MatchString(p) || !hasWord(p)) {
			break
		}
		paras = paras[:len(paras)-1]
	}
	return paras
}

// hasWord reports whether s holds a letter or digit.
func hasWord(s string) bool {
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
