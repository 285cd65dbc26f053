package selectors

import (
	"strings"
	"testing"
)

// TestTextQuality checks the shape of the text: paragraphs stay
// paragraphs, headings and list items of the article stay, captions and
// bylines go, and the text is clean Unicode.
func TestTextQuality(t *testing.T) {
	page := `<html><body><article>
<h1>Harbour reopens</h1>
<p class="byline">By Jane Doe</p>
<figure><img src="a.jpg"><figcaption>The harbour on Monday. Photo: Jane Doe</figcaption></figure>
<p>The harbour reopened on Monday   after a
   two-week closure, the port autho\u00adrity said.</p>
<h2>What changed</h2>
<p>Boats now enter through the north channel, which was dredged to a depth of eight metres.</p>
<ul><li>North channel open.</li><li>South channel closed until May.</li></ul>
<div>Cafe&#x301; owners on the quay wel&#8203;comed the news.<br><br>Fishermen said the closure had cost them a fortnight of catches.</div>
</article></body></html>`
	page = strings.ReplaceAll(page, `\u00ad`, "\u00ad")
	a, err := (&Set{}).ExtractHTML(strings.NewReader(page), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"The harbour reopened on Monday after a two-week closure, the port authority said.",
		"What changed",
		"Boats now enter through the north channel, which was dredged to a depth of eight metres.",
		"North channel open.",
		"South channel closed until May.",
		"Café owners on the quay welcomed the news.",
		"Fishermen said the closure had cost them a fortnight of catches.",
	}
	if got := strings.Split(a.Text, "\n\n"); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs:\n%q\nwant:\n%q", got, want)
	}
}
