//go:build !unix

package sqlite

import "time"

// cpuTime is unknown here: benchmarks leave out their CPU figures.
func cpuTime() time.Duration { return 0 }
