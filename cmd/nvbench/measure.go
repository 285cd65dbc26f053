package main

import (
	"bufio"
	"encoding/json"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// result is what a child process reports on its stdout, as one JSON line.
type result struct {
	Pages    int           `json:"pages"`    // pages fetched (or served, or articles exported)
	Articles int           `json:"articles"` // article pages among them
	Elapsed  time.Duration `json:"elapsed"`
	CPU      time.Duration `json:"cpu"`      // user+sys of the process over the measured work
	PeakRSS  int64         `json:"peak_rss"` // VmHWM, bytes
	Bytes    int64         `json:"bytes"`    // database bytes (crawl) or body bytes (site)
	Failed   int           `json:"failed"`
	Detail   string        `json:"detail"`
}

func emit(r result) error { return json.NewEncoder(os.Stdout).Encode(r) }

// rusage is the user+sys CPU time this process has used so far.
func rusage() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS reads VmHWM, the process's peak resident set, in bytes.
func peakRSS() int64 { return procStatusKB("VmHWM:") * 1024 }

func procStatusKB(key string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// machine describes where the numbers were measured.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return model + ", nproc " + strconv.Itoa(runtime.NumCPU()) + ", " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}
