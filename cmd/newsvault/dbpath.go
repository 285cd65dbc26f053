package main

import (
	"fmt"
	"strings"
)

// checkDBPath refuses a config's db that is not a plain file path. The
// archive builds its own SQLite DSN (its pragmas are not optional), so a
// "file:news.db?_pragma=..." or a "?mode=ro" a user copied from another
// tool would otherwise become a file of that literal name: a new, empty
// archive where the user meant an option.
func checkDBPath(db string) error {
	switch {
	case strings.HasPrefix(db, "file:"):
		return fmt.Errorf("db %q: give a file path, not an SQLite URI (newsvault sets the pragmas itself)", db)
	case strings.ContainsAny(db, "?#"):
		return fmt.Errorf("db %q: a path with '?' or '#' looks like an SQLite URI with options; newsvault sets them itself", db)
	case db == ":memory:" || strings.HasPrefix(db, ":memory:"):
		return fmt.Errorf("db %q: an in-memory database would archive nothing", db)
	case strings.HasSuffix(db, "/"):
		return fmt.Errorf("db %q is a directory; name the archive file", db)
	}
	return nil
}
