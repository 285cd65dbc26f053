package main

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// T21: a run SIGKILLed at a random moment loses nothing committed, and the
// resume run archives the rest without refetching what is archived.
func TestKill9CrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("20 crawls of 500 articles in child processes")
	}
	const (
		articles    = 500
		parallel    = 4
		defaultsFmt = "delay: 0s, parallel: 4, depth: 1, timeout: 10s, revisit: 1h"
	)
	iterations := uint64(20)
	if raceEnabled {
		iterations = 5
	}
	site := newAgency(t, "agency.example", articles)
	site.slow = 2 * time.Millisecond
	sites := []*agency{site}

	// T_full: one uninterrupted run.
	cfg, db := writeRunConfig(t, t.TempDir(), defaultsFmt, site)
	c := startNewsvault(t, sites, nil, "run", "--config", cfg)
	if code := c.wait(t, 2*time.Minute); code != exitOK {
		t.Fatalf("full run: exit %d\n%s", code, tail(c.stderr.String(), 2000))
	}
	full := time.Since(c.started)
	checkArchive(t, db, articles)
	site.requests()
	t.Logf("T_full = %s", full)

	total, worst := 0, 0
	for seed := uint64(1); seed <= iterations; seed++ {
		r := rand.New(rand.NewPCG(seed, 21))
		at := 200*time.Millisecond + time.Duration(r.Int64N(int64(full-200*time.Millisecond)))
		cfg, db := writeRunConfig(t, t.TempDir(), defaultsFmt, site)
		c := startNewsvault(t, sites, nil, "run", "--config", cfg)
		select {
		case <-time.After(time.Until(c.started.Add(at))):
			c.cmd.Process.Signal(syscall.SIGKILL)
		case <-c.done:
		}
		c.wait(t, time.Minute)
		resume := startNewsvault(t, sites, nil, "run", "--config", cfg)
		if code := resume.wait(t, 2*time.Minute); code != exitOK {
			t.Fatalf("seed %d: resume exit %d\n%s", seed, code, tail(resume.stderr.String(), 2000))
		}
		checkArchive(t, db, articles)
		fetches := site.hits("GET /news/")
		site.requests()
		total += fetches
		worst = max(worst, fetches)
		// A kill loses at most the pages in flight: fetched, not yet saved.
		if fetches > articles+parallel {
			t.Errorf("seed %d (kill at %s): %d article fetches, want at most %d", seed, at, fetches, articles+parallel)
		}
		if t.Failed() {
			t.Fatalf("seed %d: kill at %s; db %s", seed, at, filepath.Base(db))
		}
	}
	t.Logf("%d/%d iterations ok; article fetches per iteration at most %d (bound %d); all iterations %d",
		iterations, iterations, worst, articles+parallel, total)
}

// T22: SIGTERM with 1,000 URLs queued behind a 5 s delay ends the process
// within 10 s with the interrupted code, and the next run resumes without
// duplicates.
func TestSigtermBoundedShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("child processes")
	}
	site := newAgency(t, "agency.example", 1000)
	sites := []*agency{site}
	dir := t.TempDir()
	cfg, db := writeRunConfig(t, dir, "delay: 5s, parallel: 4, depth: 1, timeout: 10s, revisit: 1h", site)
	c := startNewsvault(t, sites, nil, "run", "--config", cfg)
	deadline := time.Now().Add(30 * time.Second)
	for site.hits("GET /news/") < 1 {
		if time.Now().After(deadline) || c.exited() {
			t.Fatalf("no article fetched within 30s\n%s", tail(c.stderr.String(), 2000))
		}
		time.Sleep(20 * time.Millisecond)
	}
	sent := time.Now()
	c.cmd.Process.Signal(syscall.SIGTERM)
	code := c.wait(t, 15*time.Second)
	took := time.Since(sent)
	if code != exitInterrupted && code != 143 {
		t.Errorf("exit %d after SIGTERM, want 130 or 143\n%s", code, tail(c.stderr.String(), 2000))
	}
	if took > 10*time.Second {
		t.Errorf("exited %s after SIGTERM, want at most 10s", took)
	}
	t.Logf("SIGTERM to exit: %s, code %d", took.Round(time.Millisecond), code)

	// Resume without the delay: the queue is gone, the archive is not.
	cfg, _ = writeRunConfig(t, dir, "delay: 0s, parallel: 4, depth: 1, timeout: 10s, revisit: 1h", site)
	resume := startNewsvault(t, sites, nil, "run", "--config", cfg)
	if code := resume.wait(t, 2*time.Minute); code != exitOK {
		t.Fatalf("resume: exit %d\n%s", code, tail(resume.stderr.String(), 2000))
	}
	checkArchive(t, db, 1000)
	if strings.Contains(resume.stderr.String(), "panic") {
		t.Error("panic in the resume run")
	}
}

// T25: a disk that fills mid-crawl (RLIMIT_FSIZE in the child, SIGXFSZ
// ignored, so writes fail with EFBIG) stops the run with exit 1 and a
// disk-full error; the archive stays intact, and once there is room a
// resume completes without duplicates.
func TestDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("child processes")
	}
	site := newAgency(t, "agency.example", 400)
	sites := []*agency{site}
	cfg, db := writeRunConfig(t, t.TempDir(), "delay: 0s, parallel: 4, depth: 1, timeout: 10s, revisit: 1h", site)
	c := startNewsvault(t, sites, []string{helperFsize + "=" + "262144"}, "run", "--config", cfg)
	code := c.wait(t, time.Minute)
	stderr := c.stderr.String()
	if code != exitError {
		t.Errorf("exit %d on a full disk, want 1\n%s", code, tail(stderr, 3000))
	}
	if !strings.Contains(stderr, "disk full") {
		t.Errorf("stderr does not say disk full:\n%s", tail(stderr, 3000))
	}
	db0 := openDB(t, db)
	var ok string
	if err := db0.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check after the full disk = %q, %v", ok, err)
	}
	saved := queryInt(t, db0, `SELECT count(*) FROM articles`)
	t.Logf("archived %d of 400 before the disk filled", saved)

	resume := startNewsvault(t, sites, nil, "run", "--config", cfg)
	if code := resume.wait(t, time.Minute); code != exitOK {
		t.Fatalf("resume after freeing space: exit %d\n%s", code, tail(resume.stderr.String(), 2000))
	}
	checkArchive(t, db, 400)
}
