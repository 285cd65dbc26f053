package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/newsvault/newsvault/archive"
)

// goSteps are the parts of migrations that SQL cannot express, run in the
// migration's transaction after its file, by migration number.
var goSteps = map[int]func(ctx context.Context, tx *sql.Tx) error{
	3: rekeyArticles,
	7: backfillSimHashes,
}

// rekeyBatch bounds the rows a migration step holds in memory at once.
const rekeyBatch = 500

// rekeyArticles is migration 0003's step: every version's fingerprint is
// recomputed as archive.Article.Fingerprint now defines it, so an unchanged
// page refetched after the upgrade is Unchanged, not a new version; then
// every article whose key is not normalised is moved to its normalised key
// unless another article already has it. The URL a version was saved
// under stays in urls, so Seen and Confirm find it either way.
func rekeyArticles(ctx context.Context, tx *sql.Tx) error {
	if err := refingerprint(ctx, tx); err != nil {
		return fmt.Errorf("recompute fingerprints: %w", err)
	}
	if err := rekey(ctx, tx); err != nil {
		return fmt.Errorf("normalise keys: %w", err)
	}
	return nil
}

func refingerprint(ctx context.Context, tx *sql.Tx) error {
	type change struct {
		id int64
		fp string
	}
	for last := int64(0); ; {
		rows, err := tx.QueryContext(ctx, `SELECT id, fingerprint, url, canonical_url, title, authors,
			published_at, modified_at, language, description, text, tags, image_url
			FROM versions WHERE id > ? ORDER BY id LIMIT ?`, last, rekeyBatch)
		if err != nil {
			return mapErr(err)
		}
		var changes []change
		n := 0
		for rows.Next() {
			var (
				id                  int64
				fp, authors, tags   string
				published, modified string
				a                   archive.Article
			)
			if err := rows.Scan(&id, &fp, &a.URL, &a.CanonicalURL, &a.Title, &authors,
				&published, &modified, &a.Language, &a.Description, &a.Text, &tags, &a.ImageURL); err != nil {
				rows.Close()
				return mapErr(err)
			}
			n++
			last = id
			if err := json.Unmarshal([]byte(authors), &a.Authors); err != nil {
				rows.Close()
				return fmt.Errorf("version %d: authors: %w", id, err)
			}
			if err := json.Unmarshal([]byte(tags), &a.Tags); err != nil {
				rows.Close()
				return fmt.Errorf("version %d: tags: %w", id, err)
			}
			if a.PublishedAt, err = parsePublisherTime(published); err != nil {
				rows.Close()
				return fmt.Errorf("version %d: published_at: %w", id, err)
			}
			if a.ModifiedAt, err = parsePublisherTime(modified); err != nil {
				rows.Close()
				return fmt.Errorf("version %d: modified_at: %w", id, err)
			}
			if nfp := a.Fingerprint(); nfp != fp {
				changes = append(changes, change{id, nfp})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapErr(err)
		}
		for _, c := range changes {
			if _, err := tx.ExecContext(ctx, `UPDATE versions SET fingerprint = ? WHERE id = ?`, c.fp, c.id); err != nil {
				return mapErr(err)
			}
		}
		if n < rekeyBatch {
			return nil
		}
	}
}

func rekey(ctx context.Context, tx *sql.Tx) error {
	type article struct {
		id           int64
		key, fetched string
	}
	for last := int64(0); ; {
		rows, err := tx.QueryContext(ctx, `SELECT id, key, last_fetched_at FROM articles WHERE id > ? ORDER BY id LIMIT ?`, last, rekeyBatch)
		if err != nil {
			return mapErr(err)
		}
		var moves []article
		n := 0
		for rows.Next() {
			var a article
			if err := rows.Scan(&a.id, &a.key, &a.fetched); err != nil {
				rows.Close()
				return mapErr(err)
			}
			n++
			last = a.id
			if nk := archive.NormalizeURL(a.key); nk != a.key {
				a.key = nk
				moves = append(moves, a)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapErr(err)
		}
		for _, a := range moves {
			// An article already under the normalised key keeps it, and
			// of two old keys normalising alike the first moved wins.
			res, err := tx.ExecContext(ctx, `UPDATE articles SET key = ?
				WHERE id = ? AND NOT EXISTS (SELECT 1 FROM articles WHERE key = ?)`, a.key, a.id, a.key)
			if err != nil {
				return mapErr(err)
			}
			if moved, _ := res.RowsAffected(); moved == 0 {
				continue
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO urls (url, article_id, fetched_at) VALUES (?, ?, ?)
				ON CONFLICT (url) DO NOTHING`, a.key, a.id, a.fetched)
			if err != nil {
				return mapErr(err)
			}
		}
		if n < rekeyBatch {
			return nil
		}
	}
}
