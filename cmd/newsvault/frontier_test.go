package main

import (
	"path/filepath"
	"testing"
)

// TestCrawlFrontierDeleted: the crawl keeps its frontier in the archive
// and deletes it when it ends.
func TestCrawlFrontierDeleted(t *testing.T) {
	site := newAgencySite(t)
	db := filepath.Join(t.TempDir(), "news.db")
	code, _, errOut := newsvault(t, &env{transport: site.transport()},
		"crawl", "--db", db, "--delay", "0", "http://"+siteHost+"/en/")
	if code != exitOK {
		t.Fatalf("crawl exit %d:\n%s", code, errOut)
	}
	d := openDB(t, db)
	if n := queryInt(t, d, `SELECT count(*) FROM articles`); n == 0 {
		t.Fatal("nothing archived")
	}
	if n := queryInt(t, d, `SELECT seq FROM sqlite_sequence WHERE name = 'frontier_crawls'`); n != 1 {
		t.Errorf("%d frontiers opened, want 1", n)
	}
	for _, table := range []string{"frontier_crawls", "frontier_seen", "frontier_queue"} {
		if n := queryInt(t, d, `SELECT count(*) FROM `+table); n != 0 {
			t.Errorf("%d rows left in %s", n, table)
		}
	}
}
