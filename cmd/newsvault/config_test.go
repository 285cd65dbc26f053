package main

import (
	"strings"
	"testing"
	"time"
)

const goodConfig = `
db: news.db
user_agent: "newsvault/1.0 (+https://example.org/contact)"
defaults: {delay: 2s, parallel: 2, depth: 2, timeout: 30s, max_body: 10MiB, revisit: 6h}
sites:
  - name: inforos
    start: [https://www.inforos.ru/en/]
    feeds: [https://www.inforos.ru/en/rss/]
    sitemaps: [https://www.inforos.ru/sitemap.xml]
    include: ['^/en/\?.*module=news']
    exclude: ['/print/']
    revisit: 1h
    max_age: 720h
    schedule: "*/30 * * * *"
  - name: other
    start: [https://news.example.org/]
    depth: 1
    max_body: 512KiB
`

func TestParseConfig(t *testing.T) {
	cfg, sites, err := parseConfig([]byte(goodConfig))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DB != "news.db" || cfg.UserAgent != "newsvault/1.0 (+https://example.org/contact)" {
		t.Errorf("db %q, user agent %q", cfg.DB, cfg.UserAgent)
	}
	if len(sites) != 2 {
		t.Fatalf("%d sites, want 2", len(sites))
	}
	inforos, other := sites[0], sites[1]
	if inforos.Revisit != time.Hour || inforos.MaxAge != 720*time.Hour || inforos.Delay != 2*time.Second ||
		inforos.Schedule != "*/30 * * * *" || inforos.schedule == nil {
		t.Errorf("inforos resolved to %+v", inforos)
	}
	if !inforos.Include[0].MatchString("/en/?module=news&action=view&id=1") || !inforos.Exclude[0].MatchString("/print/1") {
		t.Errorf("include/exclude patterns do not match: %v %v", inforos.Include, inforos.Exclude)
	}
	// other: defaults where it sets nothing, its own values where it does.
	if other.Revisit != 6*time.Hour || other.Depth != 1 || other.MaxBody != 512<<10 || other.Delay != 2*time.Second ||
		other.Parallel != 2 || other.Schedule != "" {
		t.Errorf("other resolved to %+v", other)
	}
}

func TestParseConfigErrors(t *testing.T) {
	site := "sites:\n  - name: a\n    start: [https://a.example/]\n"
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"unknown top-level key", "dbb: x\n" + site, "line 1: field dbb not found"},
		{"unknown site key", site + "    startt: [x]\n", "line 4: field startt not found"},
		{"bad duration", "defaults: {delay: 2 seconds}\n" + site, `line 1: invalid duration "2 seconds"`},
		{"bad site duration", site + "    revisit: soon\n", `line 4: invalid duration "soon"`},
		{"bad pattern", site + "    include: ['(']\n", `line 4: invalid pattern "("`},
		{"bad size", site + "    max_body: lots\n", `line 4: invalid size "lots"`},
		{"bad schedule", site + "    schedule: every hour\n", `line 4: invalid schedule "every hour"`},
		{"duplicate name", site + "  - name: a\n    start: [https://b.example/]\n", `line 4: duplicate site name "a" (first at line 2)`},
		{"no start", "sites:\n  - name: a\n", `line 2: site "a": no start, feeds or sitemaps URL`},
		{"not a URL", "sites:\n  - name: a\n    start: [ftp://x/]\n", `not an http(s) URL`},
		{"no sites", "db: x.db\n", "no sites"},
		{"empty", "", "empty config"},
		{"bad parallel", site + "    parallel: 0\n", "parallel must be 1 or more"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := parseConfig([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
