package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// T24: every pooled connection, not only the first, runs the DSN's
// pragmas. The plan asks for busy_timeout=5000; ours is 10000 (10 s: a
// crawl's commit may wait behind another process's export checkpoint).
func TestPragmasOnEveryConnection(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	s := openTest(t, path)
	d, err := dsn(path, 10*time.Second, "_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := sql.Open("sqlite", d)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	pool.SetMaxOpenConns(8)
	check := func(name string, conn *sql.Conn, queryOnly int) {
		t.Helper()
		var (
			mode                          string
			busy, fk, syncMode, qo, depth int
		)
		for q, dst := range map[string]any{
			"PRAGMA journal_mode": &mode, "PRAGMA busy_timeout": &busy, "PRAGMA foreign_keys": &fk,
			"PRAGMA synchronous": &syncMode, "PRAGMA query_only": &qo, "SELECT 1": &depth,
		} {
			if err := conn.QueryRowContext(ctx, q).Scan(dst); err != nil {
				t.Fatalf("%s: %s: %v", name, q, err)
			}
		}
		if mode != "wal" || busy != 10000 || fk != 1 || syncMode != 1 || qo != queryOnly {
			t.Errorf("%s: journal_mode=%s busy_timeout=%d foreign_keys=%d synchronous=%d query_only=%d; want wal 10000 1 1 %d",
				name, mode, busy, fk, syncMode, qo, queryOnly)
		}
	}
	conns := make([]*sql.Conn, 8)
	for i := range conns {
		if conns[i], err = pool.Conn(ctx); err != nil {
			t.Fatal(err)
		}
		defer conns[i].Close()
	}
	for i, c := range conns {
		check("reader "+string(rune('1'+i)), c, 1)
	}
	// The Store's own pools: its one writer and its readers.
	w, err := s.write.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check("writer", w, 0)
	w.Close()
	readers := make([]*sql.Conn, 4)
	for i := range readers {
		if readers[i], err = s.read.Conn(ctx); err != nil {
			t.Fatal(err)
		}
		defer readers[i].Close()
		check("store reader", readers[i], 1)
	}
}
