package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/newsvault/newsvault/archive"
)

// Articles implements archive.Store. It streams: one row is in memory at a
// time, however large the archive, and each call of fn gets its own
// *Article to keep. fn may call other Store methods, Save included: the
// query reads a snapshot taken when it started, on its own connection, so
// it neither blocks nor sees writes made meanwhile.
func (s *Store) Articles(ctx context.Context, f archive.Filter, fn func(*archive.Article) error) error {
	query, args := articlesQuery(f)
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("list articles: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("list articles: %w", err)
		}
		a, err := scanArticle(rows)
		if err != nil {
			return fmt.Errorf("list articles: %w", mapErr(err))
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list articles: %w", mapErr(err))
	}
	return nil
}

// articlesQuery builds the export query from fixed clauses; every value is
// a bound parameter.
func articlesQuery(f archive.Filter) (string, []any) {
	where, args := filterWhere(f)
	q := "SELECT " + articleColumns + " " + fromLatest
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY a.key", args
}

// filterWhere returns the conditions f puts on a latest version v of an
// article a, and their arguments.
func filterWhere(f archive.Filter) ([]string, []any) {
	var (
		where []string
		args  []any
	)
	if f.Site != "" {
		where = append(where, "a.site = ?")
		args = append(args, f.Site)
	}
	// The article's date: its publication time, else its fetch time.
	const dated = "coalesce(v.published_utc, c.fetched_at)"
	if !f.Since.IsZero() {
		where = append(where, dated+" >= ?")
		args = append(args, stamp(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, dated+" < ?")
		args = append(args, stamp(f.Until))
	}
	if f.After != 0 {
		// A version's id is its change position (see changes.go).
		where = append(where, "v.id > ?")
		args = append(args, int64(f.After))
	}
	return where, args
}
