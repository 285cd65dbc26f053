package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// The statements of the save path, prepared once per Store (see
// prepareWrites): SQLite compiling a statement costs about as much as
// running it.
const (
	qLatest = `
		SELECT a.id, v.id, v.version, v.fingerprint
		FROM articles a JOIN versions v ON v.article_id = a.id AND v.version = a.latest_version
		WHERE a.key = ?`
	qInsertArticle = `
		INSERT INTO articles (key, site, first_seen_at, latest_version, etag, last_modified, last_fetched_at)
		VALUES (?, ?, ?, 1, ?, ?, ?)`
	qUpdateLatest     = `UPDATE articles SET latest_version = ?, site = ? WHERE id = ?`
	qConfirmVersion   = `UPDATE versions SET last_confirmed_at = max(last_confirmed_at, ?) WHERE id = ?`
	qUpdateValidators = `
		UPDATE articles SET etag = ?, last_modified = ?, last_fetched_at = ?
		WHERE id = ? AND last_fetched_at <= ?`
	qInsertCapture = `
		INSERT INTO captures (url, final_url, status, fetched_at, etag, last_modified,
			content_type, charset, charset_source, body_sha256, raw_size, body_zstd)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertVersion = `
		INSERT INTO versions (article_id, version, capture_id, url, canonical_url, site, title,
			authors, published_at, published_utc, modified_at, modified_utc, language,
			description, text, tags, image_url, fingerprint, content_sha256,
			first_seen_at, last_confirmed_at, cause)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertProvenance = `
		INSERT INTO provenance (version_id, newsvault, profile, profile_hash,
			title_rule, published_rule, modified_rule, authors_rule)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertSimHash = `INSERT INTO simhashes (version_id, article_id, simhash) VALUES (?, ?, ?)`

	qLatestFingerprint = `
		SELECT v.fingerprint
		FROM articles a JOIN versions v ON v.article_id = a.id AND v.version = a.latest_version
		WHERE a.key = ?`

	qSavepoint  = `SAVEPOINT save`
	qRelease    = `RELEASE save`
	qRollbackTo = `ROLLBACK TO save`
)

// qRecordURLs[n-1] points n URLs (a fetch has at most four distinct
// ones) at an article, in one statement.
var qRecordURLs = func() (q [4]string) {
	for n := range q {
		q[n] = `
		INSERT INTO urls (url, article_id, fetched_at)
		VALUES ` + strings.Repeat("(?, ?, ?), ", n) + `(?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET article_id = excluded.article_id, fetched_at = excluded.fetched_at
		WHERE excluded.fetched_at >= urls.fetched_at`
	}
	return q
}()

func writeQueries() []string {
	return append([]string{qLatest, qInsertArticle, qUpdateLatest, qConfirmVersion,
		qUpdateValidators, qInsertCapture, qInsertVersion, qInsertProvenance, qInsertSimHash, qIndexVersions,
		qSavepoint, qRelease, qRollbackTo}, qRecordURLs[:]...)
}

// prepareWrites prepares the save path's statements on the write pool's
// connection. It runs in Open, while no transaction holds that only
// connection: preparing on db later, from inside a transaction, would
// wait for the connection forever.
func prepareWrites(ctx context.Context, db *sql.DB) (map[string]*sql.Stmt, error) {
	stmts := make(map[string]*sql.Stmt)
	for _, q := range writeQueries() {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("prepare %q: %w", strings.Fields(q)[0], mapErr(err)), closeStmts(stmts))
		}
		stmts[q] = st
	}
	return stmts, nil
}

func closeStmts(stmts map[string]*sql.Stmt) error {
	var errs []error
	for _, st := range stmts {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}

// execer runs statements: a *sql.Tx, or a writeTx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// writeTx is a write transaction that runs the statements prepared by
// prepareWrites as such (database/sql reuses a statement prepared on the
// transaction's connection) and any other as a *sql.Tx does.
type writeTx struct {
	*sql.Tx
	stmts map[string]*sql.Stmt // read-only
}

func (t writeTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmts[query]; st != nil {
		return t.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t writeTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmts[query]; st != nil {
		return t.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}
