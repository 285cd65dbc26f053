//go:build !race

package scraper

const raceEnabled = false
