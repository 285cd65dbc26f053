package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/newsvault/newsvault/archive"
)

// titleProfile is the built-in Inforos profile with another title
// selector, as a user fixing a site's profile would write it: it matches
// only on the English article that has related news.
const titleProfile = `sites:
  - name: inforos
    hosts: [inforos.ru]
    article_urls:
      - '^/(?:[a-z]{2}/)?\?(?:[^#]*&)?module=news&(?:[^#]*&)?action=view&(?:[^#]*&)?id=\d+'
    title: .related__title
    body: .news-detail__text, .news_text
    remove: [.rating, .share, .typo-popup, .comments]
    published: .news-detail__info .date, .news_date
    tags: .news-detail__tags a
    utc_offset: '+03:00'
`

// crawledInforos crawls the loopback Inforos site into a new archive.
func crawledInforos(t *testing.T) (db string) {
	t.Helper()
	site := newAgencySite(t)
	db = filepath.Join(t.TempDir(), "news.db")
	code, _, errOut := newsvault(t, &env{transport: site.transport()}, "crawl", "--db", db, "--delay", "0", "http://"+siteHost+"/en/")
	if code != exitOK {
		t.Fatalf("crawl exit %d:\n%s", code, errOut)
	}
	return db
}

// versionRows lists every version as "key v<version> <cause> capture=<id>".
func versionRows(t *testing.T, db string) []string {
	t.Helper()
	d := openDB(t, db)
	rows, err := d.Query(`SELECT a.key, v.version, v.cause, v.capture_id FROM versions v
		JOIN articles a ON a.id = v.article_id ORDER BY a.key, v.version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var (
			key, cause     string
			version, capID int
		)
		if err := rows.Scan(&key, &version, &cause, &capID); err != nil {
			t.Fatal(err)
		}
		out = append(out, key+" v"+strconv.Itoa(version)+" "+cause+" capture="+strconv.Itoa(capID))
	}
	return out
}

func TestReextractAfterProfileChange(t *testing.T) {
	db := crawledInforos(t)
	before := versionRows(t, db)
	if len(before) != 3 {
		t.Fatalf("crawl archived %v, want 3 versions", before)
	}
	english := archive.NormalizeURL(inforosArticle)

	// The same profiles: nothing changes.
	code, out, errOut := newsvault(t, &env{}, "reextract", "--db", db)
	if code != exitOK || out != "" || !strings.Contains(errOut, "checked 3, changed 0, unchanged 3, failed 0") {
		t.Fatalf("unchanged reextract: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	if got := versionRows(t, db); !slices.Equal(got, before) {
		t.Fatalf("unchanged reextract wrote versions: %v", got)
	}

	profile := filepath.Join(t.TempDir(), "sites.yaml")
	if err := os.WriteFile(profile, []byte(titleProfile), 0o644); err != nil {
		t.Fatal(err)
	}
	// --dry-run names the affected article and writes nothing.
	code, out, errOut = newsvault(t, &env{}, "reextract", "--db", db, "--selectors", profile, "--dry-run")
	if code != exitOK || out != english+"\n" || !strings.Contains(errOut, "checked 3, changed 1, unchanged 2, failed 0") {
		t.Fatalf("dry run: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	if got := versionRows(t, db); !slices.Equal(got, before) {
		t.Fatalf("dry run wrote versions: %v", got)
	}

	// For real: exactly the affected article gets version 2, a
	// re-extraction pointing at the capture of version 1.
	code, out, errOut = newsvault(t, &env{}, "reextract", "--db", db, "--selectors", profile, "--site", "inforos.ru")
	if code != exitOK || out != english+"\n" || !strings.Contains(errOut, "changed 1") {
		t.Fatalf("reextract: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	after := versionRows(t, db)
	var want []string
	for _, row := range before {
		want = append(want, row)
		if strings.HasPrefix(row, english+" v1 fetch capture=") {
			want = append(want, english+" v2 reextract capture="+strings.TrimPrefix(row, english+" v1 fetch capture="))
		}
	}
	if !slices.Equal(after, want) {
		t.Fatalf("versions after reextract:\n%s\nwant:\n%s", strings.Join(after, "\n"), strings.Join(want, "\n"))
	}
	d := openDB(t, db)
	if n := queryInt(t, d, `SELECT count(*) FROM captures`); n != 3 {
		t.Errorf("%d captures, want 3: a re-extraction fetches nothing", n)
	}
	if got := exportAll(t, db)[english]; got.Title != "Related news" || got.Version != 2 {
		t.Errorf("exported %q v%d", got.Title, got.Version)
	}
	// Once more: the result is the latest version already.
	code, out, errOut = newsvault(t, &env{}, "reextract", "--db", db, "--selectors", profile)
	if code != exitOK || out != "" || !strings.Contains(errOut, "changed 0, unchanged 3") {
		t.Fatalf("second reextract: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	// --site and --since select nothing here.
	_, _, errOut = newsvault(t, &env{}, "reextract", "--db", db, "--site", "example.com")
	if !strings.Contains(errOut, "checked 0") {
		t.Errorf("--site example.com: %s", errOut)
	}
	_, _, errOut = newsvault(t, &env{}, "reextract", "--db", db, "--since", "2100-01-01")
	if !strings.Contains(errOut, "checked 0") {
		t.Errorf("--since 2100: %s", errOut)
	}
}

func TestReextractTakesRunLock(t *testing.T) {
	db := crawledInforos(t)
	unlock, err := lockArchive(db)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if code, _, errOut := newsvault(t, &env{}, "reextract", "--db", db); code != exitLocked {
		t.Errorf("reextract under another run's lock: exit %d, want %d\n%s", code, exitLocked, errOut)
	}
}

var (
	fetchedAtRe = regexp.MustCompile(`"fetched_at":"[^"]*"`)
	newsvaultRe = regexp.MustCompile(`"newsvault":"[^"]*"`)
)

func TestExportProvenanceGolden(t *testing.T) {
	db := crawledInforos(t)
	profile := filepath.Join(t.TempDir(), "sites.yaml")
	if err := os.WriteFile(profile, []byte(titleProfile), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := newsvault(t, &env{}, "reextract", "--db", db, "--selectors", profile); code != exitOK {
		t.Fatalf("reextract: %s", errOut)
	}
	code, out, errOut := newsvault(t, &env{}, "export", "--db", db, "--provenance")
	if code != exitOK {
		t.Fatalf("export: %s", errOut)
	}
	// Fetch times and the build's revision vary; the order of the crawl's
	// saves too.
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var check struct {
			Provenance map[string]string `json:"provenance"`
		}
		if err := json.Unmarshal(sc.Bytes(), &check); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(check.Provenance["newsvault"], "0.1") {
			t.Errorf("no newsvault version in %v", check.Provenance)
		}
		line := fetchedAtRe.ReplaceAllString(sc.Text(), `"fetched_at":"FETCHED"`)
		lines = append(lines, newsvaultRe.ReplaceAllString(line, `"newsvault":"VERSION"`))
	}
	slices.Sort(lines)
	got := strings.Join(lines, "\n") + "\n"
	golden := filepath.Join("testdata", "export-provenance.golden.jsonl")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := string(readFixture(t, golden)); got != want {
		t.Errorf("export --provenance differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
	// Without --provenance the schema is unchanged.
	_, plain, _ := newsvault(t, &env{}, "export", "--db", db)
	if strings.Contains(plain, `"provenance"`) {
		t.Error("export without --provenance has provenance")
	}
}
