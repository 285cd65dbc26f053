package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/newsvault/newsvault/archive"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	siteHost       = "www.inforos.ru"
	inforosArticle = "https://www.inforos.ru/en/?module=news&action=view&id=124567"
	inforosTitle   = "Russian Embassy in US rejects allegations in involvement in cyberattacks"
)

// agencySite is an Inforos-style news site served on loopback. It records
// every request so tests can assert what the crawler fetched.
type agencySite struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	requests []string // path?query of every request
	article  []byte   // the Inforos article page, replaceable to simulate an edit
}

func readFixture(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newAgencySite(t *testing.T) *agencySite {
	s := &agencySite{t: t, article: readFixture(t, "../../selectors/testdata/inforos/article/page.html")}
	site := func(name string) []byte { return readFixture(t, filepath.Join("testdata/site", name)) }
	html := func(w http.ResponseWriter, body []byte) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := r.URL.RequestURI()
		s.mu.Lock()
		s.requests = append(s.requests, target)
		article := s.article
		s.mu.Unlock()
		switch target {
		case "/robots.txt":
			w.Header().Set("Content-Type", "text/plain")
			w.Write(site("robots.txt"))
		case "/en/":
			html(w, site("home.html"))
		case "/en/?module=news":
			html(w, site("section.html"))
		case "/en/?module=contacts":
			html(w, site("contacts.html"))
		case "/en/?module=news&action=view&id=124567":
			html(w, article)
		case "/en/news/139877":
			http.Redirect(w, r, "/en/?module=news&action=view&id=139877", http.StatusMovedPermanently)
		case "/en/?module=news&action=view&id=139877":
			html(w, site("article2.html"))
		case "/?module=news&action=view&id=555001":
			// The charset is only in the page's <meta>, as on many old Russian sites.
			w.Header().Set("Content-Type", "text/html")
			w.Write(site("ru-article.cp1251.html"))
		case "/files/annual-report.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write(site("annual-report.pdf"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// transport sends requests for the agency's host to the loopback server and
// fails the test on any other destination: no test traffic leaves 127.0.0.1.
func (s *agencySite) transport() http.RoundTripper {
	addr := s.srv.Listener.Addr().String()
	var d net.Dialer
	return &http.Transport{
		DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			if hostport != siteHost+":80" {
				s.t.Errorf("crawler dialed %s; only %s is allowed", hostport, siteHost)
				return nil, fmt.Errorf("test: dial %s refused", hostport)
			}
			return d.DialContext(ctx, "tcp", addr)
		},
	}
}

func (s *agencySite) requested(prefix string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.requests {
		if strings.HasPrefix(r, prefix) {
			return true
		}
	}
	return false
}

func (s *agencySite) setArticle(b []byte) {
	s.mu.Lock()
	s.article = b
	s.mu.Unlock()
}

// newsvault runs one command line in-process and returns its exit code and output.
func newsvault(t *testing.T, e *env, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e.stdout, e.stderr, e.stdin = &out, &errOut, strings.NewReader("")
	code = runEnv(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

func exportAll(t *testing.T, db string) map[string]archive.Article {
	t.Helper()
	code, out, errOut := newsvault(t, &env{}, "export", "--db", db)
	if code != exitOK {
		t.Fatalf("export exit %d: %s", code, errOut)
	}
	byKey := map[string]archive.Article{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var a archive.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		byKey[a.Key()] = a
	}
	return byKey
}

func TestCrawlExportEndToEnd(t *testing.T) {
	site := newAgencySite(t)
	db := filepath.Join(t.TempDir(), "news.db")
	crawl := func() string {
		t.Helper()
		code, _, errOut := newsvault(t, &env{transport: site.transport()},
			"crawl", "--db", db, "--delay", "0", "http://"+siteHost+"/en/")
		if code != exitOK {
			t.Fatalf("crawl exit %d:\n%s", code, errOut)
		}
		return errOut
	}

	crawl()
	articles := exportAll(t, db)

	got, ok := articles[archive.NormalizeURL(inforosArticle)]
	if !ok {
		t.Fatalf("Inforos article %s not archived; archived: %v", inforosArticle, keys(articles))
	}
	if got.Title != inforosTitle {
		t.Errorf("title = %q, want %q", got.Title, inforosTitle)
	}
	golden := filepath.Join("testdata", "inforos-article.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got.Text+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := string(readFixture(t, golden)); got.Text+"\n" != want {
		t.Errorf("text differs from %s:\ngot:\n%s\nwant:\n%s", golden, got.Text, want)
	}
	if got.Version != 1 || got.ContentSHA256 != archive.TextSHA256(got.Text) || got.Site != "inforos.ru" {
		t.Errorf("version %d, sha %q, site %q; want 1, the text's SHA-256, inforos.ru", got.Version, got.ContentSHA256, got.Site)
	}

	_, export, _ := newsvault(t, &env{}, "export", "--db", db)
	for _, boilerplate := range []string{"Rate it", "Add comment", "Сообщите", "Выделенный", "Оцените"} {
		if strings.Contains(export, boilerplate) {
			t.Errorf("export contains boilerplate %q", boilerplate)
		}
	}

	ru, ok := articles[archive.NormalizeURL("http://"+siteHost+"/?module=news&action=view&id=555001")]
	if !ok {
		t.Fatalf("windows-1251 article not archived; archived: %v", keys(articles))
	}
	if ru.Title != "Посольство ответило на обвинения" || !strings.Contains(ru.Text, "«Мы категорически отвергаем") {
		t.Errorf("windows-1251 article decoded wrongly: title %q, text %q", ru.Title, ru.Text)
	}
	if _, ok := articles[archive.NormalizeURL("https://www.inforos.ru/en/?module=news&action=view&id=139877")]; !ok {
		t.Errorf("redirected article not archived; archived: %v", keys(articles))
	}
	if len(articles) != 3 {
		t.Errorf("archived %d articles, want 3 (section, contacts, 404 and PDF are not articles): %v", len(articles), keys(articles))
	}
	if site.requested("/private/") {
		t.Error("crawler requested /private/, which robots.txt disallows")
	}

	// A second crawl of the unchanged site adds nothing.
	summary := crawl()
	if !strings.Contains(summary, "new 0") || !strings.Contains(summary, "updated 0") {
		t.Errorf("second crawl summary %q, want new 0 and updated 0", summary)
	}
	for key, a := range exportAll(t, db) {
		if a.Version != 1 {
			t.Errorf("%s: version %d after an unchanged re-crawl, want 1", key, a.Version)
		}
	}

	// The agency edits one article: the third crawl adds exactly one version.
	edited := bytes.Replace(site.article, []byte("has repeatedly denied"), []byte("has once again denied"), 1)
	if bytes.Equal(edited, site.article) {
		t.Fatal("fixture lacks the phrase the test edits")
	}
	site.setArticle(edited)
	crawl()
	for key, a := range exportAll(t, db) {
		want := 1
		if key == archive.NormalizeURL(inforosArticle) {
			want = 2
			if !strings.Contains(a.Text, "has once again denied") {
				t.Errorf("version 2 text lacks the edit: %q", a.Text)
			}
		}
		if a.Version != want {
			t.Errorf("%s: version %d after one edit, want %d", key, a.Version, want)
		}
	}
}

func keys(m map[string]archive.Article) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
