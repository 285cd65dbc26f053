package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/klauspost/compress/zstd"

	"github.com/newsvault/newsvault/archive"
)

// pending is a Save with what does not need the database computed ahead
// (hashes, JSON, usually the compressed body), so the write lock is held
// for little more than the statements.
type pending struct {
	a           *archive.Article // read, never written
	c           *archive.Capture
	key         string
	fingerprint string
	contentSHA  string
	authors     string
	tags        string
	fetchedAt   string // the observation time, in stamp format
	bodySHA     string
	prov        *archive.Provenance // nil: not known
	cause       archive.Cause
	enc         *zstd.Encoder
	bodyZstd    []byte // nil until zstdBody
	versionID   int64  // the version the save added; 0: none
}

func (p *pending) zstdBody() []byte {
	if p.bodyZstd == nil {
		p.bodyZstd = compress(p.enc, p.c.Body)
	}
	return p.bodyZstd
}

// Save implements archive.Store. c is required: a version is always kept
// with the capture it came from. The fetch time is c.FetchedAt, or the
// Store's clock when that is zero. What is stored is a.Cleaned(): valid
// UTF-8 without NUL, whatever the page held.
func (s *Store) Save(ctx context.Context, c *archive.Capture, a *archive.Article) (archive.Saved, error) {
	return s.SaveWithProvenance(ctx, c, a, nil)
}

