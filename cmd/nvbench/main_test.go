package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for nvbench when the harness
// re-executes itself as a child.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestHarness(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(t.Context(), []string{"-articles", "50"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errs.String())
	}
	table := out.String()
	t.Log(table)
	cell := regexp.MustCompile(`\s*\|\s*`)
	rows := map[string][]string{}
	for line := range strings.SplitSeq(table, "\n") {
		if strings.HasPrefix(line, "| ") {
			f := cell.Split(strings.Trim(line, "| "), -1)
			rows[f[0]] = f
		}
	}
	for _, name := range []string{"newsvault crawl", "Colly reference", "newsvault export (JSONL → /dev/null)"} {
		f, ok := rows[name]
		if !ok {
			t.Fatalf("no %q row in\n%s", name, table)
		}
		num := func(i int) float64 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				t.Fatalf("%s column %d: %v", name, i, err)
			}
			return v
		}
		if got := num(1); got != 50 {
			t.Errorf("%s: %v articles, want 50", name, got)
		}
		if num(3) != 0 {
			t.Errorf("%s: %v failed", name, num(3))
		}
		if num(5) <= 0 || num(6) <= 0 || num(7) < 1 || num(7) > 4096 {
			t.Errorf("%s: articles/s %v, CPU µs %v, RSS MiB %v: not sane", name, num(5), num(6), num(7))
		}
	}
	if db, err := strconv.Atoi(rows["newsvault crawl"][8]); err != nil || db < 1000 || db > 1<<20 {
		t.Errorf("DB bytes/article %q: not sane", rows["newsvault crawl"][8])
	}
	if _, ok := rows["newsvault / reference"]; !ok {
		t.Errorf("no ratio row")
	}
}
