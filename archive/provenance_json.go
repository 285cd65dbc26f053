package archive

import (
	"bytes"
	"fmt"
)

// provenanceJSON is the "provenance" object of an export: every field
// always present, "" when unknown.
type provenanceJSON struct {
	Cause         Cause  `json:"cause"`
	Newsvault     string `json:"newsvault"`
	Profile       string `json:"profile"`
	ProfileHash   string `json:"profile_hash"`
	Title         string `json:"title"`
	Published     string `json:"published"`
	Modified      string `json:"modified"`
	Authors       string `json:"authors"`
	BodySHA256    string `json:"body_sha256"`
	Charset       string `json:"charset"`
	CharsetSource string `json:"charset_source"`
}

// MarshalJSON encodes p with snake_case keys, its cause "fetch" when unset.
func (p Provenance) MarshalJSON() ([]byte, error) {
	c := p.Cause
	if c == "" {
		c = CauseFetch
	}
	return marshal(provenanceJSON{
		Cause: c, Newsvault: p.Newsvault, Profile: p.Profile, ProfileHash: p.ProfileHash,
		Title: p.Title, Published: p.Published, Modified: p.Modified, Authors: p.Authors,
		BodySHA256: p.BodySHA256, Charset: p.Charset, CharsetSource: p.CharsetSource,
	})
}

// EncodeWithProvenance writes a as Encode does, with p as one more field,
// "provenance", after the article's own.
func (e *Encoder) EncodeWithProvenance(a *Article, p *Provenance) error {
	b, err := marshal(a)
	if err != nil {
		return fmt.Errorf("encode article %s: %w", a.URL, err)
	}
	pb, err := marshal(p)
	if err != nil {
		return fmt.Errorf("encode provenance of %s: %w", a.URL, err)
	}
	var buf bytes.Buffer
	buf.Grow(len(b) + len(pb) + 16)
	buf.Write(b[:len(b)-1]) // drop the closing brace
	buf.WriteString(`,"provenance":`)
	buf.Write(pb)
	buf.WriteByte('}')
	return e.write(buf.Bytes())
}
