package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The crash harness: tests that need a real process (SIGKILL, SIGTERM,
// flock held by another process, RLIMIT_FSIZE) re-exec the test binary,
// which runs TestHelperNewsvault as a newsvault process.
const (
	helperArgs  = "NEWSVAULT_HELPER_ARGS"  // the command line, separated by US (0x1f)
	helperHosts = "NEWSVAULT_HELPER_HOSTS" // host:port=addr,... the loopback sites
	helperFsize = "NEWSVAULT_HELPER_FSIZE" // RLIMIT_FSIZE in bytes, SIGXFSZ ignored
	helperRSS   = "NEWSVAULT_HELPER_RSS"   // print VmHWM before and after
)

// TestHelperNewsvault is not a test: in a child process started by
// startNewsvault it is newsvault's main, with signals, exit code and a
// transport that reaches only the parent's loopback sites.
func TestHelperNewsvault(t *testing.T) {
	raw := os.Getenv(helperArgs)
	if raw == "" {
		t.Skip("the child process of the crash tests")
	}
	if v := os.Getenv(helperFsize); v != "" {
		n, _ := strconv.ParseUint(v, 10, 64)
		// Without ignoring SIGXFSZ the kernel kills the process at the
		// limit; ignored, the write fails with EFBIG as on a full disk.
		signal.Ignore(syscall.SIGXFSZ)
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
			os.Exit(99)
		}
	}
	addrs := map[string]string{}
	for _, kv := range strings.Split(os.Getenv(helperHosts), ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			addrs[k] = v
		}
	}
	rss := os.Getenv(helperRSS) != ""
	if rss {
		fmt.Fprintf(os.Stderr, "rss-baseline %d\n", vmHWM(os.Getpid()))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, transport: loopbackTransport(addrs)}
	code := runEnv(ctx, e, strings.Split(raw, "\x1f"))
	stop()
	if rss {
		fmt.Fprintf(os.Stderr, "rss-peak %d\n", vmHWM(os.Getpid()))
	}
	os.Exit(code)
}

// loopbackTransport dials the loopback address addrs gives a host:port
// and nothing else: any other host fails as a name that does not resolve,
// without asking a resolver.
func loopbackTransport(addrs map[string]string) http.RoundTripper {
	var d net.Dialer
	return &http.Transport{
		DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			addr, ok := addrs[hostport]
			if !ok {
				host, _, _ := net.SplitHostPort(hostport)
				return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
			}
			return d.DialContext(ctx, "tcp", addr)
		},
		ResponseHeaderTimeout: 10 * time.Second,
		MaxIdleConnsPerHost:   16,
	}
}

func hostsEnv(sites ...*agency) string {
	var kv []string
	for _, s := range sites {
		kv = append(kv, s.host+":80="+s.srv.Listener.Addr().String())
	}
	return strings.Join(kv, ",")
}

// child is a newsvault process started by startNewsvault.
type child struct {
	cmd            *exec.Cmd
	stdout, stderr *bytes.Buffer
	started        time.Time
	done           chan struct{}
	code           int
}

// startNewsvault starts newsvault args in a child process reaching sites;
// extraEnv are more NAME=value settings for the helper.
func startNewsvault(t *testing.T, sites []*agency, extraEnv []string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperNewsvault$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperArgs+"="+strings.Join(args, "\x1f"), helperHosts+"="+hostsEnv(sites...))
	cmd.Env = append(cmd.Env, extraEnv...)
	c := &child{cmd: cmd, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = c.stdout, c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c.started = time.Now()
	go func() {
		cmd.Wait()
		c.code = cmd.ProcessState.ExitCode()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			c.code = 128 + int(ws.Signal())
		}
		close(c.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-c.done
	})
	return c
}

// wait returns the child's exit code, failing the test after limit.
func (c *child) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
		return c.code
	case <-time.After(limit):
		c.cmd.Process.Kill()
		<-c.done
		t.Fatalf("child did not exit within %s\nstderr:\n%s", limit, tail(c.stderr.String(), 2000))
		return -1
	}
}

func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// vmHWM is the peak resident set of pid in bytes, from /proc.
func vmHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return -1
}

// rssGrowth reads the helper's rss-baseline and rss-peak lines.
func rssGrowth(t *testing.T, stderr string) int64 {
	t.Helper()
	var base, peak int64 = -1, -1
	for _, line := range strings.Split(stderr, "\n") {
		if v, ok := strings.CutPrefix(line, "rss-baseline "); ok {
			base, _ = strconv.ParseInt(v, 10, 64)
		}
		if v, ok := strings.CutPrefix(line, "rss-peak "); ok {
			peak, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	if base < 0 || peak < 0 {
		t.Fatalf("no rss lines in the child's stderr:\n%s", tail(stderr, 2000))
	}
	return peak - base
}

// openDB opens the archive at path read-only for the test's own queries.
func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// queryInt runs a query returning one integer.
func queryInt(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// checkArchive asserts what every crash test wants of an archive after the
// resume run: integrity ok, want articles, one version each, no
// duplicate key and no empty body.
func checkArchive(t *testing.T, path string, want int) {
	t.Helper()
	db := openDB(t, path)
	var ok string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check = %q, %v", ok, err)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM articles`); n != want {
		t.Errorf("%d articles, want %d", n, want)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM (SELECT key FROM articles GROUP BY key HAVING count(*) > 1)`); n != 0 {
		t.Errorf("%d duplicate keys", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM (SELECT url FROM versions GROUP BY url HAVING count(*) > 1)`); n != 0 {
		t.Errorf("%d URLs archived twice", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM versions WHERE text = ''`); n != 0 {
		t.Errorf("%d versions with an empty body", n)
	}
}

// writeRunConfig writes a config crawling the agencies' feeds and sitemaps
// with the given defaults (YAML flow map body).
func writeRunConfig(t *testing.T, dir, defaults string, sites ...*agency) (cfgPath, db string) {
	t.Helper()
	db = filepath.Join(dir, "news.db")
	var b strings.Builder
	fmt.Fprintf(&b, "db: %s\ndefaults: {%s}\nsites:\n", db, defaults)
	for _, s := range sites {
		fmt.Fprintf(&b, "  - name: %s\n    start: [http://%s/]\n    sitemaps: [http://%s/sitemap.xml]\n    include: ['^/news/']\n", s.host, s.host, s.host)
	}
	cfgPath = filepath.Join(dir, "newsvault.yaml")
	if err := os.WriteFile(cfgPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfgPath, db
}
