package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/newsvault/newsvault/archive"
)

var _ archive.ProvenanceSaver = (*Store)(nil)

// causeOf is the versions.cause of a save with provenance p.
func causeOf(p *archive.Provenance) archive.Cause {
	if p == nil || p.Cause == "" {
		return archive.CauseFetch
	}
	return p.Cause
}

// insertDerived stores what belongs to a new version besides its row: its
// provenance, when known, and the SimHash of its text.
func insertDerived(ctx context.Context, tx execer, p *pending, versionID, articleID int64) error {
	if pr := p.prov; pr != nil {
		_, err := tx.ExecContext(ctx, qInsertProvenance,
			versionID, pr.Newsvault, pr.Profile, pr.ProfileHash,
			pr.Title, pr.Published, pr.Modified, pr.Authors)
		if err != nil {
			return fmt.Errorf("insert provenance: %w", mapErr(err))
		}
	}
	return insertSimHash(ctx, tx, versionID, articleID, p.a.Text)
}

// provenanceColumns are read after articleColumns by ProvenanceAfter; the
// provenance row is LEFT JOINed as p, so its columns may be NULL.
const provenanceColumns = `v.cause, coalesce(p.newsvault, ''), coalesce(p.profile, ''),
	coalesce(p.profile_hash, ''), coalesce(p.title_rule, ''), coalesce(p.published_rule, ''),
	coalesce(p.modified_rule, ''), coalesce(p.authors_rule, ''),
	c.body_sha256, c.charset, c.charset_source`

// withProvenance scans a row of ProvenanceAfter's query: the position,
// the article as scanArticle asks, then the provenance.
type withProvenance struct {
	row scanner
	pos *int64
	p   *archive.Provenance
}

func (w withProvenance) Scan(dest ...any) error {
	p := w.p
	all := append([]any{w.pos}, dest...)
	all = append(all, (*string)(&p.Cause), &p.Newsvault, &p.Profile, &p.ProfileHash,
		&p.Title, &p.Published, &p.Modified, &p.Authors,
		&p.BodySHA256, &p.Charset, &p.CharsetSource)
	return w.row.Scan(all...)
}

// ProvenanceAfter is ArticlesAfter that also gives each article's
// provenance: cause, newsvault version, profile and rules (empty for
// versions archived without them) and its capture's body hash and charset.
func (s *Store) ProvenanceAfter(ctx context.Context, f archive.Filter, fn func(*archive.Article, *archive.Provenance) error) (archive.Cursor, error) {
	last := f.After
	where, args := filterWhere(f)
	q := "SELECT v.id, " + articleColumns + ", " + provenanceColumns + " " + fromChanges +
		" LEFT JOIN provenance p ON p.version_id = v.id"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY v.id"
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return last, fmt.Errorf("list changes after %d: %w", f.After, mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return last, fmt.Errorf("list changes after %d: %w", f.After, err)
		}
		var (
			pos  int64
			prov archive.Provenance
		)
		a, err := scanArticle(withProvenance{rows, &pos, &prov})
		if err != nil {
			return last, fmt.Errorf("list changes after %d: %w", f.After, mapErr(err))
		}
		if err := fn(a, &prov); err != nil {
			return last, err
		}
		last = archive.Cursor(pos)
	}
	if err := rows.Err(); err != nil {
		return last, fmt.Errorf("list changes after %d: %w", f.After, mapErr(err))
	}
	return last, nil
}
