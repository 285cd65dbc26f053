package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// T38: a second run while one runs exits 75 at once and writes nothing; a
// run started after the holder was SIGKILLed gets the lock at once.
func TestNoOverlappingRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("child processes")
	}
	site := newAgency(t, "agency.example", 20)
	site.slow = 2 * time.Second
	sites := []*agency{site}
	cfg, db := writeRunConfig(t, t.TempDir(), "delay: 0s, parallel: 1, depth: 1, timeout: 10s, revisit: 1h", site)
	a := startNewsvault(t, sites, nil, "run", "--config", cfg)
	for deadline := time.Now().Add(20 * time.Second); site.hits("GET /news/") == 0; {
		if time.Now().After(deadline) || a.exited() {
			t.Fatalf("run A fetched no article\n%s", tail(a.stderr.String(), 2000))
		}
		time.Sleep(10 * time.Millisecond)
	}
	rows := func() int {
		d := openDB(t, db)
		// A saves articles meanwhile; a run B got as far as the archive
		// would have recorded itself first.
		n := queryInt(t, d, `SELECT count(*) FROM runs`)
		d.Close()
		return n
	}
	before := rows()
	b := startNewsvault(t, sites, nil, "run", "--config", cfg)
	if code := b.wait(t, 10*time.Second); code != exitLocked {
		t.Errorf("run B: exit %d, want 75\n%s", code, b.stderr.String())
	}
	if took := time.Since(b.started); took > time.Second {
		t.Errorf("run B took %s to give up, want < 1s", took)
	}
	if after := rows(); after != before {
		t.Errorf("runs went from %d to %d: B wrote to the archive", before, after)
	}

	a.cmd.Process.Signal(syscall.SIGKILL)
	a.wait(t, 10*time.Second)
	site.mu.Lock()
	site.slow = 0
	site.mu.Unlock()
	c := startNewsvault(t, sites, nil, "run", "--config", cfg, "--json")
	if code := c.wait(t, time.Minute); code != exitOK {
		t.Fatalf("run C after A was killed: exit %d\n%s", code, tail(c.stderr.String(), 2000))
	}
	d := openDB(t, db)
	var started string
	if err := d.QueryRow(`SELECT started_at FROM runs ORDER BY id DESC LIMIT 1`).Scan(&started); err != nil {
		t.Fatal(err)
	}
	ts, err := time.Parse(time.RFC3339Nano, started)
	if err != nil {
		t.Fatal(err)
	}
	if got := ts.Sub(c.started); got > time.Second {
		t.Errorf("run C began %s after its process started, want < 1s (a stale lock?)", got)
	}
	t.Logf("B exit after %s; C recorded its run %s after start", time.Since(b.started).Round(time.Millisecond), ts.Sub(c.started).Round(time.Millisecond))
}

