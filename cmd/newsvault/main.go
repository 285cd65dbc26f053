// Command newsvault crawls news sites, keeps only the articles and archives
// them in SQLite. Run "newsvault help" for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes, mapped once here (restic / sysexits conventions).
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a command may touch of the outside world; tests fill it with
// buffers.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// transport, when set, carries every crawl request; end-to-end tests use
	// it to reach a loopback site under its real host name.
	transport http.RoundTripper
}

type command struct {
	name, summary string
	run           func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"crawl", "crawl sites from start URLs and archive their articles", runCrawl},
		{"export", "write archived articles as JSON Lines or a JSON array", runExport},
		{"import", "archive the articles of a WARC file written by any crawler", runImport},
		{"extract", "clean saved HTML pages offline and print the articles as JSON", runExtract},
		{"reextract", "re-extract archived pages with the current profiles; changes become new versions", runReextract},
		{"similar", "list articles whose text is a near-copy of an archived article's", runSimilar},
		{"run", "one archival pass over the sites of a config file", runRun},
		{"schedule", "stay in the foreground and run each site on its cron schedule", runSchedule},
		{"history", "list the versions of an archived article", runHistory},
		{"diff", "show what changed between two versions of an article", runDiff},
		{"search", "full-text search of the archived articles", runSearch},
		{"verify", "check the whole archive for damage", runVerify},
		{"stats", "counts, sizes and date ranges per site", runStats},
		{"runs", "list recorded runs", runRuns},
		{"failures", "list the URLs a run (or crawl) could not archive, and why", runFailures},
		{"health", "extraction health per site, flagging sites that got worse", runHealth},
		{"sites", "list the site profiles", runSites},
		{"version", "print the version", runVersion},
	}
}

// run executes one command line and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runEnv(ctx, &env{stdin: stdin, stdout: stdout, stderr: stderr}, args)
}

func runEnv(ctx context.Context, e *env, args []string) int {
	stderr := e.stderr
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		return exitCode(ctx, err, stderr)
	}
	fmt.Fprintf(stderr, "newsvault: unknown command %q\n\n", args[0])
	printUsage(stderr)
	return exitUsage
}

// exitStatus ends a command with a specific exit code (a run where some
// sites failed exits 3); err, when set, is printed.
type exitStatus struct {
	code int
	err  error
}

func (e *exitStatus) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func exitCode(ctx context.Context, err error, stderr io.Writer) int {
	var (
		usage  *usageError
		cfgErr *configError
		status *exitStatus
	)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "newsvault: %v\n", err)
		return exitUsage
	case errors.As(err, &cfgErr):
		fmt.Fprintf(stderr, "newsvault: %v\n", err)
		return exitConfig
	case errors.Is(err, errLocked):
		fmt.Fprintf(stderr, "newsvault: %v\n", err)
		return exitLocked
	case errors.As(err, &status):
		if status.err != nil {
			fmt.Fprintf(stderr, "newsvault: %v\n", status.err)
		}
		return status.code
	case ctx.Err() != nil:
		fmt.Fprintf(stderr, "newsvault: interrupted: %v\n", err)
		return exitInterrupted
	default:
		fmt.Fprintf(stderr, "newsvault: %v\n", err)
		return exitError
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "newsvault crawls news sites, keeps only the articles and archives them.\n\nUsage:\n  newsvault <command> [flags] [args]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun \"newsvault <command> -h\" for a command's flags.\n")
}
