//go:build unix

package sqlite

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) this process has used.
// Benchmarks report it next to wall time because the machines they run on
// are shared: another process's load stretches wall time, much less CPU.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
