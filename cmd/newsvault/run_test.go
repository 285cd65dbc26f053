package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeConfig writes a config for the agencies, crawled from their home
// page, feed and sitemap, with politeness delays off and revisits on every
// run so conditional GETs are exercised.
func writeConfig(t *testing.T, dir string, extra string, sites ...*agency) (cfgPath, db string) {
	t.Helper()
	db = filepath.Join(dir, "news.db")
	var b strings.Builder
	fmt.Fprintf(&b, "db: %s\ndefaults: {delay: 0s, parallel: 2, depth: 1, timeout: 10s, revisit: 0s}\nsites:\n", db)
	for _, s := range sites {
		fmt.Fprintf(&b, "  - name: %s\n    start: [http://%s/]\n    feeds: [http://%s/rss.xml]\n    sitemaps: [http://%s/sitemap.xml]\n    include: ['^/news/']\n%s",
			s.host, s.host, s.host, s.host, extra)
	}
	cfgPath = filepath.Join(dir, "newsvault.yaml")
	if err := os.WriteFile(cfgPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfgPath, db
}

func lastLineJSON(t *testing.T, stdout string) runRecordJSON {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	var r runRecordJSON
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &r); err != nil {
		t.Fatalf("last stdout line %q is not the JSON summary: %v", lines[len(lines)-1], err)
	}
	return r
}

func TestRunIncremental(t *testing.T) {
	a, b, c := newAgency(t, "a.example", 4), newAgency(t, "b.example", 3), newAgency(t, "c.example", 2)
	c.setDown(true)
	cfg, db := writeConfig(t, t.TempDir(), "", a, b, c)
	e := &env{transport: agencyTransport(t, a, b, c)}
	cursorFile := filepath.Join(filepath.Dir(db), "cursor")

	// One failing site out of three: exit 3, the other two archived.
	code, out, errOut := newsvault(t, e, "run", "--config", cfg, "--json")
	if code != exitPartial {
		t.Fatalf("run with one site down: exit %d, want 3\n%s", code, errOut)
	}
	sum := lastLineJSON(t, out)
	bySite := map[string]siteRunJSON{}
	for _, s := range sum.Sites {
		bySite[s.Site] = s
	}
	if bySite["a.example"].New != 4 || bySite["b.example"].New != 3 || bySite["c.example"].Error == "" {
		t.Errorf("per-site results %+v, want a: 4 new, b: 3 new, c: an error", bySite)
	}
	if got := len(exportAll(t, db)); got != 7 {
		t.Errorf("archived %d articles, want 7", got)
	}
	code, _, errOut = newsvault(t, e, "export", "--config", cfg, "--cursor-file", cursorFile)
	if code != exitOK || !strings.Contains(errOut, "exported 7 articles") {
		t.Fatalf("first incremental export: exit %d, %s", code, errOut)
	}

	// The site is unchanged: conditional GETs get 304s and nothing is added.
	c.setDown(false)
	a.requests()
	code, out, errOut = newsvault(t, e, "run", "--config", cfg, "--site", "a.example", "--json")
	if code != exitOK {
		t.Fatalf("rerun: exit %d\n%s", code, errOut)
	}
	sum = lastLineJSON(t, out)
	if s := sum.Sites[0]; s.NotModified != 4 || s.New+s.Updated != 0 {
		t.Errorf("rerun of an unchanged site: %+v, want 4 not modified and nothing new", s)
	}
	conditional := 0
	for _, r := range a.requests() {
		if strings.HasPrefix(r, "GET /news/") && strings.HasSuffix(r, `"`) {
			conditional++
		}
	}
	if conditional != 4 {
		t.Errorf("%d conditional article requests, want 4", conditional)
	}
	code, out, errOut = newsvault(t, e, "export", "--db", db, "--cursor-file", cursorFile)
	if code != exitOK || strings.TrimSpace(out) != "" {
		t.Errorf("export after an unchanged rerun: exit %d, output %q, want nothing new", code, out)
	}

	// One article changes: one new version, and the export returns it alone.
	a.edit(2, "Story 2 corrected. The council met on Wednesday, not Tuesday, and approved the budget after a short debate.")
	if code, _, errOut = newsvault(t, e, "run", "--config", cfg, "--site", "a.example"); code != exitOK {
		t.Fatalf("run after an edit: exit %d\n%s", code, errOut)
	}
	code, out, _ = newsvault(t, e, "export", "--db", db, "--cursor-file", cursorFile)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != exitOK || len(lines) != 1 || !strings.Contains(lines[0], "Story 2 corrected") {
		t.Errorf("export after one edit: exit %d, %d lines %q, want only story 2", code, len(lines), out)
	}

	// Three runs are recorded, newest first.
	code, out, _ = newsvault(t, e, "runs", "--config", cfg, "--json")
	if n := strings.Count(strings.TrimSpace(out), "\n") + 1; code != exitOK || n != 3 {
		t.Errorf("runs: exit %d, %d runs, want 3:\n%s", code, n, out)
	}
	if code, out, _ = newsvault(t, e, "health", "--db", db); code != exitOK || !strings.Contains(out, "a.example") {
		t.Errorf("health: exit %d\n%s", code, out)
	}
}

func TestRunLockedExits75(t *testing.T) {
	a := newAgency(t, "a.example", 1)
	dir := t.TempDir()
	cfg, db := writeConfig(t, dir, "", a)
	unlock, err := lockArchive(db)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	code, _, errOut := newsvault(t, &env{transport: agencyTransport(t, a)}, "run", "--config", cfg)
	if code != exitLocked {
		t.Fatalf("run while another holds the lock: exit %d, want 75\n%s", code, errOut)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the locked-out run created or touched %s", db)
	}
	if reqs := a.requests(); len(reqs) != 0 {
		t.Errorf("the locked-out run fetched %v", reqs)
	}
}

func TestRunBadConfigExits78(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(cfg, []byte("sites:\n  - name: a\n    start: [http://a.example/]\n    delay: fast\n"), 0o644)
	code, _, errOut := newsvault(t, &env{}, "run", "--config", cfg)
	if code != exitConfig || !strings.Contains(errOut, `line 4: invalid duration "fast"`) {
		t.Errorf("exit %d, stderr %q; want 78 naming line 4", code, errOut)
	}
}

func TestScheduleStopsOnSignal(t *testing.T) {
	a := newAgency(t, "a.example", 2)
	cfg, db := writeConfig(t, t.TempDir(), "    schedule: \"@every 1s\"\n", a)
	e := &env{transport: agencyTransport(t, a)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		var out, errOut strings.Builder
		e.stdout, e.stderr, e.stdin = &out, &errOut, strings.NewReader("")
		done <- runEnv(ctx, e, []string{"schedule", "--config", cfg})
	}()
	// Wait for the first pass to archive the site, then send "SIGTERM".
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(db); err == nil {
			if code, out, _ := newsvault(t, &env{}, "runs", "--db", db, "--json"); code == exitOK && strings.Contains(out, `"exit_code":0`) {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no scheduled pass finished within 30s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("schedule exit %d after SIGTERM, want 0", code)
		}
	case <-time.After(shutdownGrace + 5*time.Second):
		t.Fatal("schedule did not exit within the grace period after SIGTERM")
	}
}
