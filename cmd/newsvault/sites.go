package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
)

func runSites(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("sites", "[--selectors FILE]", e.stderr)
	profiles := fs.String("selectors", "", "YAML `file` of extra site profiles")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("sites takes no arguments, got %q", rest)
	}
	set, err := loadProfiles(*profiles)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tHOSTS\tSOURCE")
	for _, p := range set.Profiles() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Name, strings.Join(p.Hosts, ","), p.Source)
	}
	return tw.Flush()
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fmt.Fprintf(e.stdout, "newsvault %s\n", versionString())
	return nil
}
