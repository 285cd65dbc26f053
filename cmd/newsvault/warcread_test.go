package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/base32"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// This file holds a second WARC implementation, shared by nothing in the
// program: a strict reader of the WARC 1.1 grammar that checks what the
// export writes with gowarc, and a writer of hand-made records for the
// import tests. Keeping it independent is the point: a bug in gowarc (or in
// our use of it) cannot hide from both.

// strictRecord is one record as the strict reader parsed it.
type strictRecord struct {
	fields map[string][]string // canonical (lower-case) name -> values
	block  []byte
}

func (r *strictRecord) get(name string) string {
	if v := r.fields[strings.ToLower(name)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

var (
	// WARC 1.1 section 4: field-name is an HTTP token.
	tokenRE    = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
	recordIDRE = regexp.MustCompile(`^<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}>$`)
	sha1B32RE  = regexp.MustCompile(`^sha1:[A-Z2-7]{32}$`)
)

// readStrictWARC parses a .warc.gz in which every record is one gzip
// member, checking the grammar, the mandatory fields, Content-Length and
// the SHA-1 block and payload digests. It fails the test on any deviation.
func readStrictWARC(t *testing.T, data []byte) []strictRecord {
	t.Helper()
	br := bytes.NewReader(data)
	var recs []strictRecord
	for br.Len() > 0 {
		offset := int64(len(data)) - int64(br.Len())
		zr, err := gzip.NewReader(br)
		if err != nil {
			t.Fatalf("record at %d: not a gzip member: %v", offset, err)
		}
		zr.Multistream(false) // one member must hold exactly one record
		member, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("record at %d: gunzip: %v", offset, err)
		}
		rec, rest, err := parseStrictRecord(member)
		if err != nil {
			t.Fatalf("record at %d: %v", offset, err)
		}
		if len(rest) != 0 {
			t.Fatalf("record at %d: %d bytes after the record in its gzip member", offset, len(rest))
		}
		recs = append(recs, rec)
	}
	return recs
}

func parseStrictRecord(b []byte) (strictRecord, []byte, error) {
	rec := strictRecord{fields: map[string][]string{}}
	line, b, ok := bytes.Cut(b, []byte("\r\n"))
	if !ok || string(line) != "WARC/1.1" {
		return rec, nil, fmt.Errorf("version line %q, want WARC/1.1", line)
	}
	for {
		line, b, ok = bytes.Cut(b, []byte("\r\n"))
		if !ok {
			return rec, nil, fmt.Errorf("header not terminated by CRLF")
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !tokenRE.Match(name) {
			return rec, nil, fmt.Errorf("bad header line %q", line)
		}
		if bytes.ContainsAny(value, "\r\n") {
			return rec, nil, fmt.Errorf("bare CR or LF in %q", line)
		}
		key := strings.ToLower(string(name))
		rec.fields[key] = append(rec.fields[key], strings.TrimSpace(string(value)))
	}
	for _, f := range []string{"WARC-Record-ID", "Content-Length", "WARC-Date", "WARC-Type"} {
		if len(rec.fields[strings.ToLower(f)]) != 1 {
			return rec, nil, fmt.Errorf("mandatory field %s: %q", f, rec.fields[strings.ToLower(f)])
		}
	}
	if id := rec.get("WARC-Record-ID"); !recordIDRE.MatchString(id) {
		return rec, nil, fmt.Errorf("WARC-Record-ID %q is not a <urn:uuid:...>", id)
	}
	if _, err := time.Parse(time.RFC3339Nano, rec.get("WARC-Date")); err != nil || !strings.HasSuffix(rec.get("WARC-Date"), "Z") {
		return rec, nil, fmt.Errorf("WARC-Date %q is not a UTC W3C-ISO8601 date", rec.get("WARC-Date"))
	}
	n, err := strconv.ParseInt(rec.get("Content-Length"), 10, 64)
	if err != nil || n < 0 || int64(len(b)) < n+4 {
		return rec, nil, fmt.Errorf("Content-Length %q with %d bytes left", rec.get("Content-Length"), len(b))
	}
	rec.block, b = b[:n], b[n:]
	if !bytes.HasPrefix(b, []byte("\r\n\r\n")) {
		return rec, nil, fmt.Errorf("record not ended by CRLF CRLF after Content-Length bytes")
	}
	if d := rec.get("WARC-Block-Digest"); d == "" || d != sha1Digest(rec.block) {
		return rec, nil, fmt.Errorf("WARC-Block-Digest %q, computed %s", d, sha1Digest(rec.block))
	}
	if d := rec.get("WARC-Payload-Digest"); d != "" {
		_, payload, ok := bytes.Cut(rec.block, []byte("\r\n\r\n"))
		if !ok || d != sha1Digest(payload) {
			return rec, nil, fmt.Errorf("WARC-Payload-Digest %q, computed %s", d, sha1Digest(payload))
		}
	}
	for _, name := range []string{"WARC-Block-Digest", "WARC-Payload-Digest"} {
		if d := rec.get(name); d != "" && !sha1B32RE.MatchString(d) {
			return rec, nil, fmt.Errorf("%s %q is not sha1:<base32>", name, d)
		}
	}
	return rec, b[4:], nil
}

func sha1Digest(b []byte) string {
	sum := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}

// handRecord is one record of a hand-made WARC.
type handRecord struct {
	typ, uri, date string
	block          string // for response and revisit: the HTTP message
}

// writeHandWARC writes recs as a gzip-per-record WARC 1.0 file (the version
// most crawlers still write), the way wget or warcprox do, and returns its
// path and each record's offset.
func writeHandWARC(t *testing.T, path string, recs []handRecord) []int64 {
	t.Helper()
	var (
		out     bytes.Buffer
		offsets []int64
	)
	for i, r := range recs {
		offsets = append(offsets, int64(out.Len()))
		var b bytes.Buffer
		fmt.Fprintf(&b, "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n", r.typ, i)
		fmt.Fprintf(&b, "WARC-Date: %s\r\n", r.date)
		if r.uri != "" {
			fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", r.uri)
		}
		ct := "application/http; msgtype=response"
		switch r.typ {
		case "warcinfo":
			ct = "application/warc-fields"
		case "revisit":
			fmt.Fprintf(&b, "WARC-Profile: http://netpreserve.org/warc/1.0/revisit/identical-payload-digest\r\n")
		}
		fmt.Fprintf(&b, "Content-Type: %s\r\nWARC-Block-Digest: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
			ct, sha1Digest([]byte(r.block)), len(r.block), r.block)
		zw := gzip.NewWriter(&out)
		zw.Write(b.Bytes())
		zw.Close()
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return offsets
}

// httpResponse renders an HTTP/1.1 response with the given headers.
func httpResponse(status int, headers []string, body string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(body), body)
	return b.String()
}

// parseHTTP parses a response block as a client would.
func parseHTTP(t *testing.T, block []byte) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(block)), nil)
	if err != nil {
		t.Fatalf("response block: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("response body: %v", err)
	}
	return resp, body
}