// SaveWithProvenance implements archive.ProvenanceSaver: Save, recording p
// (nil: nothing known) with a version it adds; p.Cause "" is a fetch.
// p's capture fields are ignored: the capture c is stored itself.
func (s *Store) SaveWithProvenance(ctx context.Context, c *archive.Capture, a *archive.Article, p *archive.Provenance) (archive.Saved, error) {
	if c == nil || a == nil {
		return archive.Saved{}, errors.New("save: nil capture or article")
	}
	cleaned := a.Cleaned()
	saved, err := s.save(ctx, c, &cleaned, p)
	if errors.Is(err, ErrIO) && outOfSpace(s.path) {
		err = fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	return saved, err
}

func (s *Store) save(ctx context.Context, c *archive.Capture, a *archive.Article, prov *archive.Provenance) (archive.Saved, error) {
	key := a.Key()
	if key == "" {
		return archive.Saved{}, errors.New("save: article has no URL")
	}
	p, err := s.prepare(c, a, prov)
	if err != nil {
		return archive.Saved{}, fmt.Errorf("save %s: %w", key, err)
	}
	// Compressing takes as long as the rest of a Save: do it before taking
	// the write lock, unless the page looks unchanged and will not be
	// stored. A wrong guess (another process saved meanwhile) only moves
	// the work under the lock.
	if !s.looksUnchanged(ctx, p) {
		p.zstdBody()
	}
	saved, err := s.commit(ctx, p)
	if err != nil {
		return archive.Saved{}, fmt.Errorf("save %s: %w", key, err)
	}
	return saved, nil
}

func (s *Store) prepare(c *archive.Capture, a *archive.Article, prov *archive.Provenance) (*pending, error) {
	authors, err := json.Marshal(nonNil(a.Authors))
	if err != nil {
		return nil, fmt.Errorf("encode authors: %w", err)
	}
	tags, err := json.Marshal(nonNil(a.Tags))
	if err != nil {
		return nil, fmt.Errorf("encode tags: %w", err)
	}
	fetched := c.FetchedAt
	if fetched.IsZero() {
		fetched = s.now()
	}
	return &pending{
		a: a, c: c, key: a.Key(),
		fingerprint: a.Fingerprint(),
		contentSHA:  archive.TextSHA256(a.Text),
		authors:     string(authors),
		tags:        string(tags),
		fetchedAt:   stamp(fetched),
		bodySHA:     sha256Hex(c.Body),
		prov:        prov,
		cause:       causeOf(prov),
		enc:         s.enc,
	}, nil
}

// looksUnchanged guesses, without the write lock, whether p has the
// fingerprint of its article's latest version. Any error reads as "no".
func (s *Store) looksUnchanged(ctx context.Context, p *pending) bool {
	var fp string
	err := s.latestFingerprint.QueryRowContext(ctx, p.key).Scan(&fp)
	return err == nil && fp == p.fingerprint
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// latestRef is what Save needs to know about an archived article.
type latestRef struct {
	articleID   int64
	versionID   int64
	version     int
	fingerprint string
}

func save(ctx context.Context, tx execer, p *pending) (archive.Saved, error) {
	var cur latestRef
	err := tx.QueryRowContext(ctx, qLatest, p.key).Scan(&cur.articleID, &cur.versionID, &cur.version, &cur.fingerprint)
	var saved archive.Saved
	switch {
	case errors.Is(err, sql.ErrNoRows):
		cur.articleID, saved, err = insertArticle(ctx, tx, p)
	case err != nil:
		return archive.Saved{}, fmt.Errorf("find latest version: %w", mapErr(err))
	case cur.fingerprint == p.fingerprint:
		saved, err = confirm(ctx, tx, p, cur)
	default:
		saved, err = addVersion(ctx, tx, p, cur)
	}
	if err != nil {
		return archive.Saved{}, err
	}
	if err := recordURLs(ctx, tx, p, cur.articleID); err != nil {
		return archive.Saved{}, err
	}
	return saved, nil
}

func insertArticle(ctx context.Context, tx execer, p *pending) (int64, archive.Saved, error) {
	captureID, err := insertCapture(ctx, tx, p)
	if err != nil {
		return 0, archive.Saved{}, err
	}
	res, err := tx.ExecContext(ctx, qInsertArticle,
		p.key, p.a.Site, p.fetchedAt, p.c.ETag, p.c.LastModified, p.fetchedAt)
	if err != nil {
		return 0, archive.Saved{}, fmt.Errorf("insert article: %w", mapErr(err))
	}
	articleID, err := res.LastInsertId()
	if err != nil {
		return 0, archive.Saved{}, fmt.Errorf("insert article: %w", mapErr(err))
	}
	if err := insertVersion(ctx, tx, p, articleID, 1, captureID); err != nil {
		return 0, archive.Saved{}, err
	}
	return articleID, archive.Saved{Outcome: archive.New, Version: 1}, nil
}

func addVersion(ctx context.Context, tx execer, p *pending, cur latestRef) (archive.Saved, error) {
	captureID, err := insertCapture(ctx, tx, p)
	if err != nil {
		return archive.Saved{}, err
	}
	next := cur.version + 1
	if err := insertVersion(ctx, tx, p, cur.articleID, next, captureID); err != nil {
		return archive.Saved{}, err
	}
	_, err = tx.ExecContext(ctx, qUpdateLatest,
		next, p.a.Site, cur.articleID)
	if err != nil {
		return archive.Saved{}, fmt.Errorf("update article: %w", mapErr(err))
	}
	if err := updateValidators(ctx, tx, p, cur.articleID); err != nil {
		return archive.Saved{}, err
	}
	return archive.Saved{Outcome: archive.Updated, Version: next}, nil
}

// confirm records a fetch that found the latest version unchanged: no new
// rows, only times and validators move.
func confirm(ctx context.Context, tx execer, p *pending, cur latestRef) (archive.Saved, error) {
	// max() because two processes may save fetches out of order; the
	// fixed-width stamps compare as times.
	_, err := tx.ExecContext(ctx, qConfirmVersion,
		p.fetchedAt, cur.versionID)
	if err != nil {
		return archive.Saved{}, fmt.Errorf("confirm version: %w", mapErr(err))
	}
	if err := updateValidators(ctx, tx, p, cur.articleID); err != nil {
		return archive.Saved{}, err
	}
	return archive.Saved{Outcome: archive.Unchanged, Version: cur.version}, nil
}

// updateValidators keeps the validators of the newest fetch, so a
// conditional GET never sends an older ETag than one already seen.
func updateValidators(ctx context.Context, tx execer, p *pending, articleID int64) error {
	_, err := tx.ExecContext(ctx, qUpdateValidators,
		p.c.ETag, p.c.LastModified, p.fetchedAt, articleID, p.fetchedAt)
	if err != nil {
		return fmt.Errorf("update validators: %w", mapErr(err))
	}
	return nil
}

func insertCapture(ctx context.Context, tx execer, p *pending) (int64, error) {
	c := p.c
	res, err := tx.ExecContext(ctx, qInsertCapture,
		c.URL, c.FinalURL, c.Status, p.fetchedAt, c.ETag, c.LastModified,
		c.ContentType, c.Charset, c.CharsetSource, p.bodySHA, len(c.Body), p.zstdBody())
	if err != nil {
		return 0, fmt.Errorf("insert capture: %w", mapErr(err))
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("insert capture: %w", mapErr(err))
	}
	return id, nil
}

func insertVersion(ctx context.Context, tx execer, p *pending, articleID int64, version int, captureID int64) error {
	a := p.a
	res, err := tx.ExecContext(ctx, qInsertVersion,
		articleID, version, captureID, a.URL, a.CanonicalURL, a.Site, a.Title,
		p.authors, publisherTime(a.PublishedAt), utcColumn(a.PublishedAt),
		publisherTime(a.ModifiedAt), utcColumn(a.ModifiedAt), a.Language,
		a.Description, a.Text, p.tags, a.ImageURL, p.fingerprint, p.contentSHA,
		p.fetchedAt, p.fetchedAt, string(p.cause))
	if err != nil {
		return fmt.Errorf("insert version %d: %w", version, mapErr(err))
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("insert version %d: %w", version, mapErr(err))
	}
	p.versionID = id
	return insertDerived(ctx, tx, p, id, articleID)
}
