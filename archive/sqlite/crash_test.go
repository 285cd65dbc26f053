package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// crashEnv switches the test binary into the saver that TestKillDuringSave
// kills: it names the database to save into.
const crashEnv = "NEWSVAULT_SQLITE_CRASH_DB"

// TestCrashSaver is not a test: run by TestKillDuringSave in a child
// process, it saves new versions until killed, printing "saved N" after
// each commit.
func TestCrashSaver(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("the child process of TestKillDuringSave")
	}
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		fmt.Println("error", err)
		return
	}
	body := realisticPage(16 << 10)
	for i := 0; ; i++ {
		c, a := page(fmt.Sprintf("https://example.com/%02d", i%25), i, fmt.Sprintf("text %d of pid %d", i, os.Getpid()))
		c.Body = body
		if _, err := s.Save(ctx, c, a); err != nil {
			fmt.Println("error", err)
			return
		}
		fmt.Println("saved", i+1)
	}
}

func TestKillDuringSave(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	path := filepath.Join(t.TempDir(), "news.db")
	acked := 0
	for round := range 3 {
		n := runAndKill(t, path, 25+round*10)
		acked += n
		s := openTest(t, path)
		checkConsistent(t, s)
		// Every save the child reported committed survived the kill;
		// at most one more (committed, not yet reported) may be there.
		versions := count(t, s, `SELECT count(*) FROM versions`)
		if versions < acked || versions > acked+1 {
			t.Errorf("round %d: %d versions after %d acknowledged saves", round, versions, acked)
		}
		acked = versions
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// runAndKill starts the saver on path, SIGKILLs it once it has reported
// after saves, and returns how many saves it reported in all.
func runAndKill(t *testing.T, path string, after int) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashSaver$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reported := 0
	killed := false
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if msg, ok := strings.CutPrefix(line, "error "); ok {
			t.Errorf("saver: %s", msg)
			continue
		}
		if v, ok := strings.CutPrefix(line, "saved "); ok {
			if reported, err = strconv.Atoi(v); err != nil {
				t.Fatalf("saver printed %q", line)
			}
		}
		// Kill mid-loop: the child is between two saves or inside one.
		if reported >= after && !killed {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("saver exited by itself after %d saves: %v", reported, err)
	}
	return reported
}
