package selectors

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"go.yaml.in/yaml/v3"
)

// Profile tells how to extract one site. The zero value of a selector field
// means "use the generic rule for it".
type Profile struct {
	Name   string   // unique name, e.g. "inforos"
	Hosts  []string // host names, each matching its subdomains too
	Source string   // the file it was loaded from, e.g. "builtin:inforos.yaml"
	// Hash is the hex SHA-256 of the profile's definition: its fields as
	// decoded, so comments, layout and key order do not count and any
	// change of a selector, pattern or offset does. Versions record it.
	Hash string

	articleURLs   []*regexp.Regexp
	titleSuffixes []*regexp.Regexp
	title         cascadia.Selector
	body          cascadia.Selector
	remove        []cascadia.Selector
	authors       cascadia.Selector
	published     cascadia.Selector
	modified      cascadia.Selector
	tags          cascadia.Selector
	image         cascadia.Selector
	zone          *time.Location // nil: dates without a zone are UTC
}

// fileYAML is one profile file. Sites stay yaml.Nodes until each is checked
// by hand, so an unknown key can be reported with the site it belongs to.
type fileYAML struct {
	Sites []yaml.Node `yaml:"sites"`
}

type profileYAML struct {
	Name          string   `yaml:"name"`
	Hosts         []string `yaml:"hosts"`
	ArticleURLs   []string `yaml:"article_urls"`
	Title         string   `yaml:"title"`
	TitleSuffixes []string `yaml:"title_suffixes"`
	Body          string   `yaml:"body"`
	Remove        []string `yaml:"remove"`
	Authors       string   `yaml:"authors"`
	Published     string   `yaml:"published"`
	Modified      string   `yaml:"modified"`
	Tags          string   `yaml:"tags"`
	Image         string   `yaml:"image"`
	UTCOffset     string   `yaml:"utc_offset"`
}

var profileKeys = map[string]bool{
	"name": true, "hosts": true, "article_urls": true, "title": true,
	"title_suffixes": true, "body": true, "remove": true, "authors": true,
	"published": true, "modified": true, "tags": true, "image": true,
	"utc_offset": true,
}

var offsetRe = regexp.MustCompile(`^([+-])(\d{2}):?(\d{2})$`)

// parseProfiles decodes and compiles every site of one profile file.
func parseProfiles(source string, data []byte) ([]*Profile, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f fileYAML
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if len(f.Sites) == 0 {
		return nil, fmt.Errorf("%s: no sites", source)
	}
	seen := map[string]bool{}
	var out []*Profile
	for i := range f.Sites {
		p, err := parseProfile(source, &f.Sites[i])
		if err != nil {
			return nil, err
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("%s: site %q: defined twice", source, p.Name)
		}
		seen[p.Name] = true
		out = append(out, p)
	}
	return out, nil
}

func parseProfile(source string, n *yaml.Node) (*Profile, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: line %d: a site must be a mapping", source, n.Line)
	}
	name := ""
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "name" {
			name = n.Content[i+1].Value
		}
	}
	fail := func(field string, err error) error {
		return fmt.Errorf("%s: site %q: %s: %w", source, name, field, err)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !profileKeys[k.Value] {
			return nil, fail(k.Value, fmt.Errorf("unknown field (line %d)", k.Line))
		}
	}
	var y profileYAML
	if err := n.Decode(&y); err != nil {
		return nil, fmt.Errorf("%s: site %q: %w", source, name, err)
	}
	if strings.TrimSpace(y.Name) == "" {
		return nil, fmt.Errorf("%s: line %d: site without a name", source, n.Line)
	}
	if len(y.Hosts) == 0 {
		return nil, fail("hosts", errors.New("at least one host is required"))
	}
	p := &Profile{Name: y.Name, Source: source, Hash: definitionHash(&y)}
	for _, h := range y.Hosts {
		h = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(h)), "www.")
		if h == "" || strings.ContainsAny(h, "/: ") {
			return nil, fail("hosts", fmt.Errorf("invalid host %q", h))
		}
		p.Hosts = append(p.Hosts, h)
	}
	var err error
	if p.articleURLs, err = compileRegexps(y.ArticleURLs); err != nil {
		return nil, fail("article_urls", err)
	}
	if p.titleSuffixes, err = compileRegexps(y.TitleSuffixes); err != nil {
		return nil, fail("title_suffixes", err)
	}
	sels := []struct {
		field string
		src   string
		dst   *cascadia.Selector
	}{
		{"title", y.Title, &p.title},
		{"body", y.Body, &p.body},
		{"authors", y.Authors, &p.authors},
		{"published", y.Published, &p.published},
		{"modified", y.Modified, &p.modified},
		{"tags", y.Tags, &p.tags},
		{"image", y.Image, &p.image},
	}
	for _, s := range sels {
		if *s.dst, err = compileSelector(s.src); err != nil {
			return nil, fail(s.field, err)
		}
	}
	for _, r := range y.Remove {
		sel, err := compileSelector(r)
		if err != nil {
			return nil, fail("remove", err)
		}
		if sel != nil {
			p.remove = append(p.remove, sel)
		}
	}
	if y.UTCOffset != "" {
		m := offsetRe.FindStringSubmatch(y.UTCOffset)
		if m == nil {
			return nil, fail("utc_offset", fmt.Errorf("invalid offset %q, want e.g. +03:00", y.UTCOffset))
		}
		secs := (int(m[2][0]-'0')*10+int(m[2][1]-'0'))*3600 + (int(m[3][0]-'0')*10+int(m[3][1]-'0'))*60
		if m[1] == "-" {
			secs = -secs
		}
		p.zone = time.FixedZone("", secs)
	}
	return p, nil
}

// definitionHash hashes the decoded definition. JSON of the struct is
// canonical: fixed field order, nothing of the YAML's layout.
func definitionHash(y *profileYAML) string {
	b, _ := json.Marshal(y) // strings and lists of strings always encode
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// compileSelector returns nil for an empty selector: the field is unset.
func compileSelector(s string) (cascadia.Selector, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	sel, err := cascadia.Compile(s)
	if err != nil {
		return nil, fmt.Errorf("invalid selector %q: %w", s, err)
	}
	return sel, nil
}

func compileRegexps(ss []string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	for _, s := range ss {
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("invalid regexp %q: %w", s, err)
		}
		out = append(out, re)
	}
	return out, nil
}

// matchesHost reports how specific p's best match for host is: the length
// of the matching host name, 0 for none.
func (p *Profile) matchesHost(host string) int {
	best := 0
	for _, h := range p.Hosts {
		if (host == h || strings.HasSuffix(host, "."+h)) && len(h) > best {
			best = len(h)
		}
	}
	return best
}
