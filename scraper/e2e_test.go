package scraper

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsvault/newsvault/archive/sqlite"
	"github.com/newsvault/newsvault/selectors"
)

// TestCrawlEndToEnd crawls with the real extractor into a real archive,
// twice: the second run changes nothing.
func TestCrawlEndToEnd(t *testing.T) {
	set, err := selectors.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	site := newTestSite(t, map[string]http.HandlerFunc{})
	// The Russian page declares its charset only in <meta>.
	site.routes["/ru/2024/05/18/budget.html"] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		http.ServeFile(w, r, "testdata/site/ru/2024/05/18/budget.html")
	}
	cfg := site.config(t, "/e2e.html")
	cfg.Depth = 1

	st, err := Crawl(t.Context(), cfg, set, store)
	if err != nil {
		t.Fatalf("run 1: %v (%s)", err, st)
	}
	if st.New != 2 || st.Failed != 0 {
		t.Errorf("run 1: %s; want 2 new", st)
	}
	st, err = Crawl(t.Context(), cfg, set, store)
	if err != nil {
		t.Fatalf("run 2: %v", err)
	}
	if st.New != 0 || st.Updated != 0 || st.Unchanged != 2 {
		t.Errorf("run 2: %s; want 2 unchanged", st)
	}

	ru, err := store.Latest(t.Context(), site.url("/ru/2024/05/18/budget.html"))
	if err != nil {
		t.Fatal(err)
	}
	if ru.Title != "Горсовет утвердил бюджет на следующий год" || !strings.Contains(ru.Text, "Депутаты городского собрания") {
		t.Errorf("Russian article: title %q, text %.80q", ru.Title, ru.Text)
	}
	en, err := store.Latest(t.Context(), site.url("/news/2024/05/17/budget.html"))
	if err != nil {
		t.Fatal(err)
	}
	if en.Title != "City council approves a record budget" || !strings.Contains(en.Text, "two new libraries") {
		t.Errorf("English article: title %q, text %.80q", en.Title, en.Text)
	}
}

// The real archive is a Known.
var _ Known = (*sqlite.Store)(nil)
