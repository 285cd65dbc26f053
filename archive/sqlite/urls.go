package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/newsvault/newsvault/archive"
)

// recordURLs points every URL of p's fetch (requested, after redirects, the
// page's own, the key) at articleID, unless the URL already points at an
// article by a newer fetch: two processes may save their fetches out of
// order.
func recordURLs(ctx context.Context, tx execer, p *pending, articleID int64) error {
	urls := make([]string, 0, 4)
	for _, u := range []string{p.key, p.c.URL, p.c.FinalURL, p.a.URL} {
		if u != "" && !slices.Contains(urls, u) {
			urls = append(urls, u)
		}
	}
	// One statement for the (at most four, distinct) URLs: a placeholder
	// group per URL, values all bound.
	args := make([]any, 0, 3*len(urls))
	for _, u := range urls {
		args = append(args, u, articleID, p.fetchedAt)
	}
	_, err := tx.ExecContext(ctx, qRecordURLs[len(urls)-1], args...)
	if err != nil {
		return fmt.Errorf("record urls: %w", mapErr(err))
	}
	return nil
}

// Seen implements archive.Changes. url may be any URL a saved fetch was
// requested from, redirected to or named by the page, or an article's key.
// The validators are the article's: those of its newest fetch through any
// of its URLs, a 304 Confirm included.
func (s *Store) Seen(ctx context.Context, url string) (archive.Validators, error) {
	var (
		v       archive.Validators
		fetched string
	)
	err := s.read.QueryRowContext(ctx, `
		SELECT a.etag, a.last_modified, a.last_fetched_at
		FROM urls u JOIN articles a ON a.id = u.article_id
		WHERE u.url = ?`, url).Scan(&v.ETag, &v.LastModified, &fetched)
	if errors.Is(err, sql.ErrNoRows) {
		return archive.Validators{}, fmt.Errorf("seen %s: %w", url, archive.ErrNotFound)
	}
	if err != nil {
		return archive.Validators{}, fmt.Errorf("seen %s: %w", url, mapErr(err))
	}
	if v.FetchedAt, err = parseStamp(fetched); err != nil {
		return archive.Validators{}, fmt.Errorf("seen %s: fetched_at: %w", url, err)
	}
	return v, nil
}

// Confirm implements archive.Changes. The fetch time is v.FetchedAt, or the
// Store's clock when that is zero. An empty v.ETag or v.LastModified keeps
// the stored one: a 304 need not repeat its validators, and an empty one
// would turn the next conditional GET into a full fetch. Confirm adds no
// version and so never moves the change cursor.
func (s *Store) Confirm(ctx context.Context, url string, v archive.Validators) error {
	fetched := v.FetchedAt
	if fetched.IsZero() {
		fetched = s.now()
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("confirm %s: begin: %w", url, mapErr(err))
	}
	defer tx.Rollback()
	if err := confirmURL(ctx, tx, url, v, stamp(fetched)); err != nil {
		return fmt.Errorf("confirm %s: %w", url, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("confirm %s: commit: %w", url, mapErr(err))
	}
	return nil
}

func confirmURL(ctx context.Context, tx *sql.Tx, url string, v archive.Validators, fetched string) error {
	var articleID int64
	var latest int
	err := tx.QueryRowContext(ctx, `
		SELECT a.id, a.latest_version FROM urls u JOIN articles a ON a.id = u.article_id
		WHERE u.url = ?`, url).Scan(&articleID, &latest)
	if errors.Is(err, sql.ErrNoRows) {
		return archive.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("find article: %w", mapErr(err))
	}
	// max() and the last_fetched_at guard as in Save: a confirmation
	// recorded late moves nothing back.
	_, err = tx.ExecContext(ctx, `
		UPDATE versions SET last_confirmed_at = max(last_confirmed_at, ?)
		WHERE article_id = ? AND version = ?`, fetched, articleID, latest)
	if err != nil {
		return fmt.Errorf("confirm version: %w", mapErr(err))
	}
	_, err = tx.ExecContext(ctx, `
		UPDATE articles SET etag = coalesce(nullif(?, ''), etag),
			last_modified = coalesce(nullif(?, ''), last_modified), last_fetched_at = ?
		WHERE id = ? AND last_fetched_at <= ?`,
		v.ETag, v.LastModified, fetched, articleID, fetched)
	if err != nil {
		return fmt.Errorf("update validators: %w", mapErr(err))
	}
	// The URL's newest fetch is now this one, which keeps it at this
	// article against a late save of an older fetch.
	_, err = tx.ExecContext(ctx, `UPDATE urls SET fetched_at = max(fetched_at, ?) WHERE url = ?`, fetched, url)
	if err != nil {
		return fmt.Errorf("update url: %w", mapErr(err))
	}
	return nil
}
