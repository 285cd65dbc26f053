package archive

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// articleJSON is the exported schema, as UnmarshalJSON reads it and
// appendArticle writes it. Every field is always present: unknown strings
// are "", unknown lists [], unknown times "".
type articleJSON struct {
	URL           string   `json:"url"`
	CanonicalURL  string   `json:"canonical_url"`
	Site          string   `json:"site"`
	Title         string   `json:"title"`
	Authors       []string `json:"authors"`
	PublishedAt   string   `json:"published_at"`
	ModifiedAt    string   `json:"modified_at"`
	Language      string   `json:"language"`
	Description   string   `json:"description"`
	Text          string   `json:"text"`
	Tags          []string `json:"tags"`
	ImageURL      string   `json:"image_url"`
	FetchedAt     string   `json:"fetched_at"`
	ContentSHA256 string   `json:"content_sha256"`
	Version       int      `json:"version"`
}

// MarshalJSON encodes a in the export schema: RFC 3339 times, empty values
// as "" and [].
func (a Article) MarshalJSON() ([]byte, error) {
	return appendArticle(nil, &a, false), nil
}

// UnmarshalJSON decodes the export schema.
func (a *Article) UnmarshalJSON(b []byte) error {
	var j articleJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	parse := func(name, s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s: %w", name, err)
		}
		return t, nil
	}
	pub, err := parse("published_at", j.PublishedAt)
	if err != nil {
		return err
	}
	mod, err := parse("modified_at", j.ModifiedAt)
	if err != nil {
		return err
	}
	fetched, err := parse("fetched_at", j.FetchedAt)
	if err != nil {
		return err
	}
	*a = Article{
		URL: j.URL, CanonicalURL: j.CanonicalURL, Site: j.Site, Title: j.Title,
		Authors: j.Authors, PublishedAt: pub, ModifiedAt: mod, Language: j.Language,
		Description: j.Description, Text: j.Text, Tags: j.Tags, ImageURL: j.ImageURL,
		FetchedAt: fetched, ContentSHA256: j.ContentSHA256, Version: j.Version,
	}
	return nil
}

// Format is an export format.
type Format string

const (
	JSONLines Format = "jsonl" // one article per line
	JSONArray Format = "json"  // one JSON array
)

// ParseFormat accepts "jsonl" and "json".
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case JSONLines, JSONArray:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q (want jsonl or json)", s)
}

// Encoder streams articles as JSON Lines or as one JSON array, holding one
// article in memory at a time. Call Close to finish the array and flush.
type Encoder struct {
	w        *bufio.Writer
	format   Format
	n        int
	htmlSafe bool
	buf      []byte // the article being written, reused from one to the next
}

// maxKeptBuffer bounds the buffer an Encoder keeps between articles, so one
// huge article does not hold its size for the rest of the export.
const maxKeptBuffer = 1 << 20

// SetHTMLSafe makes the encoder escape <, > and & as \u003c, \u003e and
// \u0026, so the output can be inlined in an HTML <script> element. By
// default they are written as they are, which is what a reader of the
// export expects. U+2028 and U+2029 are escaped either way (they end a
// line in JavaScript before ES2019).
func (e *Encoder) SetHTMLSafe(on bool) { e.htmlSafe = on }

// NewEncoder returns an Encoder writing format to w.
func NewEncoder(w io.Writer, format Format) *Encoder {
	return &Encoder{w: bufio.NewWriterSize(w, 64<<10), format: format}
}

// Encode writes one article.
func (e *Encoder) Encode(a *Article) error {
	return e.write(appendArticle(e.buf[:0], a, e.htmlSafe))
}

// write writes one encoded article, b, which it then owns as its buffer.
// It stops at the first write error, so an export to a closed pipe ends
// there instead of encoding the rest of the archive.
func (e *Encoder) write(b []byte) error {
	if e.format == JSONArray {
		sep := ",\n"
		if e.n == 0 {
			sep = "[\n"
		}
		e.w.WriteString(sep) // an error sticks: Write below returns it
	}
	if e.format == JSONLines {
		b = append(b, '\n')
	}
	if cap(b) <= maxKeptBuffer {
		e.buf = b[:0]
	} else {
		e.buf = nil
	}
	if _, err := e.w.Write(b); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	e.n++
	return nil
}

// Count is the number of articles encoded so far.
func (e *Encoder) Count() int { return e.n }

// Close ends the JSON array (an empty one if nothing was encoded) and
// flushes. It does not close the underlying writer.
func (e *Encoder) Close() error {
	if e.format == JSONArray {
		if e.n == 0 {
			e.w.WriteString("[")
		}
		e.w.WriteString("\n]\n")
	}
	if err := e.w.Flush(); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	return nil
}
