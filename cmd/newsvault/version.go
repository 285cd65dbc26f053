package main

import (
	"runtime/debug"

	"github.com/newsvault/newsvault/scraper"
)

// versionString is the release version plus the VCS revision the binary was
// built from, when the Go toolchain recorded one.
func versionString() string {
	v := scraper.Version
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			if len(s.Value) > 12 {
				rev = s.Value[:12]
			} else {
				rev = s.Value
			}
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		v += " (" + rev + dirty + ")"
	}
	return v
}
