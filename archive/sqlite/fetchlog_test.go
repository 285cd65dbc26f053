package sqlite

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsvault/newsvault/archive"
)

func logFetch(t *testing.T, s *Store, e archive.FetchLogEntry) archive.FetchLogEntry {
	t.Helper()
	if err := s.LogFetch(context.Background(), &e); err != nil {
		t.Fatalf("LogFetch %s: %v", e.URL, err)
	}
	return e
}

func fetchLog(t *testing.T, s *Store, runID int64, limit int) []archive.FetchLogEntry {
	t.Helper()
	got, err := s.FetchLog(context.Background(), runID, limit)
	if err != nil {
		t.Fatalf("FetchLog(%d, %d): %v", runID, limit, err)
	}
	return got
}

func TestFetchLogRoundTrip(t *testing.T) {
	s := openTest(t, "")
	ctx := context.Background()
	run, err := s.BeginRun(ctx, epoch)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte("<html>" + strings.Repeat("<div>", 1000) + "deep</html>")
	at := epoch.Add(time.Minute)
	in := []archive.FetchLogEntry{
		{RunID: run, URL: "https://example.com/loop", Reason: "fetch_failed", Status: 302, At: at,
			Error: "redirect loop: https://example.com/loop -> https://example.com/loop2 -> https://example.com/loop"},
		{RunID: run, URL: "https://example.com/deep", Reason: archive.ReasonParseFailed, Status: 200, At: at.Add(time.Second),
			Error: "page not parsed: html: open stack of elements exceeds 512 nodes", Body: body},
		{RunID: run, URL: "https://example.com/empty", Reason: archive.ReasonNoArticle, Status: 200, Body: []byte{}},
		// A body given with a reason whose bodies are not kept: only its
		// size and hash are.
		{RunID: run, URL: "https://example.com/doc.pdf", Reason: "skipped_content_type", Status: 200, Body: []byte("%PDF-1.7")},
		{URL: "https://example.com/outside-a-run", Reason: "address_blocked", Error: "address blocked"},
	}
	for i := range in {
		in[i] = logFetch(t, s, in[i])
		if in[i].ID == 0 {
			t.Fatalf("entry %d: no ID set", i)
		}
	}

	got := fetchLog(t, s, run, 0)
	if len(got) != 4 {
		t.Fatalf("run %d has %d entries, want 4: %+v", run, len(got), got)
	}
	for i, g := range got {
		w := in[i]
		if g.ID != w.ID || g.RunID != run || g.URL != w.URL || g.Reason != w.Reason || g.Status != w.Status || g.Error != w.Error {
			t.Errorf("entry %d = %+v, want %+v", i, g, w)
		}
	}
	if !got[0].At.Equal(at) || got[0].Body != nil || got[0].BodySize != 0 || got[0].BodySHA256 != "" {
		t.Errorf("fetch_failed entry: at %v, body %q (%d, %q); want %v and no body", got[0].At, got[0].Body, got[0].BodySize, got[0].BodySHA256, at)
	}
	if !bytes.Equal(got[1].Body, body) || got[1].BodySize != int64(len(body)) || got[1].BodySHA256 != sha256Hex(body) {
		t.Errorf("parse_failed body not kept byte for byte: %d bytes, size %d", len(got[1].Body), got[1].BodySize)
	}
	if got[2].Body == nil || len(got[2].Body) != 0 || got[2].BodySHA256 != sha256Hex(nil) {
		t.Errorf("empty no_article body: %#v, sha %q; want kept and empty", got[2].Body, got[2].BodySHA256)
	}
	if !got[2].At.Equal(epoch) {
		t.Errorf("zero At stored as %v, want the Store's clock %v", got[2].At, epoch)
	}
	if got[3].Body != nil || got[3].BodySize != 8 || got[3].BodySHA256 != sha256Hex([]byte("%PDF-1.7")) {
		t.Errorf("skipped_content_type: body %q, size %d; want none kept, size 8", got[3].Body, got[3].BodySize)
	}
	if n := count(t, s, `SELECT count(*) FROM fetch_log WHERE body_zstd IS NOT NULL`); n != 2 {
		t.Errorf("%d bodies stored, want 2 (parse_failed, no_article)", n)
	}

	outside := fetchLog(t, s, 0, 0)
	if len(outside) != 1 || outside[0].URL != in[4].URL || outside[0].RunID != 0 {
		t.Errorf("entries outside a run = %+v", outside)
	}
	if first := fetchLog(t, s, run, 2); len(first) != 2 || first[0].ID != in[0].ID || first[1].ID != in[1].ID {
		t.Errorf("limit 2 = %+v, want the first two logged", first)
	}
	if none := fetchLog(t, s, run+1, 0); len(none) != 0 {
		t.Errorf("unknown run has entries %+v", none)
	}
}

