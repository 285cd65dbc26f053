package selectors

import (
	"bytes"
	"testing"
)

func TestStripRawTextLeavesPage(t *testing.T) {
	page := []byte(`<html><head><script>var secret = "<p>not text</p>";</script><style>p{color:red}</style>` +
		`<script type="application/ld+json">{"@type":"NewsArticle"}</script></head><body><p>Text</p></body></html>`)
	orig := bytes.Clone(page)
	got := StripRawText(page)
	if !bytes.Equal(page, orig) {
		t.Errorf("page modified: %q", page)
	}
	want := `<html><head><script></script><style></style>` +
		`<script type="application/ld+json">{"@type":"NewsArticle"}</script></head><body><p>Text</p></body></html>`
	if string(got) != want {
		t.Errorf("StripRawText =\n%s\nwant\n%s", got, want)
	}
}
