package sqlite

import (
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinels for the failures a caller can act on. They are always wrapped
// with the operation that failed; test them with errors.Is.
var (
	// ErrBusy: another connection or process held the write lock for
	// longer than the busy timeout.
	ErrBusy = errors.New("archive database busy")
	// ErrDiskFull: the disk (or a configured size limit) is full; the
	// failed Save left nothing behind.
	ErrDiskFull = errors.New("disk full")
	// ErrNotDatabase: the file exists but is not an SQLite database (or is
	// encrypted), or is another program's SQLite database.
	ErrNotDatabase = errors.New("file is not a newsvault archive")
	// ErrCorrupt: the database file or a stored body is damaged.
	ErrCorrupt = errors.New("archive database corrupt")
	// ErrReadOnly: the file or its directory cannot be written.
	ErrReadOnly = errors.New("archive database is read-only")
	// ErrCantOpen: the file cannot be opened or created (missing
	// directory, permissions).
	ErrCantOpen = errors.New("cannot open archive database")
	// ErrIO: the operating system reported an I/O error.
	ErrIO = errors.New("archive database i/o error")
	// ErrNewerSchema: the database was migrated by a newer newsvault than
	// this one.
	ErrNewerSchema = errors.New("archive database is newer than this newsvault")
)

// mapErr turns an SQLite error into the sentinel for its primary result
// code. Codes no caller can act on (a constraint, a misuse: bugs of ours)
// are returned unchanged so the message still tells what went wrong.
func mapErr(err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	// The driver turns on extended result codes; the low byte is the
	// primary code (SQLITE_IOERR_WRITE -> SQLITE_IOERR, ...).
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return ErrBusy
	case sqlite3.SQLITE_FULL:
		return ErrDiskFull
	case sqlite3.SQLITE_NOTADB:
		return ErrNotDatabase
	case sqlite3.SQLITE_CORRUPT:
		return ErrCorrupt
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
		return ErrReadOnly
	case sqlite3.SQLITE_CANTOPEN:
		return ErrCantOpen
	case sqlite3.SQLITE_IOERR:
		return ErrIO
	}
	return err
}

// isForeignKey reports whether err is a foreign key constraint failure.
func isForeignKey(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}