func TestFetchLogUnknownRun(t *testing.T) {
	s := openTest(t, "")
	err := s.LogFetch(context.Background(), &archive.FetchLogEntry{RunID: 42, URL: "https://example.com/", Reason: "fetch_failed"})
	if !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("LogFetch for run 42 that was never begun: %v, want ErrNotFound", err)
	}
}

// A hostile server must not be able to bloat the archive through the fetch
// log: a body over MaxLoggedBody is not kept, not even in part.
func TestFetchLogBodyCap(t *testing.T) {
	s := openTest(t, "")
	// Random bytes do not compress: what is stored is what the cap let in.
	r := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	atCap, overCap := random(archive.MaxLoggedBody), random(archive.MaxLoggedBody+1)
	logFetch(t, s, archive.FetchLogEntry{URL: "https://example.com/at-cap", Reason: archive.ReasonParseFailed, Body: atCap})
	logFetch(t, s, archive.FetchLogEntry{URL: "https://example.com/over-cap", Reason: archive.ReasonParseFailed, Body: overCap})
	// 10 MiB of one byte compresses to almost nothing, and is still refused:
	// the cap is on the raw size, which is what reading it back costs.
	logFetch(t, s, archive.FetchLogEntry{URL: "https://example.com/bomb", Reason: archive.ReasonNoArticle, Body: bytes.Repeat([]byte("<"), 10<<20)})

	got := fetchLog(t, s, 0, 0)
	if len(got) != 3 {
		t.Fatalf("%d entries, want 3", len(got))
	}
	if !bytes.Equal(got[0].Body, atCap) {
		t.Errorf("a body of exactly MaxLoggedBody was not kept intact (%d bytes back)", len(got[0].Body))
	}
	for _, e := range got[1:] {
		if e.Body != nil {
			t.Errorf("%s: %d bytes kept of a body over the cap", e.URL, len(e.Body))
		}
	}
	if got[1].BodySize != archive.MaxLoggedBody+1 || got[1].BodySHA256 != sha256Hex(overCap) || got[2].BodySize != 10<<20 {
		t.Errorf("sizes of refused bodies: %d, %d; want them recorded", got[1].BodySize, got[2].BodySize)
	}
	var stored int
	if err := s.read.QueryRow(`SELECT coalesce(sum(length(body_zstd)), 0) FROM fetch_log`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored > archive.MaxLoggedBody+archive.MaxLoggedBody/100 {
		t.Errorf("%d compressed bytes stored for one body at the cap and two over it", stored)
	}
}

// Text is stored as every other string: valid UTF-8 without NUL, and
// bounded, so a redirect chain of huge URLs stays a reasonable row.
func TestFetchLogSanitised(t *testing.T) {
	s := openTest(t, "")
	long := "https://example.com/" + strings.Repeat("я", archive.MaxLoggedURL) // 2 bytes per rune
	logFetch(t, s, archive.FetchLogEntry{
		URL:    "https://example.com/\xff\xfe\x00nul",
		Reason: "fetch_failed\x00",
		Error:  "bad \xc3\x28 bytes\x00 and NUL",
	})
	logFetch(t, s, archive.FetchLogEntry{URL: long, Reason: "fetch_failed", Error: strings.Repeat(long+" -> ", 10)})
	got := fetchLog(t, s, 0, 0)
	if got[0].URL != "https://example.com/\uFFFDnul" || got[0].Reason != "fetch_failed" || got[0].Error != "bad \uFFFD( bytes and NUL" {
		t.Errorf("stored %q %q %q", got[0].URL, got[0].Reason, got[0].Error)
	}
	for _, e := range got {
		for _, text := range []string{e.URL, e.Reason, e.Error} {
			if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
				t.Errorf("stored text %q is not clean", text)
			}
		}
	}
	if u, msg := got[1].URL, got[1].Error; len(u) > archive.MaxLoggedURL || len(msg) > archive.MaxLoggedError ||
		!strings.HasSuffix(u, "…") || !strings.HasSuffix(msg, "…") || !strings.HasPrefix(msg, long[:100]) {
		t.Errorf("long URL and error stored as %d and %d bytes, want at most %d and %d, cut with …",
			len(u), len(msg), archive.MaxLoggedURL, archive.MaxLoggedError)
	}
}

func TestFetchLogCorruptBody(t *testing.T) {
	s := openTest(t, "")
	e := logFetch(t, s, archive.FetchLogEntry{URL: "https://example.com/x", Reason: archive.ReasonParseFailed, Body: []byte("<p>body</p>")})
	if _, err := s.write.Exec(`UPDATE fetch_log SET body_sha256 = ? WHERE id = ?`, sha256Hex([]byte("other")), e.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FetchLog(context.Background(), 0, 0); !errors.Is(err, ErrCorrupt) {
		t.Errorf("a body that does not match its hash: %v, want ErrCorrupt", err)
	}
}
