// Package sqlite is newsvault's embedded default archive.Store, one SQLite
// file on modernc.org/sqlite (pure Go, no cgo).
//
// The file is in WAL mode with synchronous=NORMAL: readers never block the
// writer, and a crash or kill -9 of the process loses no committed Save
// (a power loss may lose the last few). Each Save is one transaction, so
// it is all there after a crash or not at all.
//
// A Store keeps two connection pools to the file: one connection for
// writes, whose transactions begin IMMEDIATE so that several processes
// sharing the file queue on SQLite's busy timeout instead of failing, and a
// query-only pool for reads. The schema is created and upgraded by the
// numbered migrations embedded from migrations/, each applied once, in its
// own transaction, and recorded in schema_migrations.
//
// Raw page bodies are kept zstd-compressed next to the article versions
// extracted from them, so any version can be re-extracted from the bytes it
// came from (Store.LatestCapture).
//
// For scheduled, incremental runs the Store also implements
// archive.Changes and archive.RunLog. The change cursor is the id of an
// article's latest version, which SQLite hands out in commit order under
// its single write lock (see changes.go), so a consumer following it with
// ArticlesAfter never misses a change, even with several writers. Every URL
// a saved fetch came through is kept, so Seen and Confirm work from the
// URL a crawler is about to fetch. As an archive.FetchLog it keeps every
// URL a crawl could not archive, with the raw body of parse_failed and
// no_article pages up to archive.MaxLoggedBody.
//
// A crawl's frontier (the URLs it has seen and those waiting) can live in
// the file too (Store.OpenFrontier), under a lease renewed every minute, so
// a killed crawl's rows are deleted by a later one.
//
// Errors from SQLite are mapped to this package's sentinels (ErrBusy,
// ErrDiskFull, ErrNotDatabase, ...) wrapped with the operation, so callers
// test them with errors.Is and never parse driver messages.
package sqlite
