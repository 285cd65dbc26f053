package sqlite

import (
	"os"
	"path/filepath"
	"syscall"
)

// rlimInfinity is RLIM_INFINITY, which package syscall declares untyped -1.
const rlimInfinity = ^uint64(0)

// outOfSpace tells whether an I/O error writing the archive at path was
// a full disk in disguise. SQLite reports ENOSPC as SQLITE_FULL, but a
// write refused with EFBIG (the process's file-size limit, RLIMIT_FSIZE,
// as under prlimit --fsize or a systemd LimitFSIZE=) only as
// SQLITE_IOERR_WRITE, and the driver does not pass the errno on: so look
// at the files and the filesystem instead.
func outOfSpace(path string) bool {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim) == nil && lim.Cur != rlimInfinity {
		for _, p := range []string{path, path + "-wal", path + "-journal"} {
			// Within a few pages of the limit: the failed write was the
			// one that would have crossed it.
			if fi, err := os.Stat(p); err == nil && uint64(fi.Size())+64<<10 >= lim.Cur {
				return true
			}
		}
	}
	var st syscall.Statfs_t
	if syscall.Statfs(filepath.Dir(path), &st) == nil && st.Bavail*uint64(st.Bsize) < 1<<20 {
		return true
	}
	return false
}
