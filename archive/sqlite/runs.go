package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/newsvault/newsvault/archive"
)

var _ archive.RunLog = (*Store)(nil)

// siteRunColumns are the run_sites columns after run_id, in the order of
// siteRunFields.
const siteRunColumns = `site, fetched, not_modified, new, updated, unchanged, fresh, skipped,
	failed, deferred, extracted, empty_text, no_title, no_date, median_text_len, error`

// siteRunFields returns pointers to the fields of r that siteRunColumns
// name, for Scan, and (dereferenced by the driver) for Exec.
func siteRunFields(r *archive.SiteRun) []any {
	return []any{&r.Site, &r.Fetched, &r.NotModified, &r.New, &r.Updated, &r.Unchanged,
		&r.Fresh, &r.Skipped, &r.Failed, &r.Deferred, &r.Extracted, &r.EmptyText,
		&r.NoTitle, &r.NoDate, &r.MedianTextLen, &r.Error}
}

// BeginRun implements archive.RunLog. A zero startedAt is the Store's clock.
func (s *Store) BeginRun(ctx context.Context, startedAt time.Time) (int64, error) {
	if startedAt.IsZero() {
		startedAt = s.now()
	}
	res, err := s.write.ExecContext(ctx, `INSERT INTO runs (started_at, ended_at, exit_code) VALUES (?, '', 0)`,
		stamp(startedAt))
	if err != nil {
		return 0, fmt.Errorf("begin run: %w", mapErr(err))
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("begin run: %w", mapErr(err))
	}
	return id, nil
}

// EndRun implements archive.RunLog: r's end, exit code and sites replace
// whatever was recorded for r.ID, all at once. r.StartedAt is ignored (the
// start is the one BeginRun recorded); a zero r.EndedAt is the Store's
// clock. An unknown r.ID is archive.ErrNotFound.
func (s *Store) EndRun(ctx context.Context, r *archive.Run) error {
	if r == nil {
		return errors.New("end run: nil run")
	}
	ended := r.EndedAt
	if ended.IsZero() {
		ended = s.now()
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("end run %d: begin: %w", r.ID, mapErr(err))
	}
	defer tx.Rollback()
	if err := endRun(ctx, tx, r, stamp(ended)); err != nil {
		return fmt.Errorf("end run %d: %w", r.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("end run %d: commit: %w", r.ID, mapErr(err))
	}
	return nil
}

func endRun(ctx context.Context, tx *sql.Tx, r *archive.Run, ended string) error {
	res, err := tx.ExecContext(ctx, `UPDATE runs SET ended_at = ?, exit_code = ? WHERE id = ?`,
		ended, r.ExitCode, r.ID)
	if err != nil {
		return fmt.Errorf("update run: %w", mapErr(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update run: %w", mapErr(err))
	} else if n == 0 {
		return archive.ErrNotFound
	}
	// Ending a run twice replaces its sites rather than failing on the
	// primary key.
	if _, err := tx.ExecContext(ctx, `DELETE FROM run_sites WHERE run_id = ?`, r.ID); err != nil {
		return fmt.Errorf("clear sites: %w", mapErr(err))
	}
	for i := range r.Sites {
		site := &r.Sites[i]
		args := append([]any{r.ID}, siteRunFields(site)...)
		_, err := tx.ExecContext(ctx, `INSERT INTO run_sites (run_id, `+siteRunColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
		if err != nil {
			return fmt.Errorf("insert site %s: %w", site.Site, mapErr(err))
		}
	}
	return nil
}

// Runs implements archive.RunLog: newest StartedAt first (ties in the order
// BeginRun recorded them, the later first), each with its sites by name.
// A run whose process died before EndRun has a zero EndedAt and no sites.
func (s *Store) Runs(ctx context.Context, limit int) ([]archive.Run, error) {
	if limit < 0 {
		return nil, fmt.Errorf("list runs: negative limit %d", limit)
	}
	if limit == 0 {
		limit = -1 // SQLite's "no limit"
	}
	// One transaction, so the sites belong to the same snapshot as the runs.
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("list runs: begin: %w", mapErr(err))
	}
	defer tx.Rollback()
	runs, err := listRuns(ctx, tx, limit)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return runs, nil
}

// newestRuns selects the ids of the runs Runs lists (the runs_started
// index walked backwards), for the query of their sites.
const newestRuns = `SELECT id FROM runs ORDER BY started_at DESC, id DESC LIMIT ?`

func listRuns(ctx context.Context, tx *sql.Tx, limit int) ([]archive.Run, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, started_at, ended_at, exit_code FROM runs
		ORDER BY started_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var runs []archive.Run
	index := map[int64]int{}
	for rows.Next() {
		var (
			r              archive.Run
			started, ended string
		)
		if err := rows.Scan(&r.ID, &started, &ended, &r.ExitCode); err != nil {
			return nil, mapErr(err)
		}
		if r.StartedAt, err = parseStamp(started); err != nil {
			return nil, fmt.Errorf("run %d: started_at: %w", r.ID, err)
		}
		if ended != "" {
			if r.EndedAt, err = parseStamp(ended); err != nil {
				return nil, fmt.Errorf("run %d: ended_at: %w", r.ID, err)
			}
		}
		index[r.ID] = len(runs)
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	rows.Close()

	sites, err := tx.QueryContext(ctx, `SELECT run_id, `+siteRunColumns+` FROM run_sites
		WHERE run_id IN (`+newestRuns+`) ORDER BY run_id, site`, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer sites.Close()
	for sites.Next() {
		var (
			id   int64
			site archive.SiteRun
		)
		if err := sites.Scan(append([]any{&id}, siteRunFields(&site)...)...); err != nil {
			return nil, mapErr(err)
		}
		r := &runs[index[id]]
		r.Sites = append(r.Sites, site)
	}
	if err := sites.Err(); err != nil {
		return nil, mapErr(err)
	}
	return runs, nil
}
