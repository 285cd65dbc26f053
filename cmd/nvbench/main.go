// Command nvbench measures newsvault's crawl and export against a plain
// Colly crawler on a generated loopback news site, and prints the figures
// as a Markdown table.
//
//	go run ./cmd/nvbench [-articles 10000] [-latency 0] [-size 40-80KB] [-out table|json]
//
// The site and each measured program run in child processes (this binary
// re-executed with -role), so the CPU time and peak RSS of each are its own.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type options struct {
	articles     int
	latency      time.Duration
	minKB, maxKB int
	out          string
	role         string // "" = the parent; site, newsvault, colly, export = a child
	url, dir     string
	cpuprofile   string // newsvault's crawl only
	reference    bool   // run the Colly reference too
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("nvbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	size := fs.String("size", "40-80KB", "article page size range, `MIN-MAXKB`")
	fs.IntVar(&o.articles, "articles", 10000, "article pages on the generated site")
	fs.DurationVar(&o.latency, "latency", 0, "delay before each response of the site")
	fs.StringVar(&o.out, "out", "table", "output: table (Markdown) or json")
	fs.StringVar(&o.role, "role", "", "internal: run as a child (site, newsvault, colly, export)")
	fs.BoolVar(&o.reference, "reference", true, "run the Colly reference crawl too (false: newsvault and export only, for long runs)")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the newsvault crawl to `file`")
	fs.StringVar(&o.url, "url", "", "internal: the site's base URL")
	fs.StringVar(&o.dir, "dir", "", "internal: the archive's directory")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var err error
	if o.minKB, o.maxKB, err = parseSize(*size); err != nil {
		fmt.Fprintf(stderr, "nvbench: -size: %v\n", err)
		return 2
	}
	if o.articles < 1 || o.latency < 0 || (o.out != "table" && o.out != "json") {
		fmt.Fprintln(stderr, "nvbench: -articles must be 1 or more, -latency 0 or more, -out table or json")
		return 2
	}
	if o.role != "" {
		err = child(ctx, o)
	} else {
		err = parent(ctx, o, stdout, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "nvbench: %v\n", err)
		if ctx.Err() != nil {
			return 130
		}
		return 1
	}
	return 0
}

func parseSize(s string) (lo, hi int, err error) {
	a, b, ok := strings.Cut(strings.TrimSuffix(strings.ToUpper(s), "KB"), "-")
	if !ok {
		return 0, 0, fmt.Errorf("want MIN-MAXKB, got %q", s)
	}
	if lo, err = strconv.Atoi(a); err == nil {
		hi, err = strconv.Atoi(b)
	}
	if err != nil || lo < 1 || hi < lo {
		return 0, 0, fmt.Errorf("want MIN-MAXKB with 1 <= MIN <= MAX, got %q", s)
	}
	return lo, hi, nil
}

func child(ctx context.Context, o options) error {
	var (
		r   result
		err error
	)
	switch o.role {
	case "site":
		return serveSite(&site{n: o.articles, latency: o.latency, minKB: o.minKB, maxKB: o.maxKB})
	case "newsvault":
		if o.cpuprofile != "" {
			f, err := os.Create(o.cpuprofile)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
		}
		r, err = crawlNewsvault(ctx, o.url, o.dir)
	case "colly":
		r, err = crawlColly(ctx, o.url)
	case "export":
		r, err = exportArchive(ctx, o.dir)
	default:
		return fmt.Errorf("unknown role %q", o.role)
	}
	if err != nil {
		return err
	}
	return emit(r)
}

// report is the whole run, as -out json prints it.
type report struct {
	Command   string `json:"command"`
	Machine   string `json:"machine"`
	Newsvault result `json:"newsvault"`
	Colly     result `json:"colly"`
	Export    result `json:"export"`
	Site      result `json:"site"`
}

func parent(ctx context.Context, o options, stdout, stderr io.Writer) error {
	// The children's stderr is copied into stderr by os/exec goroutines
	// while this one writes progress to it.
	stderr = &syncWriter{w: stderr}
	dir, err := os.MkdirTemp("", "nvbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	site, base, err := startSite(ctx, o, stderr)
	if err != nil {
		return err
	}
	rep := report{Machine: machine(), Command: commandLine(o)}
	stopSite := func() error {
		// Closing its stdin tells the site to stop and report.
		site.stdin.Close()
		err := json.NewDecoder(site.stdout).Decode(&rep.Site)
		if werr := site.cmd.Wait(); err == nil {
			err = werr
		}
		return err
	}
	steps := []struct {
		name string
		dst  *result
	}{{"newsvault", &rep.Newsvault}, {"colly", &rep.Colly}, {"export", &rep.Export}}
	for _, s := range steps {
		if s.name == "colly" && !o.reference {
			continue
		}
		fmt.Fprintf(stderr, "nvbench: %s...\n", s.name)
		args := []string{"-role", s.name, "-url", base, "-dir", dir}
		if s.name == "newsvault" && o.cpuprofile != "" {
			args = append(args, "-cpuprofile", o.cpuprofile)
		}
		if *s.dst, err = runChild(ctx, stderr, args...); err != nil {
			stopSite()
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	if err := stopSite(); err != nil {
		return fmt.Errorf("site: %w", err)
	}
	if o.out == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return writeTable(stdout, rep)
}

func commandLine(o options) string {
	s := fmt.Sprintf("go run ./cmd/nvbench -articles %d", o.articles)
	if o.latency > 0 {
		s += " -latency " + o.latency.String()
	}
	if !o.reference {
		s += " -reference=false"
	}
	if o.minKB != 40 || o.maxKB != 80 {
		s += fmt.Sprintf(" -size %d-%dKB", o.minKB, o.maxKB)
	}
	return s
}

type siteProc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
}

func childCommand(ctx context.Context, stderr io.Writer, args ...string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	// A test binary dispatches on this instead of running its tests.
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stderr = stderr
	return cmd, nil
}

// childEnv marks a re-executed child.
const childEnv = "NVBENCH_CHILD"

func startSite(ctx context.Context, o options, stderr io.Writer) (*siteProc, string, error) {
	cmd, err := childCommand(ctx, stderr, "-role", "site", "-articles", strconv.Itoa(o.articles),
		"-latency", o.latency.String(), "-size", fmt.Sprintf("%d-%dKB", o.minKB, o.maxKB))
	if err != nil {
		return nil, "", err
	}
	p := &siteProc{cmd: cmd}
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, "", err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	p.stdout = bufio.NewReader(out)
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("start site: %w", err)
	}
	line, err := p.stdout.ReadString('\n')
	if err != nil {
		p.stdin.Close()
		cmd.Wait()
		return nil, "", fmt.Errorf("site did not start: %w", err)
	}
	return p, strings.TrimSpace(line), nil
}

func runChild(ctx context.Context, stderr io.Writer, args ...string) (result, error) {
	cmd, err := childCommand(ctx, stderr, args...)
	if err != nil {
		return result{}, err
	}
	out, err := cmd.Output()
	if err != nil {
		return result{}, err
	}
	var r result
	if err := json.Unmarshal(out, &r); err != nil {
		return result{}, fmt.Errorf("read child report %q: %w", out, err)
	}
	if r.Articles == 0 {
		return r, errors.New("no articles: " + r.Detail)
	}
	return r, nil
}

// syncWriter serialises writes to w.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
