package scraper

import (
	"runtime/debug"
	"sync"
)

// Version is newsvault's release version, reported by `newsvault version`.
// Release builds set it with -ldflags "-X".
var Version = "0.1.0-dev"

// DefaultUserAgent names newsvault, its version and where to learn about it,
// so site operators can identify the crawler and find whom to contact.
const DefaultUserAgent = "newsvault/0.1 (+https://github.com/newsvault/newsvault)"

// robotsAgent is the product token matched against robots.txt user-agent
// lines, before the "*" group.
const robotsAgent = "newsvault"

// BuildVersion is Version plus the VCS revision the binary was built from,
// when the Go toolchain recorded one, e.g. "0.1.0-dev (3f2a9c1d0e4b+dirty)".
// Each archived version records it in its provenance.
func BuildVersion() string {
	if rev := buildRevision(); rev != "" {
		return Version + " (" + rev + ")"
	}
	return Version
}

// buildRevision is read once: parsing the build info costs more than a
// page's provenance is worth, and it cannot change.
var buildRevision = sync.OnceValue(func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value[:min(len(s.Value), 12)]
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev == "" {
		return ""
	}
	return rev + dirty
})
