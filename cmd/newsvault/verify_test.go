package main

import (
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
)

// corrupt runs statements on the archive at path behind the Store's back.
func corrupt(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestVerify(t *testing.T) {
	db := historyArchive(t)
	code, out, errOut := newsvault(t, &env{}, "verify", "--db", db)
	if code != exitOK || !strings.HasPrefix(out, "ok: checked 3 articles, 6 versions, 6 captures") {
		t.Fatalf("healthy archive: exit %d\n%s%s", code, out, errOut)
	}

	// One flipped byte in a body (the zstd frame's last byte is part of
	// its checksum), one in a version's text, one in another's tags.
	corrupt(t, db,
		`UPDATE captures SET body_zstd = CAST(substr(body_zstd, 1, length(body_zstd) - 1) || x'00' AS BLOB)
			WHERE id = (SELECT capture_id FROM versions WHERE version = 2 AND url LIKE '%news/fire%')`,
		`UPDATE versions SET text = replace(text, 'Москва', 'Мосвка') WHERE url = 'https://ria.example/moscow'`,
		`UPDATE versions SET tags = '["fire","town"]' WHERE version = 4`,
	)
	code, out, errOut = newsvault(t, &env{}, "verify", "--db", db)
	if code != exitError {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		fireURL + "\tv2\tcapture 2: body does not decompress to its raw_size and body_sha256\n",
		"https://ria.example/moscow\tv1\ttext does not match its content_sha256\n",
		"https://ria.example/moscow\tv1\tfields do not match its fingerprint\n",
		fireURL + "\tv4\tfields do not match its fingerprint\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "verify: 4 problems in 2 articles") {
		t.Errorf("stderr %q", errOut)
	}

	// A search index that lost a row, and a dangling foreign key.
	corrupt(t, db,
		`INSERT INTO versions_fts (versions_fts, rowid, title, text) SELECT 'delete', id, title, text FROM versions_fts_source WHERE id = 1`,
		`PRAGMA foreign_keys = OFF`,
		`UPDATE versions SET capture_id = 999 WHERE id = 2`,
	)
	code, out, _ = newsvault(t, &env{}, "verify", "--db", db)
	for _, want := range []string{"database\t-\tsearch index does not match the versions\n", "database\t-\tforeign_key_check: versions row 2 points at a missing captures row\n"} {
		if code != exitError || !strings.Contains(out, want) {
			t.Errorf("exit %d, missing %q in\n%s", code, want, out)
		}
	}
}

func TestStats(t *testing.T) {
	db := historyArchive(t)
	code, out, errOut := newsvault(t, &env{}, "stats", "--db", db, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var st statsJSON
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Sites) != 2 {
		t.Fatalf("sites %+v", st.Sites)
	}
	ex, ria := st.Sites[0], st.Sites[1]
	if ex.Site != "example.com" || ex.Articles != 1 || ex.Versions != 4 || ex.Captures != 4 ||
		ex.FirstPublished != "2026-11-25T06:00:00Z" || ex.FirstFetched != "2026-11-25T07:00:00Z" || ex.LastFetched != "2026-11-25T10:30:00Z" {
		t.Errorf("example.com %+v", ex)
	}
	if ria.Site != "ria.example" || ria.Articles != 2 || ria.Versions != 2 || ria.FirstPublished != "2026-11-20T10:00:00Z" ||
		ria.LastPublished != "2026-11-20T10:00:00Z" || ria.LastFetched != "2026-11-25T12:30:00Z" {
		t.Errorf("ria.example %+v", ria)
	}
	if st.Total.Articles != 3 || st.Total.Versions != 6 || st.Total.RawBytes != ex.RawBytes+ria.RawBytes ||
		st.Total.RawBytes <= 0 || st.Total.CompressedBytes <= 0 || st.DBBytes <= 0 {
		t.Errorf("total %+v, db %d", st.Total, st.DBBytes)
	}
	var raw int64
	if err := openDB(t, db).QueryRow(`SELECT sum(raw_size) FROM captures`).Scan(&raw); err != nil || raw != st.Total.RawBytes {
		t.Errorf("raw bytes %d, captures hold %d (%v)", st.Total.RawBytes, raw, err)
	}
	code, out, _ = newsvault(t, &env{}, "stats", "--db", db)
	if code != exitOK || !strings.Contains(out, "example.com  1         4         4") || !strings.Contains(out, "database file") {
		t.Errorf("exit %d\n%s", code, out)
	}
}
