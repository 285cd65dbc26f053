package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/newsvault/newsvault/archive"
)

// titleWeight makes a match in the title count as much as this many in
// the text (bm25's column weights).
const titleWeight = 10.0

// Search calls fn with the versions matching q, best first: the latest
// version of each article, or every version with q.AllVersions. A query
// outside the query language (see archive.Query) is archive.ErrBadQuery.
func (s *Store) Search(ctx context.Context, q archive.Query, fn func(*archive.Hit) error) error {
	match, err := ftsQuery(q.Text)
	if err != nil {
		return err
	}
	where := []string{"versions_fts MATCH ?"}
	args := []any{q.Mark, q.Unmark, titleWeight, match}
	if !q.AllVersions {
		where = append(where, "v.version = a.latest_version")
	}
	if q.Site != "" {
		where = append(where, "a.site = ?")
		args = append(args, q.Site)
	}
	if !q.Since.IsZero() {
		where = append(where, "coalesce(v.published_utc, c.fetched_at) >= ?")
		args = append(args, stamp(q.Since))
	}
	limit := q.Limit
	if limit <= 0 {
		limit = -1
	}
	args = append(args, limit)
	rows, err := s.read.QueryContext(ctx, `
		SELECT a.key, v.version, v.url, v.canonical_url, v.site, v.title, v.published_at,
			v.modified_at, v.language, v.content_sha256, c.fetched_at,
			snippet(versions_fts, 1, ?, ?, '…', 16), bm25(versions_fts, ?, 1.0) AS rank
		FROM versions_fts
		JOIN versions v ON v.id = versions_fts.rowid
		JOIN articles a ON a.id = v.article_id
		JOIN captures c ON c.id = v.capture_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY rank, v.id LIMIT ?`, args...)
	if err != nil {
		return searchErr(q.Text, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("search: %w", err)
		}
		var (
			h                            archive.Hit
			a                            = &h.Article
			published, modified, fetched string
		)
		if err := rows.Scan(&h.Key, &a.Version, &a.URL, &a.CanonicalURL, &a.Site, &a.Title, &published,
			&modified, &a.Language, &a.ContentSHA256, &fetched, &h.Snippet, &h.Rank); err != nil {
			return searchErr(q.Text, err)
		}
		if a.PublishedAt, err = parsePublisherTime(published); err != nil {
			return fmt.Errorf("search: published_at: %w", err)
		}
		if a.ModifiedAt, err = parsePublisherTime(modified); err != nil {
			return fmt.Errorf("search: modified_at: %w", err)
		}
		if a.FetchedAt, err = parseStamp(fetched); err != nil {
			return fmt.Errorf("search: fetched_at: %w", err)
		}
		if err := fn(&h); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return searchErr(q.Text, err)
	}
	return nil
}

// searchErr maps a failed search. ftsQuery writes only valid FTS5, so a
// plain SQL error here would be a bug of ours; it is still reported as a
// bad query, never as SQLite's text.
func searchErr(q string, err error) error {
	var e *sqlite.Error
	if errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_ERROR {
		return fmt.Errorf("%w: %q is not understood by the index", archive.ErrBadQuery, q)
	}
	return fmt.Errorf("search: %w", mapErr(err))
}
