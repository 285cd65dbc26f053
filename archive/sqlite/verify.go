package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/newsvault/newsvault/archive"
)

// maxVerifiedBody is the largest raw_size Verify decompresses: a damaged
// size must not make it allocate without bound.
const maxVerifiedBody = 1 << 30

// Checked counts what Verify looked at.
type Checked struct {
	Articles, Versions, Captures int64
	RawBytes                     int64 // decompressed and hashed
}

// Verify checks the whole archive: SQLite's integrity_check and
// foreign_key_check, that every article's latest version exists, that
// every capture's body decompresses to its raw_size and body_sha256, that
// every version's text hashes to its content_sha256 and its fields to its
// fingerprint, and that the search index matches the versions. It calls
// fn with each problem found, as it goes, and holds one version and its
// body in memory at a time. Problems are not errors: the error is for a
// check that could not run, or one fn returned.
//
// The search index check is a write statement to SQLite, so it takes the
// write lock for its duration: a crawl saving meanwhile waits for it.
func (s *Store) Verify(ctx context.Context, fn func(archive.Problem) error) (Checked, error) {
	var checked Checked
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return checked, fmt.Errorf("verify: begin: %w", mapErr(err))
	}
	defer tx.Rollback()
	for _, check := range []func(context.Context, *sql.Tx, func(archive.Problem) error) error{
		integrityCheck, foreignKeyCheck, latestCheck,
	} {
		if err := check(ctx, tx, fn); err != nil {
			return checked, fmt.Errorf("verify: %w", err)
		}
	}
	if err := s.verifyVersions(ctx, tx, &checked, fn); err != nil {
		return checked, fmt.Errorf("verify: %w", err)
	}
	if err := tx.Rollback(); err != nil {
		return checked, fmt.Errorf("verify: %w", mapErr(err))
	}
	if err := s.verifySearchIndex(ctx, fn); err != nil {
		return checked, fmt.Errorf("verify: %w", err)
	}
	return checked, nil
}

func integrityCheck(ctx context.Context, tx *sql.Tx, fn func(archive.Problem) error) error {
	return eachString(ctx, tx, `PRAGMA integrity_check`, func(msg string) error {
		if msg == "ok" {
			return nil
		}
		return fn(archive.Problem{What: "integrity_check: " + msg})
	})
}

func foreignKeyCheck(ctx context.Context, tx *sql.Tx, fn func(archive.Problem) error) error {
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return fmt.Errorf("foreign_key_check: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var (
			table, parent string
			rowid         sql.NullInt64
			fkid          int
		)
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return fmt.Errorf("foreign_key_check: %w", mapErr(err))
		}
		if err := fn(archive.Problem{What: fmt.Sprintf("foreign_key_check: %s row %d points at a missing %s row",
			table, rowid.Int64, parent)}); err != nil {
			return err
		}
	}
	return mapErr(rows.Err())
}

func latestCheck(ctx context.Context, tx *sql.Tx, fn func(archive.Problem) error) error {
	rows, err := tx.QueryContext(ctx, `SELECT a.key, a.latest_version FROM articles a
		WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.article_id = a.id AND v.version = a.latest_version)`)
	if err != nil {
		return fmt.Errorf("latest versions: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var p archive.Problem
		if err := rows.Scan(&p.Key, &p.Version); err != nil {
			return fmt.Errorf("latest versions: %w", mapErr(err))
		}
		p.What = "the article's latest version is missing"
		if err := fn(p); err != nil {
			return err
		}
	}
	return mapErr(rows.Err())
}

// verifiedRow scans a row of verifyVersions' query: the article's key,
// the version's fingerprint and its capture, then articleColumns.
type verifiedRow struct {
	row          scanner
	key, fp, sum *string
	capture      *int64
	size         *int64
	body         *[]byte
}

func (r verifiedRow) Scan(dest ...any) error {
	return r.row.Scan(append([]any{r.key, r.fp, r.capture, r.sum, r.size, r.body}, dest...)...)
}

func (s *Store) verifyVersions(ctx context.Context, tx *sql.Tx, checked *Checked, fn func(archive.Problem) error) error {
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&checked.Articles); err != nil {
		return fmt.Errorf("count articles: %w", mapErr(err))
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.key, v.fingerprint, c.id, c.body_sha256, c.raw_size, c.body_zstd, `+
		articleColumns+`
		FROM versions v JOIN articles a ON a.id = v.article_id JOIN captures c ON c.id = v.capture_id
		ORDER BY v.id`)
	if err != nil {
		return fmt.Errorf("read versions: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		var (
			key, fp, sum string
			capture      int64
			size         int64
			body         []byte
		)
		a, err := scanArticle(verifiedRow{rows, &key, &fp, &sum, &capture, &size, &body})
		if key == "" && err != nil {
			return fmt.Errorf("read versions: %w", mapErr(err))
		}
		checked.Versions++
		checked.Captures++
		var whats []string
		if err != nil {
			whats = append(whats, "unreadable: "+err.Error())
		} else {
			if archive.TextSHA256(a.Text) != a.ContentSHA256 {
				whats = append(whats, "text does not match its content_sha256")
			}
			if a.Fingerprint() != fp {
				whats = append(whats, "fields do not match its fingerprint")
			}
		}
		switch {
		case size < 0 || size > maxVerifiedBody:
			whats = append(whats, fmt.Sprintf("capture %d: implausible raw_size %d", capture, size))
		default:
			if _, err := s.decompress(body, int(size), sum); err != nil {
				whats = append(whats, fmt.Sprintf("capture %d: body does not decompress to its raw_size and body_sha256", capture))
			} else {
				checked.RawBytes += size
			}
		}
		version := 0
		if a != nil {
			version = a.Version
		}
		for _, w := range whats {
			if err := fn(archive.Problem{Key: key, Version: version, What: w}); err != nil {
				return err
			}
		}
	}
	return mapErr(rows.Err())
}

// verifySearchIndex runs FTS5's integrity-check with rank 1, which also
// compares the index with the versions it was built from.
func (s *Store) verifySearchIndex(ctx context.Context, fn func(archive.Problem) error) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO versions_fts (versions_fts, rank) VALUES ('integrity-check', 1)`)
	switch err := mapErr(err); {
	case err == nil:
		return nil
	case errors.Is(err, ErrCorrupt):
		return fn(archive.Problem{What: "search index does not match the versions"})
	default:
		return fmt.Errorf("check search index: %w", err)
	}
}

func eachString(ctx context.Context, tx *sql.Tx, query string, fn func(string) error) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("%s: %w", query, mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("%s: %w", query, mapErr(err))
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return mapErr(rows.Err())
}
