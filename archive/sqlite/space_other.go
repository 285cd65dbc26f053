//go:build !linux

package sqlite

// outOfSpace is the Linux diagnosis of EFBIG; elsewhere SQLite's own
// SQLITE_FULL is all there is.
func outOfSpace(string) bool { return false }
