package archive

import "time"

// Capture is one HTTP fetch of a page, kept with the article extracted from
// it so the article can be re-extracted later from exactly the same bytes.
type Capture struct {
	URL           string // requested URL
	FinalURL      string // after redirects
	Status        int
	FetchedAt     time.Time
	ETag          string
	LastModified  string
	ContentType   string
	Charset       string // the encoding the body was decoded with, e.g. "windows-1251"
	CharsetSource string // where it came from: "header", "meta", "bom", "sniffed"
	Body          []byte // the raw body as received (after Content-Encoding), undecoded
}
