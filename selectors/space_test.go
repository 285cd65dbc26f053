package selectors

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// refCollapseSpace and refNormalizeParagraph are the plain rune-by-rune
// forms that collapseSpace and normalizeParagraph must agree with.
func refCollapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func refNormalizeParagraph(s string) string {
	var out []string
	for _, l := range strings.Split(cleanInvisible(s), "\n") {
		if l = refCollapseSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return norm.NFC.String(strings.Join(out, "\n"))
}

var spaceCases = []string{
	"", " ", "a", " a", "a ", "a  b", "a b", "a\tb", "\n", "a\n\n b \n", "  Cafe\u0301  with\u00a0soft\u00adhy\u200bphens \n\n second   line ",
	"x\u0085y", "\u3000全角\u3000", "bad\xffbyte", "\xff", "a\xc3", "ok \xef\xbf\xbd ok", "\v\f\r", "Привет,  мир",
}

func FuzzCollapseSpace(f *testing.F) {
	for _, s := range spaceCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpace(s), refCollapseSpace(s); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
		if got, want := normalizeParagraph(s), refNormalizeParagraph(s); got != want {
			t.Errorf("normalizeParagraph(%q) = %q, want %q", s, got, want)
		}
	})
}

func refLabelKey(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '+' {
			if sep && b.Len() > 0 {
				b.WriteByte(' ')
			}
			sep = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		sep = true
	}
	return b.String()
}

func FuzzLabelKey(f *testing.F) {
	for _, s := range append(spaceCases, "Comments (12)", "ÉCRIRE À", "İstanbul", "K\u212a", "x—y", "3+4-5_6") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := labelKey(s), refLabelKey(s); got != want {
			t.Errorf("labelKey(%q) = %q, want %q", s, got, want)
		}
	})
}

func FuzzHasInvisible(f *testing.F) {
	for _, s := range append(spaceCases, "a\u00adb", "\u200b", "x\u200d", "\u2060", "\ufeffBOM", "“quoted” — text", "\xe2\x80", "\xc2") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hasInvisible(s), strings.ContainsAny(s, "\u00ad\u200b\u200c\u200d\u2060\ufeff"); got != want {
			t.Errorf("hasInvisible(%q) = %v, want %v", s, got, want)
		}
	})
}