// T39: the five exit-code scenarios of a run.
func TestRunExitCodes(t *testing.T) {
	dir := t.TempDir()

	// All OK: 0.
	ok := newAgency(t, "ok.example", 2)
	cfg, _ := writeRunConfig(t, mkdirAll(t, dir, "ok"), "delay: 0s, depth: 1, timeout: 10s", ok)
	if code, _, errOut := newsvault(t, &env{transport: loopbackTransport(addrsOf(ok))}, "run", "--config", cfg); code != exitOK {
		t.Errorf("all ok: exit %d\n%s", code, errOut)
	}

	// 3 of 10 fail (a name that does not resolve, a 500, robots.txt 5xx): 3.
	var sites []*agency
	for i := range 7 {
		sites = append(sites, newAgency(t, fmt.Sprintf("s%d.example", i), 2))
	}
	down := newAgency(t, "down.example", 2)
	down.setDown(true)
	robots := newAgency(t, "robots.example", 2)
	robots.robots = 503
	nx := &agency{host: "nx.invalid"} // never served: the transport fails the name
	sites = append(sites, down, robots)
	cfg, db := writeRunConfig(t, mkdirAll(t, dir, "partial"), "delay: 0s, depth: 1, timeout: 10s", append(sites, nx)...)
	code, out, errOut := newsvault(t, &env{transport: loopbackTransport(addrsOf(sites...))}, "run", "--config", cfg, "--json")
	if code != exitPartial {
		t.Errorf("3 of 10 down: exit %d, want 3\n%s", code, errOut)
	}
	sum := lastLineJSON(t, out)
	failed := 0
	for _, s := range sum.Sites {
		if s.Error != "" {
			failed++
		}
	}
	if len(sum.Sites) != 10 || failed != 3 || sum.ExitCode != exitPartial {
		t.Errorf("summary: %d sites, %d failed, exit %d; want 10, 3, 3", len(sum.Sites), failed, sum.ExitCode)
	}
	d := openDB(t, db)
	if n := queryInt(t, d, `SELECT exit_code FROM runs ORDER BY id DESC LIMIT 1`); n != exitPartial {
		t.Errorf("runs row exit code %d, want 3", n)
	}
	if n := queryInt(t, d, `SELECT count(*) FROM run_sites`); n != 10 {
		t.Errorf("%d run_sites rows, want 10", n)
	}
	for _, s := range []*agency{down, robots} {
		if n := s.hits("GET /news/"); n != 0 {
			t.Errorf("%s: %d article requests", s.host, n)
		}
	}

	// Invalid config: 78.
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("db: x.db\nsites:\n  - name: a\n    start: [http://a.example/]\n    dealy: 1s\n"), 0o644)
	if code, _, errOut := newsvault(t, &env{}, "run", "--config", bad); code != exitConfig {
		t.Errorf("invalid config: exit %d, want 78\n%s", code, errOut)
	}

	// The archive's directory cannot be written (here: it is a file): 1.
	file := filepath.Join(dir, "plainfile")
	os.WriteFile(file, nil, 0o644)
	unwritable := filepath.Join(dir, "unwritable.yaml")
	os.WriteFile(unwritable, []byte(fmt.Sprintf("db: %s/news.db\nsites:\n  - name: ok\n    start: [http://ok.example/]\n", file)), 0o644)
	if code, _, errOut := newsvault(t, &env{transport: loopbackTransport(addrsOf(ok))}, "run", "--config", unwritable); code != exitError {
		t.Errorf("unwritable db path: exit %d, want 1\n%s", code, errOut)
	}

	// SIGINT, to a real process: 130.
	if testing.Short() {
		return
	}
	slow := newAgency(t, "slow.example", 50)
	slow.slow = 5 * time.Second
	cfg, _ = writeRunConfig(t, mkdirAll(t, dir, "sigint"), "delay: 0s, depth: 1, timeout: 30s", slow)
	c := startNewsvault(t, []*agency{slow}, nil, "run", "--config", cfg)
	for deadline := time.Now().Add(20 * time.Second); slow.hits("GET /news/") == 0; {
		if time.Now().After(deadline) || c.exited() {
			t.Fatalf("no article requested\n%s", tail(c.stderr.String(), 2000))
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.cmd.Process.Signal(os.Interrupt)
	if code := c.wait(t, 10*time.Second); code != exitInterrupted {
		t.Errorf("SIGINT: exit %d, want 130\n%s", code, tail(c.stderr.String(), 2000))
	}
}

func addrsOf(sites ...*agency) map[string]string {
	m := map[string]string{}
	for _, s := range sites {
		m[s.host+":80"] = s.srv.Listener.Addr().String()
	}
	return m
}

func mkdirAll(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// T24's second half: a DSN typo in the config's db fails at startup with
// 78, before any file is made, instead of silently creating an archive
// named after the typo.
func TestDBTypoExits78(t *testing.T) {
	dir := t.TempDir()
	for _, db := range []string{
		"file:" + dir + "/news.db?_pragma=busy_timout(5000)",
		dir + "/news.db?_journal=wal",
		dir + "/news.db#x",
		":memory:",
		dir + "/",
	} {
		cfg := filepath.Join(dir, "newsvault.yaml")
		writeFile(t, cfg, fmt.Sprintf("db: %q\nsites:\n  - name: a\n    start: [http://a.example/]\n", db))
		code, _, errOut := newsvault(t, &env{}, "run", "--config", cfg)
		if code != exitConfig || !strings.Contains(errOut, "db ") {
			t.Errorf("db %q: exit %d, want 78\n%s", db, code, errOut)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the refused runs left files behind: %v", entries)
	}
}
