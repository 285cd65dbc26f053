package main

import "github.com/newsvault/newsvault/scraper"

// versionString is the release version plus the VCS revision the binary was
// built from, when the Go toolchain recorded one: what every archived
// version records as its newsvault.
func versionString() string { return scraper.BuildVersion() }
