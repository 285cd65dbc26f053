package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"time"

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"
)

// exitConfig is sysexits' EX_CONFIG: the config file is wrong.
const exitConfig = 78

// configError is a bad config file: exit code 78.
type configError struct{ err error }

func (e *configError) Error() string { return e.err.Error() }
func (e *configError) Unwrap() error { return e.err }

// config is a newsvault.yaml: the archive, and the sites a scheduled run
// crawls.
type config struct {
	DB        string       `yaml:"db"`
	UserAgent string       `yaml:"user_agent"`
	Selectors string       `yaml:"selectors"` // extra site profiles
	Defaults  siteSettings `yaml:"defaults"`
	Sites     []siteConfig `yaml:"sites"`
}

// siteSettings are the knobs that may be set under defaults and per site;
// a nil field is "not set here".
type siteSettings struct {
	Delay        *duration `yaml:"delay"`
	Parallel     *int      `yaml:"parallel"`
	Depth        *int      `yaml:"depth"`
	Timeout      *duration `yaml:"timeout"`
	MaxBody      *size     `yaml:"max_body"`
	MaxPages     *int      `yaml:"max_pages"`
	Revisit      *duration `yaml:"revisit"`
	MaxAge       *duration `yaml:"max_age"`
	IgnoreRobots *bool     `yaml:"ignore_robots"`
	Schedule     *schedule `yaml:"schedule"`

	// Secrets: sent only to the site's own hosts, never logged or stored.
	// A site's headers and cookies are added to (and override, name by
	// name) those of defaults.
	Headers      map[string]string `yaml:"headers"` // e.g. {Authorization: "Bearer ..."}
	Cookies      map[string]string `yaml:"cookies"` // name: value
	Proxy        *proxyURL         `yaml:"proxy"`   // http://user:pass@host:port
	AllowPrivate []string          `yaml:"allow_private"`
}

type siteConfig struct {
	Name         string    `yaml:"name"`
	Start        []string  `yaml:"start"`
	Feeds        []string  `yaml:"feeds"`
	Sitemaps     []string  `yaml:"sitemaps"`
	Include      []pattern `yaml:"include"`
	Exclude      []pattern `yaml:"exclude"`
	siteSettings `yaml:",inline"`

	line int // where the site starts in the file, for errors
}

// site is a siteConfig with the defaults applied: what a pass over one site
// runs with.
type site struct {
	Name                   string
	Start, Feeds, Sitemaps []string
	Include, Exclude       []*regexp.Regexp
	Delay, Timeout         time.Duration
	Revisit, MaxAge        time.Duration
	Parallel, Depth        int
	MaxPages               int
	MaxBody                int64
	IgnoreRobots           bool
	Schedule               string // "" = not scheduled
	schedule               cron.Schedule
	Headers                http.Header
	Cookies                []*http.Cookie
	Proxy                  *url.URL
	AllowPrivate           []string // host names, host:port, IPs or IP:port the crawl may reach although private
}

// builtinDefaults apply where neither the site nor defaults set a knob;
// they match the crawl command's flags, with revisit added.
var builtinDefaults = site{
	Delay: time.Second, Parallel: 2, Depth: 2, Timeout: 30 * time.Second,
	MaxBody: 10 << 20, Revisit: 6 * time.Hour,
}

// loadConfig reads and validates a config file. Every problem is a
// *configError naming the file and, where it has one, the line.
func loadConfig(path string) (*config, []site, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, &configError{fmt.Errorf("read config: %w", err)}
	}
	cfg, sites, err := parseConfig(data)
	if err != nil {
		return nil, nil, &configError{fmt.Errorf("%s: %w", path, err)}
	}
	return cfg, sites, nil
}

func parseConfig(data []byte) (*config, []site, error) {
	var cfg config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errors.New("empty config")
		}
		return nil, nil, err
	}
	if cfg.DB == "" {
		cfg.DB = "newsvault.db"
	}
	if err := checkDBPath(cfg.DB); err != nil {
		return nil, nil, err
	}
	if len(cfg.Sites) == 0 {
		return nil, nil, errors.New("no sites")
	}
	if err := cfg.Defaults.check(); err != nil {
		return nil, nil, fmt.Errorf("defaults: %w", err)
	}
	lines := siteLines(data)
	seen := map[string]int{}
	sites := make([]site, 0, len(cfg.Sites))
	for i := range cfg.Sites {
		sc := &cfg.Sites[i]
		if i < len(lines) {
			sc.line = lines[i]
		}
		s, err := sc.resolve(&cfg.Defaults)
		if err != nil {
			return nil, nil, fmt.Errorf("line %d: site %q: %w", sc.line, sc.Name, err)
		}
		if first, dup := seen[s.Name]; dup {
			return nil, nil, fmt.Errorf("line %d: duplicate site name %q (first at line %d)", sc.line, s.Name, first)
		}
		seen[s.Name] = sc.line
		sites = append(sites, s)
	}
	return &cfg, sites, nil
}

// siteLines returns the line of each entry under "sites", in order.
// (A custom UnmarshalYAML on siteConfig would lose KnownFields' check of
// unknown keys, so the lines come from a second, untyped decode.)
func siteLines(data []byte) []int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "sites" {
			var lines []int
			for _, item := range root.Content[i+1].Content {
				lines = append(lines, item.Line)
			}
			return lines
		}
	}
	return nil
}

