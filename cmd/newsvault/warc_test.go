package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsvault/newsvault/archive/sqlite"
)

// TestWARCRoundTrip crawls a loopback agency into archive A (one article
// edited between two runs), exports every capture as WARC, checks the file
// with the independent strict reader, imports it into an empty archive B
// and finds the same articles and versions there; a second import adds
// nothing.
func TestWARCRoundTrip(t *testing.T) {
	site := newAgency(t, "a.example", 3)
	dir := t.TempDir()
	cfg, dbA := writeConfig(t, dir, "", site)
	e := &env{transport: agencyTransport(t, site)}
	if code, _, errOut := newsvault(t, e, "run", "--config", cfg); code != exitOK {
		t.Fatalf("run: exit %d\n%s", code, errOut)
	}
	site.edit(2, "Story 2 was corrected. The council met on Wednesday, not Tuesday, and approved the budget after a long debate about roads.")
	if code, _, errOut := newsvault(t, e, "run", "--config", cfg); code != exitOK {
		t.Fatalf("second run: exit %d\n%s", code, errOut)
	}

	out := filepath.Join(dir, "news.warc.gz")
	code, stdout, errOut := newsvault(t, &env{}, "export", "--config", cfg, "--format", "warc", "--operator", "Test Operator", "-o", out)
	if code != exitOK || stdout != "" || !strings.Contains(errOut, "exported 4 captures (9 WARC records)") {
		t.Fatalf("export: exit %d, stdout %q, stderr %s", code, stdout, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	checkExportedWARC(t, data, dbA)

	dbB := filepath.Join(dir, "b.db")
	code, _, errOut = newsvault(t, &env{}, "import", "--db", dbB, out)
	if code != exitOK || !strings.Contains(errOut, "imported 4 (new 3, updated 1), unchanged 0, already archived 0, skipped 0") {
		t.Fatalf("import: exit %d\n%s", code, errOut)
	}
	sameArchives(t, dbA, dbB)
	// Imported versions say so in their provenance, with the extraction rules.
	d := openDB(t, dbB)
	imported := queryInt(t, d, `SELECT count(*) FROM versions WHERE cause = 'import'`)
	withRules := queryInt(t, d, `SELECT count(*) FROM provenance WHERE title_rule <> ''`)
	d.Close()
	if imported != 4 || withRules != 4 {
		t.Errorf("%d versions with cause import and %d with provenance rules, want 4 and 4", imported, withRules)
	}

	code, _, errOut = newsvault(t, &env{}, "import", "--db", dbB, out)
	if code != exitOK || !strings.Contains(errOut, "imported 0 (new 0, updated 0), unchanged 0, already archived 4") {
		t.Fatalf("second import: exit %d\n%s", code, errOut)
	}
	sameArchives(t, dbA, dbB)
}

// checkExportedWARC reads the export with the strict reader: warcinfo
// first, then a request and a response per capture, linked both ways,
// oldest first, with the stored body as the payload.
func checkExportedWARC(t *testing.T, data []byte, db string) {
	t.Helper()
	recs := readStrictWARC(t, data)
	if len(recs) != 9 {
		t.Fatalf("%d records, want 9", len(recs))
	}
	info := recs[0]
	if info.get("WARC-Type") != "warcinfo" || info.get("Content-Type") != "application/warc-fields" ||
		info.get("WARC-Filename") != "news.warc.gz" {
		t.Errorf("first record: %v", info.fields)
	}
	for _, want := range []string{"software: newsvault/", "format: WARC File Format 1.1", "operator: Test Operator", "reconstructed"} {
		if !bytes.Contains(info.block, []byte(want)) {
			t.Errorf("warcinfo lacks %q:\n%s", want, info.block)
		}
	}
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	lastDate := ""
	for i := 1; i < len(recs); i += 2 {
		req, resp := recs[i], recs[i+1]
		if req.get("WARC-Type") != "request" || resp.get("WARC-Type") != "response" {
			t.Fatalf("records %d, %d: %s, %s; want request, response", i, i+1, req.get("WARC-Type"), resp.get("WARC-Type"))
		}
		if req.get("WARC-Concurrent-To") != resp.get("WARC-Record-ID") || resp.get("WARC-Concurrent-To") != req.get("WARC-Record-ID") {
			t.Errorf("records %d, %d are not linked by WARC-Concurrent-To", i, i+1)
		}
		if req.get("WARC-Warcinfo-ID") != info.get("WARC-Record-ID") {
			t.Errorf("record %d: WARC-Warcinfo-ID %q", i, req.get("WARC-Warcinfo-ID"))
		}
		uri := resp.get("WARC-Target-URI")
		if req.get("WARC-Target-URI") != uri || !strings.HasPrefix(uri, "http://a.example/news/") {
			t.Errorf("records %d, %d: target URIs %q, %q", i, i+1, req.get("WARC-Target-URI"), uri)
		}
		if d := resp.get("WARC-Date"); d < lastDate || req.get("WARC-Date") != d {
			t.Errorf("record %d: WARC-Date %s after %s, request's %s", i+1, d, lastDate, req.get("WARC-Date"))
		} else {
			lastDate = d
		}
		if req.get("Content-Type") != "application/http;msgtype=request" || resp.get("Content-Type") != "application/http;msgtype=response" {
			t.Errorf("records %d, %d: Content-Types %q, %q", i, i+1, req.get("Content-Type"), resp.get("Content-Type"))
		}
		path := strings.TrimPrefix(uri, "http://a.example")
		if want := "GET " + path + " HTTP/1.1\r\nHost: a.example\r\nUser-Agent: newsvault/"; !bytes.HasPrefix(req.block, []byte(want)) {
			t.Errorf("request block:\n%s\nwant it to start %q", req.block, want)
		}
		r, body := parseHTTP(t, resp.block)
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "text/html; charset=utf-8" ||
			r.Header.Get("Last-Modified") != lastModified || r.Header.Get("ETag") == "" {
			t.Errorf("response %d: %s %v", i+1, r.Status, r.Header)
		}
		if resp.get("WARC-Payload-Digest") != sha1Digest(body) || !bytes.Contains(body, []byte("<article><h1>Story")) {
			t.Errorf("response %d: payload digest %s, body %.80q", i+1, resp.get("WARC-Payload-Digest"), body)
		}
	}
	// The last capture is the edit, whose body is the latest one stored.
	last := recs[len(recs)-1]
	c, err := s.LatestCapture(context.Background(), last.get("WARC-Target-URI"))
	if err != nil {
		t.Fatal(err)
	}
	if _, body := parseHTTP(t, last.block); !bytes.Equal(body, c.Body) || !bytes.Contains(body, []byte("corrected")) {
		t.Errorf("last response's payload is not the stored body of the edit")
	}
}

// sameArchives compares every version of every article of two archives.
func sameArchives(t *testing.T, dbA, dbB string) {
	t.Helper()
	ctx := context.Background()
	a, b := exportAll(t, dbA), exportAll(t, dbB)
	if len(a) != 3 || len(b) != len(a) {
		t.Fatalf("%d articles in A, %d in B; want 3 in both", len(a), len(b))
	}
	sa, err := sqlite.Open(ctx, dbA)
	if err != nil {
		t.Fatal(err)
	}
	defer sa.Close()
	sb, err := sqlite.Open(ctx, dbB)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	for key := range a {
		va, err := sa.Versions(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		vb, err := sb.Versions(ctx, key)
		if err != nil {
			t.Errorf("B: %v", err)
			continue
		}
		if len(va) != len(vb) {
			t.Errorf("%s: %d versions in A, %d in B", key, len(va), len(vb))
			continue
		}
		for i := range va {
			x, y := va[i], vb[i]
			if x.Title != y.Title || x.Text != y.Text || x.ContentSHA256 != y.ContentSHA256 || x.Version != y.Version ||
				!x.PublishedAt.Equal(y.PublishedAt) || !x.FetchedAt.Equal(y.FetchedAt) || x.Key() != y.Key() {
				t.Errorf("%s version %d differs:\n A %+v\n B %+v", key, i+1, x, y)
			}
		}
	}
}
