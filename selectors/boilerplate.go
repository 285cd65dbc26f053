package selectors

import (
	"bytes"
	"maps"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// boilerplateLabels are whole texts of widgets, lower case: rating, typo
// notices, comment prompts, share bars, "read also" headings, ad labels,
// gallery controls. A set, not a regexp: every short element of a page is
// tested, and a map lookup is what keeps that cheap.
var boilerplateLabels = makeSet(
	"rate it", "rate this", "rate this article", "rate this story", "rate this post", "your rating",
	"оцените", "оцените материал", "оцените статью",
	"add comment", "add a comment", "leave a comment", "leave a reply", "post a comment",
	"show comments", "view comments", "comment", "comments", "report a typo",
	"сообщите об орфографической ошибке", "выделенный текст слишком длинный",
	"добавить комментарий", "оставить комментарий", "написать комментарий",
	"читайте также", "смотрите также", "по теме", "ещё по теме", "еще по теме",
	"read also", "read more", "see also", "related", "related articles", "related news",
	"related stories", "related posts", "related content", "related coverage", "related topics",
	"recommended", "recommended for you", "you may also like",
	"share", "share this", "share article", "share story", "share post", "share page",
	"share this article", "share this story", "share this post", "share this page", "поделиться",
	"advertisement", "advertisements", "advertising", "advert", "adverts", "sponsored",
	"sponsored content", "реклама", "anzeige", "publicidad", "iklan",
	"subscribe", "subscribe now", "sign up", "sign up for our newsletter",
	"print", "email", "e-mail", "tweet", "whatsapp", "telegram", "facebook", "twitter",
	"linkedin", "vk", "ok", "back to top", "наверх", "tag", "tags", "теги", "метки",
	"text size", "back to gallery", "back to article", "more photos", "see more photos",
	"view more photos", "photos", "gallery", "добавить отзыв", "оставить отзыв",
)

// boilerplatePattern matches the labels that carry a number or a tail:
// "3 comments", "Comments (12)", "Image 1 of 5", "Found a typo? ...". It
// runs only on texts whose first word starts one of them.
var boilerplatePattern = regexp.MustCompile(`^(?:\d+ comments?|comments? \d+|комментари(?:и|й|ев)(?: \d+)?|\d+ комментари(?:й|я|ев)|found a typo.*|нашли ошибку.*|more (?:from|on) .{0,40}|share on \w+|подписывайтесь.{0,60}|this (?:slideshow|video|content|gallery) requires javascript.*|(?:image|photo|picture|slide|фото|bild|foto|imagen|immagine) \d+ (?:of|из|von|de|di|sur) \d+)$`)

var boilerplateFirstWords = makeSet(
	"comment", "comments", "комментарии", "комментарий", "комментариев", "found", "нашли",
	"more", "share", "подписывайтесь", "this", "image", "photo", "picture", "slide", "фото",
	"bild", "foto", "imagen", "immagine",
)

// ctrlEnterRe catches the "select the typo and press Ctrl+Enter" notices
// whatever their wording.
var ctrlEnterRe = regexp.MustCompile(`(?i)ctrl\s*\+\s*enter`)

// keyFirstWords are the first words of the label keys isBoilerplateText can
// accept, other than those starting with a digit.
var keyFirstWords = func() map[string]bool {
	m := maps.Clone(boilerplateFirstWords)
	for k := range boilerplateLabels {
		first, _, _ := strings.Cut(k, " ")
		m[first] = true
	}
	return m
}()

// mayBeBoilerplate is a quick test of raw text, as appendRawText gives it,
// before the cost of cleaning it for isBoilerplateText: it is false only
// when isBoilerplateText(cleanText(raw)) is. Cleaning ASCII text only
// collapses its white space, which labelKey ignores; so ASCII text with no
// "nter" whose first word starts no label and no pattern is not one.
func mayBeBoilerplate(raw []byte) bool {
	for _, c := range raw {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	if bytes.Contains(raw, []byte("nter")) {
		return true
	}
	// The first word of labelKey(raw), lower-cased.
	var buf [32]byte
	word := buf[:0]
	for _, c := range raw {
		switch {
		case 'A' <= c && c <= 'Z':
			word = append(word, c+'a'-'A')
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '+':
			word = append(word, c)
		case len(word) > 0:
			return keyFirstWords[string(word)] || '0' <= word[0] && word[0] <= '9'
		}
	}
	return len(word) > 0 && (keyFirstWords[string(word)] || '0' <= word[0] && word[0] <= '9')
}

// isBoilerplateText reports whether a short text is one whole widget label.
func isBoilerplateText(s string) bool {
	if len(s) > 300 {
		return false
	}
	if strings.Contains(s, "nter") && ctrlEnterRe.MatchString(s) {
		return true
	}
	if len(s) > 120 {
		return false
	}
	k := labelKey(s)
	if k == "" {
		return false
	}
	if boilerplateLabels[k] {
		return true
	}
	first, _, _ := strings.Cut(k, " ")
	if boilerplateFirstWords[first] || first[0] >= '0' && first[0] <= '9' {
		return boilerplatePattern.MatchString(k)
	}
	return false
}

// labelKey lower-cases s, trims everything but letters and digits from its
// ends and turns inner punctuation runs into single spaces ("Comments (12)"
// gives "comments 12").
func labelKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	sep := false
	for i, r := range s {
		keep := false
		if r < utf8.RuneSelf {
			// Most labels are ASCII: test and lower-case the byte.
			c := s[i]
			keep = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '+'
			if 'A' <= c && c <= 'Z' {
				keep, r = true, r+'a'-'A'
			}
		} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
			keep, r = true, unicode.ToLower(r)
		}
		if !keep {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte(' ')
		}
		sep = false
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func makeSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
