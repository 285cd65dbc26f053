package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"
)

// writeFileAtomic writes path through fn so that readers see either the old
// file or the complete new one: fn writes a temp file in the same directory,
// which is synced and renamed over path only when fn succeeds. On any error,
// Ctrl-C included, the temp file is removed and path is untouched.
//
// A process killed outright (SIGKILL, power loss) cannot remove its temp
// file; the next successful write of path removes such leftovers. Each
// writer holds an flock on its temp file while it writes (the kernel drops
// it when the process dies), so a leftover is told from the temp file of a
// write still under way in another process.
func writeFileAtomic(path string, fn func(io.Writer) error) (err error) {
	pattern := "." + filepath.Base(path) + ".tmp-*"
	tmp, err := os.CreateTemp(filepath.Dir(path), pattern)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	lock := flock.New(tmp.Name())
	if _, err := lock.TryLock(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("lock %s: %w", tmp.Name(), err)
	}
	defer lock.Unlock()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := fn(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	// CreateTemp makes the file 0600; an export is an ordinary file.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("chmod %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("rename to %s: %w", path, err)
	}
	removeStaleTemps(filepath.Join(filepath.Dir(path), pattern))
	return nil
}

// removeStaleTemps removes the temp files matching pattern that no live
// writer holds locked. It is best effort: a leftover it cannot remove
// costs disk space, not correctness.
func removeStaleTemps(pattern string) {
	names, _ := filepath.Glob(pattern)
	for _, name := range names {
		l := flock.New(name)
		if ok, err := l.TryLock(); err == nil && ok {
			os.Remove(name)
			l.Unlock()
		}
	}
}
