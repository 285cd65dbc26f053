package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

func TestDiskFull(t *testing.T) {
	s := openTest(t, "")
	ctx := context.Background()
	c, a := page("https://example.com/small", 0, "small")
	mustSave(t, s, c, a)

	// max_page_count is per connection: the writer pool has one, so this
	// caps every write the Store makes, as a full disk would.
	var pages int
	if err := s.write.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA max_page_count = `+strconv.Itoa(pages+1)); err != nil {
		t.Fatal(err)
	}
	// Random bytes do not compress, so the body needs many pages.
	body := make([]byte, 256<<10)
	for i := range body {
		body[i] = byte(rand.Uint32())
	}
	c2, a2 := page("https://example.com/big", 1, "big")
	c2.Body = body
	_, err := s.Save(ctx, c2, a2)
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("Save = %v, want ErrDiskFull", err)
	}
	if strings.Contains(err.Error(), "SQLITE") {
		t.Errorf("error leaks a driver message: %v", err)
	}
	for _, table := range []string{"articles", "versions", "captures"} {
		if n := count(t, s, `SELECT count(*) FROM `+table); n != 1 {
			t.Errorf("%s has %d rows after the failed save, want 1", table, n)
		}
	}

	if _, err := s.write.ExecContext(ctx, `PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, c2, a2)
	got, err := s.LatestCapture(ctx, a2.Key())
	if err != nil || !bytes.Equal(got.Body, body) {
		t.Fatalf("after space was freed: %v", err)
	}
}

func TestBusy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	s := openTest(t, path, WithBusyTimeout(50*time.Millisecond))

	// Another process holds the write lock for longer than the timeout.
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}

	c, a := page("https://example.com/a", 0, "text")
	_, err = s.Save(ctx, c, a)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("Save = %v, want ErrBusy", err)
	}
	// Readers are not blocked by a writer in WAL mode.
	if _, err := s.Latest(ctx, a.Key()); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("Latest while another process writes = %v, want not found", err)
	}

	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, c, a)
}
