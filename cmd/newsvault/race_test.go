//go:build race

package main

// raceEnabled shrinks the heaviest crash tests under -race, whose child
// processes run 5-10 times slower: the full figures are checked by the
// ordinary (non-race) test run.
const raceEnabled = true
