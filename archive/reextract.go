package archive

// StoredCapture is an archived capture together with the article version
// that was extracted from it: what re-extraction and WARC export start from.
type StoredCapture struct {
	CaptureID   int64  // the archive's id of the capture
	Key         string // the article's key
	Version     int    // the version extracted from the capture: the article's latest
	Fingerprint string // that version's Article.Fingerprint, of the article as stored
	Capture
}
