package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/newsvault/newsvault/archive/sqlite"
)

const ruText = "Совет депутатов во вторник утвердил бюджет района после долгого обсуждения дорог, школ и парков. " +
	"Глава района сказал, что работы начнутся весной и закончатся до конца следующего года."

func articlePage(title, text string) string {
	return `<!DOCTYPE html><html><head><title>` + title + `</title><meta property="og:type" content="article">` +
		`<meta property="article:published_time" content="2026-11-20T10:00:00+03:00"></head><body><article><h1>` +
		title + `</h1><p>` + text + `</p><p>` + text + `</p><p>` + text + `</p></article></body></html>`
}

// handMadeWARC is a crawler's WARC: a warcinfo, two versions of one page
// written newest first, a revisit, a 404, a PDF, and a windows-1251 page
// whose header names no charset and whose markup has no <meta charset>.
func handMadeWARC(t *testing.T, path string) []int64 {
	t.Helper()
	cp1251, err := charmap.Windows1251.NewEncoder().String(articlePage("Бюджет района утверждён", ruText))
	if err != nil {
		t.Fatal(err)
	}
	en := "The council met on Tuesday and approved the district budget after a long debate about roads, schools and parks."
	return writeHandWARC(t, path, []handRecord{
		{typ: "warcinfo", date: "2026-11-25T09:00:00Z", block: "software: Wget/1.21.4\r\nformat: WARC File Format 1.0\r\n"},
		{typ: "response", uri: "https://news.example/story", date: "2026-11-25T11:00:00Z",
			block: httpResponse(200, []string{"Content-Type: text/html; charset=utf-8", `ETag: "v2"`}, articlePage("Budget passed", en+" Updated: the vote was 12 to 3."))},
		{typ: "response", uri: "https://news.example/story", date: "2026-11-25T10:00:00Z",
			block: httpResponse(200, []string{"Content-Type: text/html; charset=utf-8", `ETag: "v1"`}, articlePage("Budget passed", en))},
		{typ: "revisit", uri: "https://news.example/story", date: "2026-11-25T12:00:00Z",
			block: "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"},
		{typ: "response", uri: "https://news.example/gone", date: "2026-11-25T10:01:00Z",
			block: httpResponse(404, []string{"Content-Type: text/html"}, "<html><body><h1>Not found</h1></body></html>")},
		{typ: "response", uri: "https://news.example/report.pdf", date: "2026-11-25T10:02:00Z",
			block: httpResponse(200, []string{"Content-Type: application/pdf"}, "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")},
		{typ: "response", uri: "https://ru.example/news/1", date: "2026-11-25T10:03:00Z",
			block: httpResponse(200, []string{"Content-Type: text/html"}, cp1251)},
	})
}

func TestImportHandMadeWARC(t *testing.T) {
	dir := t.TempDir()
	warc := filepath.Join(dir, "crawl.warc.gz")
	handMadeWARC(t, warc)
	db := filepath.Join(dir, "news.db")
	code, _, errOut := newsvault(t, &env{}, "import", "--db", db, warc)
	want := "imported 3 (new 2, updated 1), unchanged 0, already archived 0, skipped 3 (revisit 1, not 200 1, not HTML 1, not an article 0), failed 0"
	if code != exitOK || !strings.Contains(errOut, want) {
		t.Fatalf("import: exit %d\n%s\nwant %q", code, errOut, want)
	}
	arts := exportAll(t, db)
	ru, ok := arts["https://ru.example/news/1"]
	if !ok || ru.Title != "Бюджет района утверждён" || !strings.Contains(ru.Text, "Совет депутатов во вторник") {
		t.Errorf("windows-1251 page: %+v", ru)
	}
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.LatestCapture(context.Background(), "https://ru.example/news/1")
	if err != nil || c.Charset != "windows-1251" || c.CharsetSource != "sniffed" || c.ContentType != "text/html" {
		t.Errorf("windows-1251 capture: charset %q from %q, content type %q, %v", c.Charset, c.CharsetSource, c.ContentType, err)
	}
	// Versions follow WARC-Date, not the order of the file.
	vs, err := s.Versions(context.Background(), "https://news.example/story")
	if err != nil || len(vs) != 2 || strings.Contains(vs[0].Text, "Updated") || !strings.Contains(vs[1].Text, "12 to 3") {
		t.Errorf("story versions: %d, %v", len(vs), err)
	}
}

func TestImportTruncatedWARC(t *testing.T) {
	dir := t.TempDir()
	warc := filepath.Join(dir, "crawl.warc.gz")
	offsets := handMadeWARC(t, warc)
	data, err := os.ReadFile(warc)
	if err != nil {
		t.Fatal(err)
	}
	// Cut the file in the middle of the 404's record (the fifth).
	cut := (offsets[4] + offsets[5]) / 2
	if err := os.WriteFile(warc, data[:cut], 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "news.db")
	code, _, errOut := newsvault(t, &env{}, "import", "--db", db, warc)
	if want := fmt.Sprintf("record at offset %d: unexpected EOF", offsets[4]); code != exitError || !strings.Contains(errOut, want) {
		t.Fatalf("import of a truncated WARC: exit %d\n%s", code, errOut)
	}
	if arts := exportAll(t, db); len(arts) != 1 {
		t.Errorf("%d articles kept, want the 1 before the damage", len(arts))
	}
}
