package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSearchCommand(t *testing.T) {
	db := historyArchive(t)
	for _, tc := range []struct {
		name string
		args []string
		want []string // result keys, in order
	}{
		{"cyrillic case folding", []string{"москва"}, []string{"https://ria.example/moscow", "https://ria.example/weather"}},
		{"ё and е", []string{"ёлка"}, []string{"https://ria.example/weather", "https://ria.example/moscow"}},
		{"latest version", []string{"twelve"}, []string{fireURL}},
		{"older text only in old versions", []string{"ten", "minutes"}, nil},
		{"all versions", []string{"--all-versions", "ten", "minutes"}, []string{fireURL, fireURL}},
		{"site", []string{"--site", "example.com", "москва"}, nil},
		{"since", []string{"--since", "2026-11-21", "москва"}, []string{"https://ria.example/weather"}},
		{"title weighted", []string{"warehouse"}, []string{fireURL}},
		{"limit", []string{"--limit", "1", "москва"}, []string{"https://ria.example/moscow"}},
	} {
		code, out, errOut := newsvault(t, &env{}, append([]string{"search", "--db", db, "--json"}, tc.args...)...)
		if code != exitOK {
			t.Errorf("%s: exit %d: %s", tc.name, code, errOut)
			continue
		}
		var got []string
		for line := range strings.Lines(out) {
			var h searchJSON
			if err := json.Unmarshal([]byte(line), &h); err != nil {
				t.Fatalf("%s: %q: %v", tc.name, line, err)
			}
			got = append(got, h.Key)
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}

	// Text output: snippets marked with [ ] when stdout is not a terminal.
	code, out, errOut := newsvault(t, &env{}, "search", "--db", db, "москва")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden(t, "search", out)
	if !strings.Contains(out, "[Москва] украшена огнями") || !strings.Contains(errOut, "2 results") {
		t.Errorf("output:\n%s\n%s", out, errOut)
	}
}

// TestSearchHostileCommand is T33 through the command line: a clear
// message or results, never SQLite's words, and the schema unchanged.
func TestSearchHostileCommand(t *testing.T) {
	db := historyArchive(t)
	schema := func() string {
		var s string
		if err := openDB(t, db).QueryRow(`SELECT group_concat(type || name || coalesce(sql, ''), char(10)) FROM sqlite_master`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := schema()
	for _, q := range []string{`'); DROP TABLE articles;--`, `" OR 1=1 --`, `%_`, `NEAR(`, `"unbalanced`, `col:term`, `-`, `fire OR`, `title:fire`} {
		code, _, errOut := newsvault(t, &env{}, "search", "--db", db, q)
		switch {
		case code == exitOK:
		case code == exitUsage && strings.HasPrefix(errOut, "newsvault: bad search query: "):
		default:
			t.Errorf("%q: exit %d: %s", q, code, errOut)
		}
		for _, leak := range []string{"SQL", "sqlite", "fts5", "syntax error"} {
			if strings.Contains(errOut, leak) {
				t.Errorf("%q: the error shows %q: %s", q, leak, errOut)
			}
		}
	}
	if after := schema(); after != before {
		t.Errorf("sqlite_master changed")
	}
	var n int
	if err := openDB(t, db).QueryRow(`SELECT count(*) FROM articles`).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d articles, %v", n, err)
	}
}
