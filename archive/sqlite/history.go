package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/newsvault/newsvault/archive"
)

// resolve finds the article a URL names: its key in any form
// archive.NormalizeURL maps to it, else any URL a saved fetch of it came
// through (as Seen does), as given or normalised.
func resolve(ctx context.Context, tx *sql.Tx, url string) (id int64, key string, err error) {
	norm := archive.NormalizeURL(url)
	err = tx.QueryRowContext(ctx, `SELECT id, key FROM articles WHERE key = ?`, norm).Scan(&id, &key)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.QueryRowContext(ctx, `
			SELECT a.id, a.key FROM urls u JOIN articles a ON a.id = u.article_id
			WHERE u.url IN (?, ?) ORDER BY u.url = ? DESC LIMIT 1`, url, norm, url).Scan(&id, &key)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", archive.ErrNotFound
	}
	if err != nil {
		return 0, "", mapErr(err)
	}
	return id, key, nil
}

// versionColumns are articleColumns and newsvault's own times of the version.
const versionColumns = articleColumns + `, v.first_seen_at, v.last_confirmed_at`

// withTimes scans a row of versionColumns: the times into vi, the rest as
// scanArticle asks.
type withTimes struct {
	row         scanner
	first, last *string
}

func (w withTimes) Scan(dest ...any) error {
	return w.row.Scan(append(dest, w.first, w.last)...)
}

func scanVersion(row scanner) (*archive.VersionInfo, error) {
	var first, last string
	a, err := scanArticle(withTimes{row, &first, &last})
	if err != nil {
		return nil, err
	}
	vi := &archive.VersionInfo{Article: *a}
	if vi.FirstSeenAt, err = parseStamp(first); err != nil {
		return nil, fmt.Errorf("first_seen_at: %w", err)
	}
	if vi.LastConfirmedAt, err = parseStamp(last); err != nil {
		return nil, fmt.Errorf("last_confirmed_at: %w", err)
	}
	return vi, nil
}

// History calls fn with every version of the article url names, oldest
// first, one at a time from one snapshot, and returns the article's key;
// archive.ErrNotFound when no article has that URL.
func (s *Store) History(ctx context.Context, url string, fn func(*archive.VersionInfo) error) (string, error) {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("history %s: begin: %w", url, mapErr(err))
	}
	defer tx.Rollback()
	id, key, err := resolve(ctx, tx, url)
	if err != nil {
		return "", fmt.Errorf("history %s: %w", url, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+versionColumns+`
		FROM versions v JOIN captures c ON c.id = v.capture_id
		WHERE v.article_id = ? ORDER BY v.version`, id)
	if err != nil {
		return key, fmt.Errorf("history %s: %w", key, mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		vi, err := scanVersion(rows)
		if err != nil {
			return key, fmt.Errorf("history %s: %w", key, mapErr(err))
		}
		vi.Key = key
		if err := fn(vi); err != nil {
			return key, err
		}
	}
	if err := rows.Err(); err != nil {
		return key, fmt.Errorf("history %s: %w", key, mapErr(err))
	}
	return key, nil
}

// Version returns version n of the article url names; n <= 0 counts back
// from the latest (0 is the latest, -1 the one before). A version that does
// not exist is archive.ErrNotFound.
func (s *Store) Version(ctx context.Context, url string, n int) (archive.VersionInfo, error) {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return archive.VersionInfo{}, fmt.Errorf("version %s: begin: %w", url, mapErr(err))
	}
	defer tx.Rollback()
	id, key, err := resolve(ctx, tx, url)
	if err != nil {
		return archive.VersionInfo{}, fmt.Errorf("version %s: %w", url, err)
	}
	row := tx.QueryRowContext(ctx, `SELECT `+versionColumns+`
		FROM articles a JOIN versions v ON v.article_id = a.id JOIN captures c ON c.id = v.capture_id
		WHERE a.id = ?1 AND v.version = iif(?2 > 0, ?2, a.latest_version + ?2)`, id, n)
	vi, err := scanVersion(row)
	if errors.Is(err, sql.ErrNoRows) {
		return archive.VersionInfo{}, fmt.Errorf("version %d of %s: %w", n, key, archive.ErrNotFound)
	}
	if err != nil {
		return archive.VersionInfo{}, fmt.Errorf("version %d of %s: %w", n, key, mapErr(err))
	}
	vi.Key = key
	return *vi, nil
}
