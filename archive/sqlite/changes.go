package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/newsvault/newsvault/archive"
)

var _ archive.Changes = (*Store)(nil)

// The change cursor is the id of an article's latest version. versions.id
// is the rowid, assigned as max(rowid) + 1 under the database's single
// write lock, which one transaction of one process holds from BEGIN
// IMMEDIATE to COMMIT. So ids are visible in commit order and a reader's
// snapshot always holds every id below the largest it holds: a cursor can
// never pass a change that commits later with a smaller id (the hazard of a
// sequence in a database with concurrent writers). A new article or version
// inserts a row; an unchanged refetch or a 304 only updates one, so it moves
// no cursor. Versions are never deleted (a trigger of migration 0002
// enforces it), so no id is handed out twice. An explicit sequence would
// cost a write per change and give the same order.

// fromChanges joins each version with its article, keeping only latest
// versions. CROSS JOIN makes SQLite walk versions as the outer loop, in id
// order from the cursor on, so rows stream in cursor order whatever the
// filter, never sorted in a temporary b-tree.
const fromChanges = `FROM versions v
	CROSS JOIN articles a ON a.id = v.article_id AND a.latest_version = v.version
	JOIN captures c ON c.id = v.capture_id`

// ArticlesAfter implements archive.Changes: it calls fn with the latest
// version of every article f selects whose latest version came after
// f.After, in the order of their changes, and streams as Articles does.
// On an error, from fn or the database, it returns the position of the
// last article fn accepted, so a consumer may resume from there.
func (s *Store) ArticlesAfter(ctx context.Context, f archive.Filter, fn func(*archive.Article) error) (archive.Cursor, error) {
	last := f.After
	query, args := changesQuery(f)
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return last, fmt.Errorf("list changes after %d: %w", f.After, mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return last, fmt.Errorf("list changes after %d: %w", f.After, err)
		}
		var pos int64
		a, err := scanArticle(positioned{rows, &pos})
		if err != nil {
			return last, fmt.Errorf("list changes after %d: %w", f.After, mapErr(err))
		}
		if err := fn(a); err != nil {
			return last, err
		}
		last = archive.Cursor(pos)
	}
	if err := rows.Err(); err != nil {
		return last, fmt.Errorf("list changes after %d: %w", f.After, mapErr(err))
	}
	return last, nil
}

// changesQuery is articlesQuery in change order, with each row's position
// first.
func changesQuery(f archive.Filter) (string, []any) {
	where, args := filterWhere(f)
	q := "SELECT v.id, " + articleColumns + " " + fromChanges
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY v.id", args
}

// positioned scans a row of changesQuery: the position into pos, the rest
// as scanArticle asks.
type positioned struct {
	row scanner
	pos *int64
}

func (p positioned) Scan(dest ...any) error {
	return p.row.Scan(append([]any{p.pos}, dest...)...)
}
