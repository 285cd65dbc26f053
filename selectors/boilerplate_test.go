package selectors

import "testing"

// FuzzMayBeBoilerplate checks that the quick test never rejects a text
// isBoilerplateText accepts.
func FuzzMayBeBoilerplate(f *testing.F) {
	for k := range boilerplateLabels {
		f.Add(k)
	}
	for _, s := range []string{
		" Share\n", "3 comments", "Comments (12)", "Image 1 of 5", "Found a typo? Select it and press Ctrl+Enter",
		"Ctrl + Enter", "SHARE THIS", "e-mail", "Read  more", "Rate\tthis", "Комментарии 5", "sha\u00adre",
		"The rain came.", "12", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if !mayBeBoilerplate([]byte(raw)) && isBoilerplateText(cleanText(raw)) {
			t.Errorf("mayBeBoilerplate(%q) = false, but it is boilerplate", raw)
		}
	})
}
