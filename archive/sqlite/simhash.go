package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/newsvault/newsvault/archive"
)

// insertSimHash stores the SimHash of a version's text; an empty text has
// none (it would link every empty article to every other).
func insertSimHash(ctx context.Context, tx execer, versionID, articleID int64, text string) error {
	if text == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, qInsertSimHash,
		versionID, articleID, int64(archive.SimHash(text)))
	if err != nil {
		return fmt.Errorf("insert simhash: %w", mapErr(err))
	}
	return nil
}

// backfillSimHashes is migration 0007's step: the SimHash of every version
// archived before, a batch at a time.
func backfillSimHashes(ctx context.Context, tx *sql.Tx) error {
	type version struct {
		id, article int64
		text        string
	}
	for last := int64(0); ; {
		rows, err := tx.QueryContext(ctx, `SELECT id, article_id, text FROM versions
			WHERE id > ? ORDER BY id LIMIT ?`, last, rekeyBatch)
		if err != nil {
			return fmt.Errorf("backfill simhashes: %w", mapErr(err))
		}
		var batch []version
		for rows.Next() {
			var v version
			if err := rows.Scan(&v.id, &v.article, &v.text); err != nil {
				rows.Close()
				return fmt.Errorf("backfill simhashes: %w", mapErr(err))
			}
			batch = append(batch, v)
			last = v.id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("backfill simhashes: %w", mapErr(err))
		}
		for _, v := range batch {
			if err := insertSimHash(ctx, tx, v.id, v.article, v.text); err != nil {
				return fmt.Errorf("backfill simhashes: version %d: %w", v.id, err)
			}
		}
		if len(batch) < rekeyBatch {
			return nil
		}
	}
}

// Similar returns the articles whose latest version's text is within
// maxDistance bits (SimHash Hamming distance) of the latest version of the
// article under key, nearest first, then by key; none when that version
// has no text. key may be any form of the article's URL; an unknown one is
// archive.ErrNotFound. maxDistance above archive.NearDuplicateDistance
// finds only the pairs that share a 16-bit band, not every pair.
func (s *Store) Similar(ctx context.Context, key string, maxDistance int) ([]archive.Similar, error) {
	key = archive.NormalizeURL(key)
	var (
		articleID int64
		hash      sql.NullInt64
	)
	err := s.read.QueryRowContext(ctx, `SELECT a.id, sh.simhash `+fromLatest+`
		LEFT JOIN simhashes sh ON sh.version_id = v.id WHERE a.key = ?`, key).Scan(&articleID, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("similar %s: %w", key, archive.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("similar %s: %w", key, mapErr(err))
	}
	if !hash.Valid {
		return nil, nil
	}
	h := uint64(hash.Int64)
	b := archive.SimHashBands(h)
	// One indexed lookup per band (SQLite's OR optimisation unions them);
	// only latest versions count.
	rows, err := s.read.QueryContext(ctx, `
		SELECT a.key, v.url, v.site, v.title, sh.simhash
		FROM simhashes sh
		JOIN versions v ON v.id = sh.version_id
		JOIN articles a ON a.id = sh.article_id AND a.latest_version = v.version
		WHERE (sh.band0 = ? OR sh.band1 = ? OR sh.band2 = ? OR sh.band3 = ?) AND sh.article_id != ?`,
		int64(b[0]), int64(b[1]), int64(b[2]), int64(b[3]), articleID)
	if err != nil {
		return nil, fmt.Errorf("similar %s: %w", key, mapErr(err))
	}
	defer rows.Close()
	var out []archive.Similar
	for rows.Next() {
		var (
			sim   archive.Similar
			other int64
		)
		if err := rows.Scan(&sim.Key, &sim.URL, &sim.Site, &sim.Title, &other); err != nil {
			return nil, fmt.Errorf("similar %s: %w", key, mapErr(err))
		}
		if sim.Distance = archive.HammingDistance(h, uint64(other)); sim.Distance <= maxDistance {
			out = append(out, sim)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("similar %s: %w", key, mapErr(err))
	}
	slices.SortFunc(out, func(x, y archive.Similar) int {
		return cmp.Or(cmp.Compare(x.Distance, y.Distance), cmp.Compare(x.Key, y.Key))
	})
	return out, nil
}
