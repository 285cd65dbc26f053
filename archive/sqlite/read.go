package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/newsvault/newsvault/archive"
)

// Latest implements archive.Store. key may be any form of the article's
// URL that archive.NormalizeURL maps to its key. FetchedAt is the fetch time of the
// capture the version was extracted from, not of the last confirmation.
func (s *Store) Latest(ctx context.Context, key string) (archive.Article, error) {
	key = archive.NormalizeURL(key)
	row := s.read.QueryRowContext(ctx, `SELECT `+articleColumns+` `+fromLatest+` WHERE a.key = ?`, key)
	a, err := scanArticle(row)
	if errors.Is(err, sql.ErrNoRows) {
		return archive.Article{}, fmt.Errorf("latest %s: %w", key, archive.ErrNotFound)
	}
	if err != nil {
		return archive.Article{}, fmt.Errorf("latest %s: %w", key, mapErr(err))
	}
	return *a, nil
}

// Versions returns every version of the article archived under key, oldest
// first, or archive.ErrNotFound.
func (s *Store) Versions(ctx context.Context, key string) ([]archive.Article, error) {
	key = archive.NormalizeURL(key)
	rows, err := s.read.QueryContext(ctx, `SELECT `+articleColumns+`
		FROM articles a
		JOIN versions v ON v.article_id = a.id
		JOIN captures c ON c.id = v.capture_id
		WHERE a.key = ? ORDER BY v.version`, key)
	if err != nil {
		return nil, fmt.Errorf("versions %s: %w", key, mapErr(err))
	}
	defer rows.Close()
	var vs []archive.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("versions %s: %w", key, mapErr(err))
		}
		vs = append(vs, *a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("versions %s: %w", key, mapErr(err))
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("versions %s: %w", key, archive.ErrNotFound)
	}
	return vs, nil
}

// LatestCapture returns the fetch the latest version of the article under
// key was extracted from, raw body included, for re-extraction; or
// archive.ErrNotFound. A body that fails its recorded hash is ErrCorrupt.
func (s *Store) LatestCapture(ctx context.Context, key string) (archive.Capture, error) {
	key = archive.NormalizeURL(key)
	var (
		c              archive.Capture
		fetched, sum   string
		size           int
		compressedBody []byte
	)
	err := s.read.QueryRowContext(ctx, `
		SELECT c.url, c.final_url, c.status, c.fetched_at, c.etag, c.last_modified,
			c.content_type, c.charset, c.charset_source, c.body_sha256, c.raw_size, c.body_zstd
		`+fromLatest+` WHERE a.key = ?`, key).Scan(
		&c.URL, &c.FinalURL, &c.Status, &fetched, &c.ETag, &c.LastModified,
		&c.ContentType, &c.Charset, &c.CharsetSource, &sum, &size, &compressedBody)
	if errors.Is(err, sql.ErrNoRows) {
		return archive.Capture{}, fmt.Errorf("latest capture %s: %w", key, archive.ErrNotFound)
	}
	if err != nil {
		return archive.Capture{}, fmt.Errorf("latest capture %s: %w", key, mapErr(err))
	}
	if c.FetchedAt, err = parseStamp(fetched); err != nil {
		return archive.Capture{}, fmt.Errorf("latest capture %s: fetched_at: %w", key, err)
	}
	if c.Body, err = s.decompress(compressedBody, size, sum); err != nil {
		return archive.Capture{}, fmt.Errorf("latest capture %s: %w", key, err)
	}
	return c, nil
}

// Validators returns what a conditional GET of key needs: the ETag and
// Last-Modified of the newest fetch saved for it (changed or not, "" when
// the server sent none) and that fetch's time; or archive.ErrNotFound.
func (s *Store) Validators(ctx context.Context, key string) (etag, lastModified string, fetchedAt time.Time, err error) {
	key = archive.NormalizeURL(key)
	var fetched string
	err = s.read.QueryRowContext(ctx, `SELECT etag, last_modified, last_fetched_at FROM articles WHERE key = ?`, key).
		Scan(&etag, &lastModified, &fetched)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", time.Time{}, fmt.Errorf("validators %s: %w", key, archive.ErrNotFound)
	}
	if err != nil {
		return "", "", time.Time{}, fmt.Errorf("validators %s: %w", key, mapErr(err))
	}
	if fetchedAt, err = parseStamp(fetched); err != nil {
		return "", "", time.Time{}, fmt.Errorf("validators %s: fetched_at: %w", key, err)
	}
	return etag, lastModified, fetchedAt, nil
}
