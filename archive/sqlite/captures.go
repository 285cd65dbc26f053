package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/newsvault/newsvault/archive"
)

// Captures calls fn with the capture of every version of every article f
// selects (f.Site, f.Since, f.Until and f.After as for Articles, judged on
// each version), raw body included, oldest fetch first, stopping at the
// first error fn returns. It streams: one body is in memory at a time. A
// body that fails its recorded hash is ErrCorrupt.
func (s *Store) Captures(ctx context.Context, f archive.Filter, fn func(*archive.StoredCapture) error) error {
	where, args := filterWhere(f)
	// The sort takes only the small columns; each body is read by id
	// afterwards, so SQLite never sorts the blobs.
	q := `SELECT c.id, a.key, v.version, c.url, c.final_url, c.status, c.fetched_at, c.etag,
			c.last_modified, c.content_type, c.charset, c.charset_source
		FROM versions v
		JOIN articles a ON a.id = v.article_id
		JOIN captures c ON c.id = v.capture_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY c.fetched_at, c.id"
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("list captures: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("list captures: %w", err)
		}
		var (
			sc      archive.StoredCapture
			id      int64
			fetched string
		)
		c := &sc.Capture
		if err := rows.Scan(&id, &sc.Key, &sc.Version, &c.URL, &c.FinalURL, &c.Status, &fetched,
			&c.ETag, &c.LastModified, &c.ContentType, &c.Charset, &c.CharsetSource); err != nil {
			return fmt.Errorf("list captures: %w", mapErr(err))
		}
		if c.FetchedAt, err = parseStamp(fetched); err != nil {
			return fmt.Errorf("list captures: capture %d: fetched_at: %w", id, err)
		}
		if c.Body, err = s.captureBody(ctx, id); err != nil {
			return fmt.Errorf("list captures: capture %d of %s: %w", id, sc.Key, err)
		}
		if err := fn(&sc); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list captures: %w", mapErr(err))
	}
	return nil
}

// captureBody reads and checks the raw body of capture id.
func (s *Store) captureBody(ctx context.Context, id int64) ([]byte, error) {
	var (
		sum  string
		size int
		z    []byte
	)
	err := s.read.QueryRowContext(ctx, `SELECT body_sha256, raw_size, body_zstd FROM captures WHERE id = ?`, id).
		Scan(&sum, &size, &z)
	if err != nil {
		return nil, mapErr(err)
	}
	return s.decompress(z, size, sum)
}

// HasCapture reports whether the archive keeps a capture of c.FinalURL
// fetched at c.FetchedAt with c's body: c was archived before (an import
// run twice), whatever version it gave.
func (s *Store) HasCapture(ctx context.Context, c *archive.Capture) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM captures
		WHERE final_url = ? AND fetched_at = ? AND body_sha256 = ?`,
		c.FinalURL, stamp(c.FetchedAt), sha256Hex(c.Body)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("has capture %s: %w", c.FinalURL, mapErr(err))
	}
	return n > 0, nil
}
