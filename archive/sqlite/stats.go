package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/newsvault/newsvault/archive"
)

// Stats returns per-site counts, sizes and date ranges, by site name.
// Published dates are the publishers' (sites that give none have zero
// times); fetched dates are newsvault's first and last fetch of any of
// the site's articles, 304s and unchanged refetches included.
func (s *Store) Stats(ctx context.Context) ([]archive.SiteStats, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT a.site, count(*), sum(x.versions), sum(x.captures), sum(x.raw), sum(x.compressed),
			min(x.first_published), max(x.last_published), min(a.first_seen_at), max(a.last_fetched_at)
		FROM articles a JOIN (
			SELECT v.article_id, count(*) AS versions, count(DISTINCT c.id) AS captures,
				sum(c.raw_size) AS raw, sum(length(c.body_zstd)) AS compressed,
				min(v.published_utc) AS first_published, max(v.published_utc) AS last_published
			FROM versions v JOIN captures c ON c.id = v.capture_id
			GROUP BY v.article_id
		) x ON x.article_id = a.id
		GROUP BY a.site ORDER BY a.site`)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", mapErr(err))
	}
	defer rows.Close()
	var out []archive.SiteStats
	for rows.Next() {
		var (
			st                        archive.SiteStats
			firstPub, lastPub         sql.NullString
			firstFetched, lastFetched string
		)
		if err := rows.Scan(&st.Site, &st.Articles, &st.Versions, &st.Captures, &st.RawBytes, &st.CompressedBytes,
			&firstPub, &lastPub, &firstFetched, &lastFetched); err != nil {
			return nil, fmt.Errorf("stats: %w", mapErr(err))
		}
		for _, t := range []struct {
			dst *time.Time
			s   string
		}{{&st.FirstPublished, firstPub.String}, {&st.LastPublished, lastPub.String},
			{&st.FirstFetched, firstFetched}, {&st.LastFetched, lastFetched}} {
			if t.s == "" {
				continue
			}
			if *t.dst, err = parseStamp(t.s); err != nil {
				return nil, fmt.Errorf("stats %s: %w", st.Site, err)
			}
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats: %w", mapErr(err))
	}
	return out, nil
}

// FileSizes returns the size in bytes of the database file and of its
// write-ahead log (0 when there is none).
func (s *Store) FileSizes() (db, wal int64, err error) {
	st, err := os.Stat(s.path)
	if err != nil {
		return 0, 0, fmt.Errorf("stat archive: %w", err)
	}
	db = st.Size()
	if st, err := os.Stat(s.path + "-wal"); err == nil {
		wal = st.Size()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, 0, fmt.Errorf("stat archive log: %w", err)
	}
	return db, wal, nil
}
