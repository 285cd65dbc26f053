package selectors

import (
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"sync"
)

//go:embed profiles/*.yaml
var builtinFS embed.FS

// Set is a loaded, compiled set of site profiles; safe for concurrent use,
// including concurrent Add. The zero value is an empty set: every site gets
// the generic extraction.
type Set struct {
	mu       sync.RWMutex
	profiles map[string]*Profile // by name
}

// Builtin returns a new Set holding the profiles embedded from
// selectors/profiles/*.yaml.
func Builtin() (*Set, error) {
	s := &Set{}
	names, err := fs.Glob(builtinFS, "profiles/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list builtin profiles: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read builtin profile %s: %w", name, err)
		}
		file := strings.TrimPrefix(name, "profiles/")
		ps, err := parseProfiles(file, data)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			p.Source = "builtin:" + file
		}
		s.put(ps)
	}
	return s, nil
}

// Add compiles the profiles of one YAML file and adds them to s, replacing
// any profile of the same name. source names the file in errors. On error s
// is left unchanged.
func (s *Set) Add(source string, yamlData []byte) error {
	ps, err := parseProfiles(source, yamlData)
	if err != nil {
		return err
	}
	s.put(ps)
	return nil
}

func (s *Set) put(ps []*Profile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.profiles == nil {
		s.profiles = map[string]*Profile{}
	}
	for _, p := range ps {
		s.profiles[p.Name] = p
	}
}

// Profiles returns the profiles of s sorted by name.
func (s *Set) Profiles() []Profile {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Profile, 0, len(s.profiles))
	for _, p := range s.profiles {
		q := *p
		q.Hosts = append([]string(nil), p.Hosts...)
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// profileFor returns the profile whose host matches u most specifically,
// or nil.
func (s *Set) profileFor(u *url.URL) *Profile {
	if s == nil || u == nil {
		return nil
	}
	host := siteOf(u)
	s.mu.RLock()
	defer s.mu.RUnlock()
	var best *Profile
	bestLen := 0
	for _, p := range s.profiles {
		n := p.matchesHost(host)
		if n > bestLen || (n == bestLen && n > 0 && best != nil && p.Name < best.Name) {
			best, bestLen = p, n
		}
	}
	return best
}

// siteOf is the host name of u, lower case, without "www.".
func siteOf(u *url.URL) string {
	if u == nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}
