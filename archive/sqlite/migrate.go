package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// migrationFiles holds the schema history. A package-level var because
// go:embed allows nothing else; it is read-only.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// A migration is one file migrations/NNNN_name.sql. Files are never edited
// once released: a schema change is a new file with the next number.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name is not NNNN_name.sql", base)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: want number %d (no gaps, no duplicates)", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate brings the database at db up to the newest embedded migration.
// Several processes may run it at once on a new file: each migration is
// applied under the write lock after checking again that nobody else did.
func migrate(ctx context.Context, db *sql.DB, now func() time.Time) error {
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	return applyMigrations(ctx, db, ms, now)
}

// applyMigrations applies those of ms (all of them, in order, from the
// first) the database has not had yet. Tests pass a prefix to build a
// database as an older newsvault left it.
func applyMigrations(ctx context.Context, db *sql.DB, ms []migration, now func() time.Time) error {
	if err := checkOwnDatabase(ctx, db); err != nil {
		return err
	}
	// The one table that exists before any migration: it records them.
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", mapErr(err))
	}
	var newest int
	err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest)
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", mapErr(err))
	}
	if newest > len(ms) {
		return fmt.Errorf("schema has migration %d, this build knows %d: %w", newest, len(ms), ErrNewerSchema)
	}
	for _, m := range ms[newest:] {
		if err := applyMigration(ctx, db, m, now()); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// checkOwnDatabase refuses an SQLite file some other program made (tables
// but no schema_migrations), so that Open never adds our tables to it.
func checkOwnDatabase(ctx context.Context, db *sql.DB) error {
	var tables, ours int
	err := db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE name = 'schema_migrations')
		FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).Scan(&tables, &ours)
	if err != nil {
		return fmt.Errorf("read schema: %w", mapErr(err))
	}
	if tables > 0 && ours == 0 {
		return fmt.Errorf("%d tables but no schema_migrations: %w", tables, ErrNotDatabase)
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, m migration, now time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback()
	var done bool
	err = tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?)`, m.version).Scan(&done)
	if err != nil {
		return mapErr(err)
	}
	if done {
		return nil // another process got here first
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return mapErr(err)
	}
	if step := goSteps[m.version]; step != nil {
		if err := step(ctx, tx); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, stamp(now))
	if err != nil {
		return mapErr(err)
	}
	return mapErr(tx.Commit())
}
