package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/newsvault/newsvault/archive"
)

// capturePage is how many captures LatestCaptures reads per query: each
// page is a short read, so a long re-extraction holds no snapshot open and
// never keeps the WAL from being checkpointed.
const capturePage = 32

// LatestCaptures calls fn with the capture of the latest version of every
// article f selects (f.After aside), raw body included, in article order,
// a page of captures at a time: memory stays flat however large the
// archive, and fn may save. A capture whose body fails its recorded hash
// comes with an error wrapping ErrCorrupt and no body; fn decides whether
// to go on. It stops at the first error fn returns.
func (s *Store) LatestCaptures(ctx context.Context, f archive.Filter, fn func(*archive.StoredCapture, error) error) error {
	where, args := filterWhere(archive.Filter{Site: f.Site, Since: f.Since, Until: f.Until})
	where = append(where, "a.id > ?")
	q := `SELECT a.id, a.key, v.version, v.fingerprint, c.id, c.url, c.final_url, c.status,
		c.fetched_at, c.etag, c.last_modified, c.content_type, c.charset, c.charset_source,
		c.body_sha256, c.raw_size, c.body_zstd ` + fromLatest +
		" WHERE " + strings.Join(where, " AND ") + " ORDER BY a.id LIMIT ?"
	for last := int64(0); ; {
		n, err := s.capturesPage(ctx, q, append(args, last, capturePage), &last, fn)
		if err != nil {
			return err
		}
		if n < capturePage {
			return nil
		}
	}
}

// capturesPage reads one page of LatestCaptures, all of it before calling
// fn, so fn's saves never wait on this read.
func (s *Store) capturesPage(ctx context.Context, q string, args []any, last *int64, fn func(*archive.StoredCapture, error) error) (int, error) {
	type row struct {
		sc         archive.StoredCapture
		fetched    string
		sum        string
		size       int
		compressed []byte
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("list captures: %w", mapErr(err))
	}
	var page []row
	for rows.Next() {
		var r row
		c := &r.sc.Capture
		if err := rows.Scan(last, &r.sc.Key, &r.sc.Version, &r.sc.Fingerprint, &r.sc.CaptureID,
			&c.URL, &c.FinalURL, &c.Status, &r.fetched, &c.ETag, &c.LastModified,
			&c.ContentType, &c.Charset, &c.CharsetSource, &r.sum, &r.size, &r.compressed); err != nil {
			rows.Close()
			return 0, fmt.Errorf("list captures: %w", mapErr(err))
		}
		page = append(page, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("list captures: %w", mapErr(err))
	}
	for i := range page {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("list captures: %w", err)
		}
		r := &page[i]
		var readErr error
		if r.sc.FetchedAt, readErr = parseStamp(r.fetched); readErr == nil {
			r.sc.Body, readErr = s.decompress(r.compressed, r.size, r.sum)
		}
		r.compressed = nil
		if readErr != nil {
			readErr = fmt.Errorf("capture %d of %s: %w", r.sc.CaptureID, r.sc.Key, readErr)
		}
		if err := fn(&r.sc, readErr); err != nil {
			return 0, err
		}
		r.sc.Body = nil
	}
	return len(page), nil
}

// SaveReextraction records a, extracted again from the capture from, as a
// new version of from's article marked archive.CauseReextract, pointing at
// that same capture: no capture is added, no validator or confirmation
// moves. The version's first-seen and last-confirmed times are those of
// the version it replaces, since the page itself did not change. When a
// has the fingerprint of the latest version nothing is written (Outcome
// Unchanged). When the article has a newer version than from.Version the
// error wraps archive.ErrStale. p is recorded as its provenance, its cause
// forced to reextract.
func (s *Store) SaveReextraction(ctx context.Context, from *archive.StoredCapture, a *archive.Article, p *archive.Provenance) (archive.Saved, error) {
	if from == nil || a == nil {
		return archive.Saved{}, errors.New("save re-extraction: nil capture or article")
	}
	cleaned := a.Cleaned()
	prov := archive.Provenance{}
	if p != nil {
		prov = *p
	}
	prov.Cause = archive.CauseReextract
	pend, err := s.prepare(&from.Capture, &cleaned, &prov)
	if err != nil {
		return archive.Saved{}, fmt.Errorf("save re-extraction of %s: %w", from.Key, err)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return archive.Saved{}, fmt.Errorf("save re-extraction of %s: begin: %w", from.Key, mapErr(err))
	}
	defer tx.Rollback()
	saved, err := saveReextraction(ctx, tx, pend, from)
	if err != nil {
		return archive.Saved{}, fmt.Errorf("save re-extraction of %s: %w", from.Key, err)
	}
	if saved.Outcome == archive.Unchanged {
		return saved, nil // nothing written; Rollback ends the transaction
	}
	if err := indexVersions(ctx, tx, []int64{pend.versionID}); err != nil {
		return archive.Saved{}, fmt.Errorf("save re-extraction of %s: %w", from.Key, err)
	}
	if err := tx.Commit(); err != nil {
		return archive.Saved{}, fmt.Errorf("save re-extraction of %s: commit: %w", from.Key, mapErr(err))
	}
	return saved, nil
}

func saveReextraction(ctx context.Context, tx execer, p *pending, from *archive.StoredCapture) (archive.Saved, error) {
	var (
		cur                  latestRef
		captureID            int64
		firstSeen, confirmed string
	)
	err := tx.QueryRowContext(ctx, `
		SELECT a.id, v.id, v.version, v.fingerprint, v.capture_id, v.first_seen_at, v.last_confirmed_at
		FROM articles a JOIN versions v ON v.article_id = a.id AND v.version = a.latest_version
		WHERE a.key = ?`, from.Key).Scan(&cur.articleID, &cur.versionID, &cur.version, &cur.fingerprint,
		&captureID, &firstSeen, &confirmed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return archive.Saved{}, archive.ErrNotFound
	case err != nil:
		return archive.Saved{}, fmt.Errorf("find latest version: %w", mapErr(err))
	case cur.version != from.Version || captureID != from.CaptureID:
		return archive.Saved{}, fmt.Errorf("%w: version %d, re-extracted from %d", archive.ErrStale, cur.version, from.Version)
	case cur.fingerprint == p.fingerprint:
		return archive.Saved{Outcome: archive.Unchanged, Version: cur.version}, nil
	}
	next := cur.version + 1
	p.fetchedAt = firstSeen
	if err := insertVersion(ctx, tx, p, cur.articleID, next, from.CaptureID); err != nil {
		return archive.Saved{}, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE versions SET last_confirmed_at = ? WHERE article_id = ? AND version = ?`,
		confirmed, cur.articleID, next)
	if err != nil {
		return archive.Saved{}, fmt.Errorf("update version: %w", mapErr(err))
	}
	_, err = tx.ExecContext(ctx, `UPDATE articles SET latest_version = ?, site = ? WHERE id = ?`,
		next, p.a.Site, cur.articleID)
	if err != nil {
		return archive.Saved{}, fmt.Errorf("update article: %w", mapErr(err))
	}
	return archive.Saved{Outcome: archive.Updated, Version: next}, nil
}
