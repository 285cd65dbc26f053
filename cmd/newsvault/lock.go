package main

import (
	"errors"
	"fmt"

	"github.com/gofrs/flock"
)

// exitLocked is sysexits' EX_TEMPFAIL: another run holds the archive; try
// again later.
const exitLocked = 75

var errLocked = errors.New("another newsvault run holds the archive lock")

// lockArchive takes the run lock of the archive at db without waiting: an
// flock on db+".lock", which the kernel releases when the holder exits or
// dies, so a killed run never leaves a stale lock behind. It returns
// errLocked when another process holds it.
func lockArchive(db string) (unlock func(), err error) {
	l := flock.New(db + ".lock")
	ok, err := l.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", l.Path(), err)
	}
	if !ok {
		return nil, fmt.Errorf("%w (%s)", errLocked, l.Path())
	}
	return func() { l.Unlock() }, nil
}