func (sc *siteConfig) resolve(defaults *siteSettings) (site, error) {
	if sc.Name == "" {
		return site{}, errors.New("no name")
	}
	if len(sc.Start)+len(sc.Feeds)+len(sc.Sitemaps) == 0 {
		return site{}, errors.New("no start, feeds or sitemaps URL")
	}
	for _, list := range [][]string{sc.Start, sc.Feeds, sc.Sitemaps} {
		for _, raw := range list {
			u, err := url.Parse(raw)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return site{}, fmt.Errorf("%q is not an http(s) URL", raw)
			}
		}
	}
	if err := sc.siteSettings.check(); err != nil {
		return site{}, err
	}
	s := builtinDefaults
	s.Name, s.Start, s.Feeds, s.Sitemaps = sc.Name, sc.Start, sc.Feeds, sc.Sitemaps
	for _, p := range sc.Include {
		s.Include = append(s.Include, p.re)
	}
	for _, p := range sc.Exclude {
		s.Exclude = append(s.Exclude, p.re)
	}
	defaults.apply(&s)
	sc.siteSettings.apply(&s)
	return s, nil
}

// check validates the ranges YAML types cannot express.
func (ss *siteSettings) check() error {
	atLeast := func(name string, v *int, least int) error {
		if v != nil && *v < least {
			return fmt.Errorf("%s must be %d or more, got %d", name, least, *v)
		}
		return nil
	}
	return errors.Join(
		atLeast("parallel", ss.Parallel, 1),
		atLeast("depth", ss.Depth, 0),
		atLeast("max_pages", ss.MaxPages, 0),
	)
}

// apply copies the settings that are set onto s.
func (ss *siteSettings) apply(s *site) {
	if ss.Delay != nil {
		s.Delay = ss.Delay.d
	}
	if ss.Timeout != nil {
		s.Timeout = ss.Timeout.d
	}
	if ss.Revisit != nil {
		s.Revisit = ss.Revisit.d
	}
	if ss.MaxAge != nil {
		s.MaxAge = ss.MaxAge.d
	}
	if ss.Parallel != nil {
		s.Parallel = *ss.Parallel
	}
	if ss.Depth != nil {
		s.Depth = *ss.Depth
	}
	if ss.MaxPages != nil {
		s.MaxPages = *ss.MaxPages
	}
	if ss.MaxBody != nil {
		s.MaxBody = ss.MaxBody.n
	}
	if ss.IgnoreRobots != nil {
		s.IgnoreRobots = *ss.IgnoreRobots
	}
	if ss.Schedule != nil {
		s.Schedule, s.schedule = ss.Schedule.spec, ss.Schedule.s
	}
	if len(ss.Headers) > 0 {
		h := s.Headers.Clone()
		if h == nil {
			h = http.Header{}
		}
		for k, v := range ss.Headers {
			h.Set(k, v)
		}
		s.Headers = h
	}
	if len(ss.Cookies) > 0 {
		byName := map[string]*http.Cookie{}
		for _, c := range s.Cookies {
			byName[c.Name] = c
		}
		for k, v := range ss.Cookies {
			byName[k] = &http.Cookie{Name: k, Value: v}
		}
		s.Cookies = s.Cookies[:0:0]
		for _, name := range slices.Sorted(maps.Keys(byName)) {
			s.Cookies = append(s.Cookies, byName[name])
		}
	}
	if ss.Proxy != nil {
		s.Proxy = ss.Proxy.u
	}
	if ss.AllowPrivate != nil {
		s.AllowPrivate = append(slices.Clip(s.AllowPrivate), ss.AllowPrivate...)
	}
}

// proxyURL is a proxy's URL. Its errors never repeat the value: it may
// hold a password.
type proxyURL struct{ u *url.URL }

func (p *proxyURL) UnmarshalYAML(n *yaml.Node) error {
	u, err := url.Parse(n.Value)
	if err != nil || u.Hostname() == "" {
		return fmt.Errorf("line %d: invalid proxy URL (want e.g. http://user:pass@host:port)", n.Line)
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return fmt.Errorf("line %d: proxy scheme %q: want http, https or socks5", n.Line, u.Scheme)
	}
	p.u = u
	return nil
}

// duration is a YAML time.Duration ("2s", "6h"); errors name the line.
type duration struct{ d time.Duration }

func (d *duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: invalid duration %q (want e.g. 2s, 30m, 6h)", n.Line, n.Value)
	}
	d.d = v
	return nil
}

// size is a YAML byte size ("10MiB", "512KiB", 1048576).
type size struct{ n int64 }

func (s *size) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseByteSize(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	s.n = v
	return nil
}

// pattern is a YAML regular expression, compiled when the file loads.
type pattern struct{ re *regexp.Regexp }

func (p *pattern) UnmarshalYAML(n *yaml.Node) error {
	re, err := regexp.Compile(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: invalid pattern %q: %w", n.Line, n.Value, err)
	}
	p.re = re
	return nil
}

// schedule is a cron expression, five fields or a descriptor (@hourly).
type schedule struct {
	spec string
	s    cron.Schedule
}

func (c *schedule) UnmarshalYAML(n *yaml.Node) error {
	s, err := cron.ParseStandard(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: invalid schedule %q: %w", n.Line, n.Value, err)
	}
	c.spec, c.s = n.Value, s
	return nil
}
