package selectors

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// trimParagraphs drops widget labels that survived, the title repeated as
// the first paragraph, and the calls to action that close many articles.
func trimParagraphs(paras []string, title string) []string {
	out := paras[:0]
	for i, p := range paras {
		if isBoilerplateText(p) || isCredit(p) || isTeaserLine(p) {
			continue
		}
		if i < 3 && title != "" && strings.EqualFold(p, title) {
			continue
		}
		if (i < 3 || i >= len(paras)-3) && isByline(p) {
			continue
		}
		out = append(out, p)
	}
	return trimTail(out)
}

// isByline reports whether a paragraph is a byline standing in the text:
// "By Jane Doe and John Roe", "Текст: Анна Смирнова". After the lead-in it
// must be names only: capitalised words and the words that join them.
func isByline(p string) bool {
	if len(p) > 100 || endsSentence(p) {
		return false
	}
	loc := byPrefix.FindStringIndex(p)
	if loc == nil {
		return false
	}
	words := strings.FieldsFunc(p[loc[1]:], func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '|' })
	if len(words) == 0 || len(words) > 8 {
		return false
	}
	for _, w := range words {
		switch strings.ToLower(w) {
		case "and", "&", "und", "et", "y", "e", "и":
			continue
		}
		if r := []rune(w)[0]; !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// A photo credit or caption label standing as a paragraph starts with a
// credit label ("© Reuters", "Photo: AP", "(Image credit: NASA)") or ends
// with an agency ("Jane Doe | Getty Images").
var (
	creditHeadRe = regexp.MustCompile(`(?i)^\(?(?:©|\(c\)|copyright\b|(?:photo|image|picture|foto|фото|bild|credit)s?(?: credit)?\s*[:：]|image credit\b)`)
	creditTailRe = regexp.MustCompile(`(?i)\b(?:getty images|shutterstock|associated press|afp|reuters|ap photo|istock(?:photo)?|фото:)\)?$`)
)

// creditTailEnds are the last characters of creditTailRe's words in every
// case (?i) lets them take (U+017F long s is an s, U+212A Kelvin sign a
// k). creditTailRe is not anchored at the start, so the regexp engine
// tries it from every position of the text; a text that ends otherwise, as
// nearly every paragraph does with a full stop, is not given to it.
const creditTailEnds = "sS\u017fkK\u212apPoO:"

// isCredit reports whether a short paragraph is a photo credit.
func isCredit(p string) bool {
	if len(p) > 120 {
		return false
	}
	if creditHeadRe.MatchString(p) {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(p, ")"))
	return strings.ContainsRune(creditTailEnds, last) && creditTailRe.MatchString(p)
}

// teaserLineRe matches an inline pointer to another story: "Read more:
// Headline", "Related: Headline", "Читайте также: Заголовок".
var teaserLineRe = regexp.MustCompile(`(?i)^(?:related(?: post| story| article| coverage)?|read (?:more|also|next)|see also|more|also read|recommended|watch|listen|читайте (?:также|еще|ещё)|смотрите также|по теме|lesen sie auch|mehr zum thema|lire aussi|à lire aussi|leia (?:também|mais)|lee también|leggi anche)\s*[:：»>|-]`)

// isTeaserLine reports whether a short paragraph points to another story.
func isTeaserLine(p string) bool {
	return len(p) <= 200 && teaserLineRe.MatchString(p)
}

// ctaRe matches the lines publishers append below an article: follow us,
// write to the author, join, subscribe, where to read or listen more.
// Matched only at the end of the text, where such a line cannot be part of
// the reporting.
var ctaRe = regexp.MustCompile(`(?i)(?:^|[.!?]\s)\(?(?:follow (?:[\p{L}'’.]+ ){1,7}(?:on|at|@)|e-?mail [\p{L} .'’-]{2,40} (?:at|on)\b|join (?:us|our|the conversation)|sign up|subscribe (?:to|now|here|for)|get (?:our|the latest|the best)\b.{0,60}\b(?:newsletter|inbox|updates|delivered)|listen (?:to|live)|watch (?:live|more)|download (?:our|the) app|(?:have|got) a (?:news )?tip|let us know|click here|tell us what you think|share (?:it|this)(?: story| article)?(?: with)|like this (?:story|article)|(?:additional |with )?(?:reporting|writing|editing) by\b|sources?:|filed under|подписывайтесь|подпишитесь|следите за (?:нами|новостями)|читайте (?:нас|наши)|folgen sie|abonnieren sie|suivez-nous|abonnez-vous|síguenos|suscríbete|seguici|siga-nos|inscreva-se)`)

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
