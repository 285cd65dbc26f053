package archive

import "time"

// Cursor marks a position in the archive's change log: every new article
// and every new version gets a larger cursor than all before it, and
// confirmations of unchanged pages get none. The zero Cursor is "before
// everything".
type Cursor int64

// Validators are what a conditional GET needs of the last fetch of a URL.
type Validators struct {
	ETag         string
	LastModified string
	FetchedAt    time.Time // when the URL was last fetched, changed or not
}
