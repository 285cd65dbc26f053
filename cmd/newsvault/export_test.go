package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/archive/sqlite"
)

// saveArticles archives articles into a new archive at db.
func saveArticles(t *testing.T, db string, articles ...archive.Article) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range articles {
		a := &articles[i]
		c := &archive.Capture{URL: a.URL, FinalURL: a.URL, Status: 200, FetchedAt: time.Date(2026, 11, 25, 10, 0, i, 0, time.UTC), Body: []byte("<p>x</p>")}
		if _, err := s.Save(ctx, c, a); err != nil {
			t.Fatal(err)
		}
	}
}

// fillArchive writes n articles straight into a new archive's tables in
// one transaction: Save would take minutes for 100,000.
func fillArchive(t *testing.T, db string, n int) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	d, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	tx, err := d.Begin()
	if err != nil {
		t.Fatal(err)
	}
	const now = "2026-11-25T10:00:00.000000000Z"
	text := strings.Repeat("The council met on Tuesday and approved the budget. ", 10)
	for i := 1; i <= n; i++ {
		u := fmt.Sprintf("https://example.com/news/%d", i)
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO captures (id, url, final_url, status, fetched_at, etag, last_modified, content_type, charset, charset_source, body_sha256, raw_size, body_zstd)
				VALUES (?, ?, ?, 200, ?, '', '', 'text/html', 'utf-8', 'header', '', 0, x'')`, []any{i, u, u, now}},
			{`INSERT INTO articles (id, key, site, first_seen_at, latest_version, etag, last_modified, last_fetched_at)
				VALUES (?, ?, 'example.com', ?, 1, '', '', ?)`, []any{i, u, now, now}},
			{`INSERT INTO versions (article_id, version, capture_id, fingerprint, content_sha256, first_seen_at, last_confirmed_at,
				published_at, published_utc, modified_at, modified_utc, url, canonical_url, site, language, title, authors, tags, image_url, description, text)
				VALUES (?, 1, ?, '', '', ?, ?, '', NULL, '', NULL, ?, ?, 'example.com', 'en', ?, '[]', '[]', '', '', ?)`,
				[]any{i, i, now, now, u, u, fmt.Sprintf("Story %d", i), text}},
		} {
			if _, err := tx.Exec(q.sql, q.args...); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func sha(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

// jsonlLines counts the lines of a JSON Lines export, failing the test
// when one does not parse.
func jsonlLines(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var a archive.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%s line %d: %v", path, n+1, err)
		}
		n++
	}
	return n
}

// T26: an exporter SIGKILLed anywhere leaves the previous file or the
// complete new one; the next successful export leaves no temp file; a full
// export of 100,000 articles streams in bounded memory.
func TestExportAtomicAndStreaming(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 articles and child processes")
	}
	rows := 100_000
	if raceEnabled {
		rows = 20_000
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")
	fillArchive(t, db, rows)
	outDir := mkdirAll(t, dir, "out")
	out := filepath.Join(outDir, "articles.jsonl")

	// The previous export: the JSON array form, so its bytes differ from
	// any JSON Lines export.
	if code, _, errOut := newsvault(t, &env{}, "export", "--db", db, "--format", "json", "--site", "example.com", "-o", out); code != exitOK {
		t.Fatalf("first export: exit %d\n%s", code, errOut)
	}
	previous := sha(t, out)

	full := startNewsvault(t, nil, []string{helperRSS + "=1"}, "export", "--db", db, "-o", out+".full")
	if code := full.wait(t, 2*time.Minute); code != exitOK {
		t.Fatalf("full export: exit %d\n%s", code, full.stderr.String())
	}
	took := time.Since(full.started)
	growth := rssGrowth(t, full.stderr.String())
	if growth >= 64<<20 {
		t.Errorf("full export of %d articles grew RSS by %d MiB, want < 64", rows, growth>>20)
	}
	if n := jsonlLines(t, out+".full"); n != rows {
		t.Fatalf("full export has %d lines, want %d", n, rows)
	}
	t.Logf("full export: %s, RSS growth %.1f MiB", took.Round(time.Millisecond), float64(growth)/(1<<20))

	r := rand.New(rand.NewPCG(26, 26))
	replaced := 0
	for i := range 10 {
		at := time.Duration(r.Int64N(int64(took)))
		c := startNewsvault(t, nil, nil, "export", "--db", db, "-o", out)
		select {
		case <-time.After(time.Until(c.started.Add(at))):
			c.cmd.Process.Signal(syscall.SIGKILL)
		case <-c.done:
		}
		c.wait(t, time.Minute)
		if got := sha(t, out); got != previous {
			if n := jsonlLines(t, out); n != rows {
				t.Fatalf("kill %d at %s: %s changed and has %d lines, not %d", i, at, out, n, rows)
			}
			previous = got
			replaced++
		}
	}
	t.Logf("10 kills: the old file kept %d times, replaced by a complete export %d times", 10-replaced, replaced)
	if code, _, errOut := newsvault(t, &env{}, "export", "--db", db, "-o", out); code != exitOK {
		t.Fatalf("export after the kills: exit %d\n%s", code, errOut)
	}
	entries, _ := os.ReadDir(outDir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"articles.jsonl", "articles.jsonl.full"}; !slices.Equal(names, want) {
		t.Errorf("export directory holds %q, want %q (temp files left?)", names, want)
	}
}

// T32: nothing an article holds chooses a file name. newsvault exports to
// the one file -o names (per-article files do not exist), its temp file
// beside it; hostile URLs, titles and sites leave no trace in the tree.
func TestExportPathTraversal(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")
	var articles []archive.Article
	for i, name := range []string{"../../etc/x", "/abs/path", `..\..\win`, "CON", "a/../../b", "nul\x00byte",
		strings.Repeat("n", 300), "rtl\u202Eexe.txt"} {
		articles = append(articles, archive.Article{
			URL: fmt.Sprintf("https://example.com/%d/%s", i, name), Site: name, Title: name,
			Text: "text " + name, Tags: []string{name}, Authors: []string{name},
		})
	}
	saveArticles(t, db, articles...)
	exportDir := mkdirAll(t, dir, "export")
	listing := func(root string) []string {
		var paths []string
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			paths = append(paths, p)
			return nil
		})
		return paths
	}
	parent := listing(filepath.Dir(dir))
	for _, args := range [][]string{{}, {"--site", "../../etc/x"}, {"--format", "json"}} {
		code, _, errOut := newsvault(t, &env{}, append([]string{"export", "--db", db, "-o", filepath.Join(exportDir, "out.jsonl")}, args...)...)
		if code != exitOK {
			t.Fatalf("export %q: exit %d\n%s", args, code, errOut)
		}
	}
	if got := listing(exportDir); !slices.Equal(got, []string{exportDir, filepath.Join(exportDir, "out.jsonl")}) {
		t.Errorf("export directory holds %q, want out.jsonl alone", got)
	}
	root, err := os.OpenRoot(exportDir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if _, err := root.Stat("out.jsonl"); err != nil {
		t.Errorf("out.jsonl not inside the export root: %v", err)
	}
	want := append(parent, filepath.Join(exportDir, "out.jsonl"))
	slices.Sort(want)
	if got := listing(filepath.Dir(dir)); !slices.Equal(got, want) {
		t.Errorf("the tree changed beyond out.jsonl:\n%q\n%q", want, got)
	}
}

// T34: hostile strings survive the export: it parses with a strict
// decoder and reads back as stored (invalid bytes as U+FFFD, NUL dropped,
// both at storage); --html-safe leaves no raw <, U+2028 or U+2029.
func TestExportJSONEscaping(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")
	big := strings.Repeat("долгий текст 🦀 ", 1<<20/24)
	raw := []string{
		"</script><script>alert(1)</script>", "line\u2028sep\u2029para", "bad \xff\xfe utf-8 \xc0", "nul\x00byte",
		"emoji 🦀👩‍👩‍👧 ok", big, "<!-- & -->",
	}
	var articles []archive.Article
	for i, s := range raw {
		articles = append(articles, archive.Article{URL: fmt.Sprintf("https://example.com/%d", i), Site: "example.com", Title: s, Text: s, Tags: []string{s}})
	}
	saveArticles(t, db, articles...)

	for _, htmlSafe := range []bool{false, true} {
		args := []string{"export", "--db", db}
		if htmlSafe {
			args = append(args, "--html-safe")
		}
		code, out, errOut := newsvault(t, &env{}, args...)
		if code != exitOK {
			t.Fatalf("export %q: exit %d\n%s", args, code, errOut)
		}
		if !utf8.ValidString(out) {
			t.Errorf("html-safe=%v: the export is not valid UTF-8", htmlSafe)
		}
		if strings.ContainsAny(out, "\u2028\u2029\x00") {
			t.Errorf("html-safe=%v: a raw U+2028, U+2029 or NUL in the export", htmlSafe)
		}
		if htmlSafe && strings.ContainsAny(out, "<>&") {
			t.Errorf("html-safe export holds a raw <, > or &")
		}
		dec := json.NewDecoder(strings.NewReader(out))
		dec.DisallowUnknownFields()
		got := map[string]string{}
		for {
			var (
				a archive.Article
				m map[string]any
			)
			if err := dec.Decode(&m); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("html-safe=%v: strict decode: %v", htmlSafe, err)
			}
			b, _ := json.Marshal(m)
			if err := json.Unmarshal(b, &a); err != nil {
				t.Fatal(err)
			}
			got[a.URL] = a.Text
			if a.Title != a.Text || a.Tags[0] != a.Text {
				t.Errorf("title/tags differ from the text for %s", a.URL)
			}
		}
		for i, s := range raw {
			want := archive.CleanString(s)
			if g := got[fmt.Sprintf("https://example.com/%d", i)]; g != want {
				t.Errorf("html-safe=%v: article %d reads back as %q..., want %q...", htmlSafe, i, trunc(g), trunc(want))
			}
		}
	}
	if !bytes.Equal([]byte(archive.CleanString(raw[2])), []byte("bad \uFFFD utf-8 \uFFFD")) || archive.CleanString(raw[3]) != "nulbyte" {
		t.Errorf("CleanString: %q, %q", archive.CleanString(raw[2]), archive.CleanString(raw[3]))
	}
}

func trunc(s string) string {
	if len(s) > 40 {
		return s[:40]
	}
	return s
}
