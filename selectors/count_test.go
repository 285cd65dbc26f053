package selectors

import (
	"strings"
	"testing"
	"unicode"
)

// refCountText is the rune-by-rune form countText must agree with.
func refCountText(s string) (chars, commas int32) {
	for _, r := range s {
		switch {
		case r < 0x80 && strings.ContainsRune(" \n\t\r\f", r):
		case r >= 0x80 && unicode.IsSpace(r):
		default:
			chars++
			if r == ',' || r == '，' || r == '、' || r == '،' {
				commas++
			}
		}
	}
	return chars, commas
}

func FuzzCountText(f *testing.F) {
	for _, s := range append(spaceCases, "a,b，c、d،e", "\v", strings.Repeat("var a = f(b, c);\n\t", 9), "x\u00a0y\u2003z", "\xff\xfe,") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, k := countText(s)
		if rc, rk := refCountText(s); c != rc || k != rk {
			t.Errorf("countText(%q) = %d, %d, want %d, %d", s, c, k, rc, rk)
		}
	})
}

func FuzzASCIIPrefix(f *testing.F) {
	for _, s := range append(spaceCases, "abcdefgh\xffij", "abcdefghijklmnop", "abcdefghé", "é") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := 0
		for want < len(s) && s[want] < 0x80 {
			want++
		}
		if got := asciiPrefix(s); got != want {
			t.Errorf("asciiPrefix(%q) = %d, want %d", s, got, want)
		}
	})
}
