package selectors

import (
	"strings"
	"unicode"
)

// stopwords are frequent short words that tell Latin-script languages
// apart; a handful each is enough on a few hundred words of prose.
var stopwords = map[string][]string{
	"en": {"the", "and", "of", "to", "is", "in", "that", "was", "for", "with", "he", "it", "on", "said"},
	"de": {"der", "die", "und", "das", "ist", "nicht", "ein", "eine", "mit", "den", "sich", "auch", "von", "zu"},
	"fr": {"le", "la", "les", "et", "des", "est", "une", "du", "pour", "dans", "qui", "pas", "au", "sur"},
	"es": {"el", "los", "las", "y", "del", "que", "una", "por", "con", "para", "es", "se", "su", "al"},
	"it": {"il", "di", "che", "è", "gli", "della", "per", "una", "non", "sono", "nel", "con", "anche", "delle"},
	"pt": {"o", "os", "que", "do", "da", "não", "uma", "com", "para", "em", "dos", "das", "ao", "é"},
}

// stopwordLang maps each stopword to the languages it belongs to.
var stopwordLang = func() map[string][]string {
	m := map[string][]string{}
	for lang, words := range stopwords {
		for _, w := range words {
			m[w] = append(m[w], lang)
		}
	}
	return m
}()

// detectLanguage guesses the language of a text from its script and, for
// Latin and Cyrillic, from letters and stopwords: en, de, fr, es, it, pt,
// ru, uk, and by script alone ar, el, he, ja, ko, zh. "" when unsure. It
// reads at most the first 4,000 bytes.
func detectLanguage(text string) string {
	if len(text) > 4000 {
		text = text[:4000]
	}
	var latin, cyr, han, kana, hangul, arabic, greek, hebrew, uk, ru int
	for _, r := range text {
		switch {
		case r < 0x80:
			if r|0x20 >= 'a' && r|0x20 <= 'z' {
				latin++
			}
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
			switch unicode.ToLower(r) {
			case 'і', 'ї', 'є', 'ґ':
				uk++
			case 'ы', 'э', 'ъ', 'ё':
				ru++
			}
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Greek, r):
			greek++
		case unicode.Is(unicode.Hebrew, r):
			hebrew++
		}
	}
	total := latin + cyr + han + kana + hangul + arabic + greek + hebrew
	if total < 20 {
		return ""
	}
	switch {
	case cyr*2 > total:
		if uk > ru {
			return "uk"
		}
		return "ru"
	case kana*10 > total:
		return "ja"
	case han*2 > total:
		return "zh"
	case hangul*2 > total:
		return "ko"
	case arabic*2 > total:
		return "ar"
	case greek*2 > total:
		return "el"
	case hebrew*2 > total:
		return "he"
	case latin*2 > total:
		return latinLanguage(text)
	}
	return ""
}

// latinLanguage picks the language whose stopwords are most frequent,
// when it leads clearly.
func latinLanguage(text string) string {
	counts := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		for _, lang := range stopwordLang[w] {
			counts[lang]++
		}
	}
	best := ""
	for _, lang := range []string{"en", "de", "fr", "es", "it", "pt"} {
		if best == "" || counts[lang] > counts[best] {
			best = lang
		}
	}
	second := 0
	for lang, n := range counts {
		if lang != best && n > second {
			second = n
		}
	}
	if counts[best] < 3 || counts[best] < second*5/4 {
		return ""
	}
	return best
}
