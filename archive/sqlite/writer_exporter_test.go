package sqlite

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/newsvault/newsvault/archive"
)

var t23Duration = flag.Duration("t23.duration", 60*time.Second, "how long TestWriterPlusExporter writes (6s under -short)")

// T23: a writer saving 50 articles a second while five full JSON Lines
// exports stream through the read pool: no busy error reaches either side,
// each export holds exactly the articles of its snapshot, the WAL stays
// small and commits stay fast.
func TestWriterPlusExporter(t *testing.T) {
	d := *t23Duration
	if testing.Short() {
		d = 6 * time.Second
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	s := openTest(t, path)
	body := realisticPage(16 << 10)

	var (
		wg        sync.WaitGroup
		latencies []time.Duration
		maxWAL    int64
		writeErr  error
	)
	stop := time.Now().Add(d)
	wg.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond) // 50 rows/s
		defer tick.Stop()
		for i := 0; time.Now().Before(stop); i++ {
			<-tick.C
			// Four new articles, then an update of an old one: an upsert mix.
			n := i
			if i%5 == 4 {
				n = i / 2
			}
			c, a := page(fmt.Sprintf("https://example.com/news/%d", n), i, fmt.Sprintf("text %d of article %d", i, n))
			c.Body = body
			start := time.Now()
			if _, err := s.Save(ctx, c, a); err != nil {
				writeErr = err
				return
			}
			latencies = append(latencies, time.Since(start))
			if fi, err := os.Stat(path + "-wal"); err == nil {
				maxWAL = max(maxWAL, fi.Size())
			}
		}
	})
	for e := range 5 {
		time.Sleep(time.Until(stop.Add(-d + time.Duration(e+1)*d/6)))
		lines, want, err := exportSnapshot(ctx, s, filepath.Join(t.TempDir(), fmt.Sprintf("export-%d.jsonl", e)))
		if err != nil {
			t.Errorf("export %d: %v", e, err)
			continue
		}
		if lines != want {
			t.Errorf("export %d: %d lines, count(*) at its snapshot %d", e, lines, want)
		}
		t.Logf("export %d: %d articles", e, lines)
	}
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("writer: %v", writeErr)
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatalf("final checkpoint: %v", err)
	}
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() >= 64<<20 || maxWAL >= 64<<20 {
		t.Errorf("-wal %d bytes after the final checkpoint, %d at most during the run; want < 64 MiB", fi.Size(), maxWAL)
	}
	slices.Sort(latencies)
	p99 := latencies[len(latencies)*99/100]
	if p99 >= time.Second {
		t.Errorf("writer p99 commit %s, want < 1s", p99)
	}
	t.Logf("%s: %d saves, p99 commit %s, max %s; -wal at most %d KiB, %d after the checkpoint",
		d, len(latencies), p99, latencies[len(latencies)-1], maxWAL>>10, fi.Size())
	checkConsistent(t, s)
}

// exportSnapshot writes every article as JSON Lines to path with the
// export's own query and encoder, in one read transaction that also
// counts the articles, and returns the lines the file parses to and the
// count.
func exportSnapshot(ctx context.Context, s *Store, path string) (lines, count int, err error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&count); err != nil {
		return 0, 0, err
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	query, args := articlesQuery(archive.Filter{})
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, 0, err
	}
	enc := archive.NewEncoder(f, archive.JSONLines)
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return 0, 0, err
		}
		if err := enc.Encode(a); err != nil {
			return 0, 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	if err := enc.Close(); err != nil {
		return 0, 0, err
	}
	if _, err := f.Seek(0, 0); err != nil {
		return 0, 0, err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var a archive.Article
		if err := dec.Decode(&a); err != nil {
			return 0, 0, fmt.Errorf("line %d: %w", lines+1, err)
		}
		lines++
	}
	return lines, count, sc.Err()
}
