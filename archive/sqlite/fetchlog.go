package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/newsvault/newsvault/archive"
)

var _ archive.FetchLog = (*Store)(nil)

// LogFetch implements archive.FetchLog in one short write transaction.
// What is stored is e.Cleaned(); the body, when kept, is compressed before
// the write lock is taken. A zero e.At is the Store's clock.
func (s *Store) LogFetch(ctx context.Context, e *archive.FetchLogEntry) error {
	if e == nil {
		return errors.New("log fetch: nil entry")
	}
	c := e.Cleaned()
	if c.At.IsZero() {
		c.At = s.now()
	}
	var (
		runID            sql.NullInt64
		size             sql.NullInt64
		sum              sql.NullString
		body             []byte // nil binds as NULL: not kept
		bodyLen, bodySum = int64(0), ""
	)
	if c.RunID != 0 {
		runID = sql.NullInt64{Int64: c.RunID, Valid: true}
	}
	if c.Body != nil {
		bodyLen, bodySum = int64(len(c.Body)), sha256Hex(c.Body)
		size = sql.NullInt64{Int64: bodyLen, Valid: true}
		sum = sql.NullString{String: bodySum, Valid: true}
		if archive.KeepsBody(c.Reason) && len(c.Body) <= archive.MaxLoggedBody {
			body = compress(s.enc, c.Body)
		}
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("log fetch %s: begin: %w", c.URL, mapErr(err))
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO fetch_log
		(run_id, at, url, reason, status, error, raw_size, body_sha256, body_zstd)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		runID, stamp(c.At), c.URL, c.Reason, c.Status, c.Error, size, sum, body)
	if isForeignKey(err) {
		return fmt.Errorf("log fetch %s: run %d: %w", c.URL, c.RunID, archive.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("log fetch %s: %w", c.URL, mapErr(err))
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("log fetch %s: %w", c.URL, mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("log fetch %s: commit: %w", c.URL, mapErr(err))
	}
	e.ID, e.BodySize, e.BodySHA256 = id, bodyLen, bodySum
	return nil
}

// FetchLog implements archive.FetchLog. Kept bodies are checked against
// their recorded size and hash (ErrCorrupt when they do not match).
func (s *Store) FetchLog(ctx context.Context, runID int64, limit int) ([]archive.FetchLogEntry, error) {
	if limit < 0 {
		return nil, fmt.Errorf("read fetch log: negative limit %d", limit)
	}
	if limit == 0 {
		limit = -1 // SQLite's "no limit"
	}
	var run sql.NullInt64
	if runID != 0 {
		run = sql.NullInt64{Int64: runID, Valid: true}
	}
	// "IS ?" matches NULL to NULL, and uses the index either way.
	rows, err := s.read.QueryContext(ctx, `SELECT id, at, url, reason, status, error, raw_size, body_sha256,
		body_zstd IS NOT NULL, body_zstd FROM fetch_log WHERE run_id IS ? ORDER BY id LIMIT ?`, run, limit)
	if err != nil {
		return nil, fmt.Errorf("read fetch log of run %d: %w", runID, mapErr(err))
	}
	defer rows.Close()
	var out []archive.FetchLogEntry
	for rows.Next() {
		e, err := s.scanFetch(rows)
		if err != nil {
			return nil, fmt.Errorf("read fetch log of run %d: %w", runID, err)
		}
		e.RunID = runID
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read fetch log of run %d: %w", runID, mapErr(err))
	}
	return out, nil
}

func (s *Store) scanFetch(rows *sql.Rows) (archive.FetchLogEntry, error) {
	var (
		e    archive.FetchLogEntry
		at   string
		size sql.NullInt64
		sum  sql.NullString
		kept bool
		z    []byte
	)
	if err := rows.Scan(&e.ID, &at, &e.URL, &e.Reason, &e.Status, &e.Error, &size, &sum, &kept, &z); err != nil {
		return e, mapErr(err)
	}
	var err error
	if e.At, err = parseStamp(at); err != nil {
		return e, fmt.Errorf("entry %d: at: %w", e.ID, err)
	}
	e.BodySize, e.BodySHA256 = size.Int64, sum.String
	if kept { // z may scan as nil for an empty body
		if e.Body, err = s.decompress(z, int(size.Int64), sum.String); err != nil {
			return e, fmt.Errorf("entry %d: %w", e.ID, err)
		}
	}
	return e, nil
}
