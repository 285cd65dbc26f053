package sqlite

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// dsn builds the driver's data source name for the file at path. The
// pragmas ride in the DSN, not in an Exec after Open, because database/sql
// opens connections on its own whenever a pool needs one; the driver runs
// busy_timeout first so the others never fail on a lock held by another
// process. extra is appended as is (a fixed, trusted string).
func dsn(path string, busy time.Duration, extra string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	// A "file:" URI: SQLite percent-decodes the path, and the driver splits
	// the query at the first '?', so a '?', '#', '%' or space in the path
	// must be escaped. The path is made absolute and slash-led so it can
	// never read as "file://authority".
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:/C:/...
	}
	u := (&url.URL{Path: p}).EscapedPath()
	return fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)"+
		"&_pragma=journal_mode(WAL)"+
		// NORMAL with WAL syncs at checkpoints only: a process crash loses
		// nothing committed, a power loss at most the last commits.
		"&_pragma=synchronous(NORMAL)"+
		"&_pragma=foreign_keys(ON)"+
		"&%s", u, busy.Milliseconds(), extra), nil
}
