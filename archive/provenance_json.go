package archive

// MarshalJSON encodes p with snake_case keys, its cause "fetch" when unset:
// the "provenance" object of an export, every field always present, ""
// when unknown.
func (p Provenance) MarshalJSON() ([]byte, error) {
	return appendProvenance(nil, &p, false), nil
}

// EncodeWithProvenance writes a as Encode does, with p as one more field,
// "provenance", after the article's own.
func (e *Encoder) EncodeWithProvenance(a *Article, p *Provenance) error {
	b := appendArticle(e.buf[:0], a, e.htmlSafe)
	b = append(b[:len(b)-1], `,"provenance":`...) // in place of the closing brace
	b = appendProvenance(b, p, e.htmlSafe)
	return e.write(append(b, '}'))
}
