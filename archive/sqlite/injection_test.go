package sqlite

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/newsvault/newsvault/archive"
)

// T33: hostile titles and URLs are stored verbatim and read back
// byte-identical, and the schema is untouched. (Full-text search does not
// exist yet, issue 6; its MATCH injection cases come with it.)
func TestSQLInjectionStoredVerbatim(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, "")
	schema := func() string {
		var sql string
		if err := s.read.QueryRow(`SELECT group_concat(type || name || coalesce(sql, ''), char(10)) FROM sqlite_master`).Scan(&sql); err != nil {
			t.Fatal(err)
		}
		return sql
	}
	before := schema()
	hostile := []string{
		`'); DROP TABLE articles;--`, `" OR 1=1 --`, `%_`, `NEAR(`, `"unbalanced`, `col:term`,
		`'; DELETE FROM versions WHERE '1'='1`, `\'; ATTACH DATABASE '/tmp/x' AS x;--`, "a'||(SELECT sql FROM sqlite_master)||'",
	}
	for i, h := range hostile {
		u := "https://example.com/" + strconv.Itoa(i) + "?q=" + strings.ReplaceAll(h, " ", "%20")
		c, a := page(u, i, "body "+h)
		a.Title, a.Authors, a.Tags, a.Description = h, []string{h}, []string{h}, h
		mustSave(t, s, c, a)
		got, err := s.Latest(ctx, u)
		if err != nil {
			t.Fatalf("Latest(%q): %v", u, err)
		}
		if got.Title != h || got.Authors[0] != h || got.Tags[0] != h || got.Description != h || got.URL != u || got.Text != "body "+h {
			t.Errorf("%q read back as title %q, authors %q, url %q", h, got.Title, got.Authors, got.URL)
		}
		if _, err := s.Seen(ctx, u); err != nil {
			t.Errorf("Seen(%q): %v", u, err)
		}
	}
	n := 0
	if err := s.Articles(ctx, archive.Filter{Site: hostile[0]}, func(*archive.Article) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("a hostile site filter: %d articles, %v", n, err)
	}
	if after := schema(); after != before {
		t.Errorf("sqlite_master changed:\n%s\n---\n%s", before, after)
	}
	if got := count(t, s, `SELECT count(*) FROM articles`); got != len(hostile) {
		t.Errorf("%d articles, want %d", got, len(hostile))
	}
}

// sqlWords are what makes a string literal SQL.
var sqlWords = regexp.MustCompile(`\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|WHERE|VALUES|ATTACH)\b`)

// T33's static check: no fmt.Sprintf (or Sprint, Sprintln, Fprintf,
// Appendf) builds SQL anywhere in the module, neither with an SQL format
// string nor as the query of a database/sql call. Values are always bound.
func TestNoSprintfSQL(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if isFmtSprint(call) {
				for _, arg := range call.Args {
					if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING && sqlWords.MatchString(lit.Value) {
						t.Errorf("%s: fmt call builds SQL: %s", fset.Position(call.Pos()), lit.Value)
						found++
					}
				}
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && isQueryMethod(sel.Sel.Name) {
				for _, arg := range call.Args {
					if inner, ok := arg.(*ast.CallExpr); ok && isFmtSprint(inner) {
						t.Errorf("%s: %s given a fmt-built query", fset.Position(call.Pos()), sel.Sel.Name)
						found++
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fmt-built SQL strings: %d", found)
}

func isFmtSprint(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok || pkg.Name != "fmt" {
		return false
	}
	switch sel.Sel.Name {
	case "Sprintf", "Sprint", "Sprintln", "Fprintf", "Appendf":
		return true
	}
	return false
}

func isQueryMethod(name string) bool {
	switch name {
	case "Exec", "ExecContext", "Query", "QueryContext", "QueryRow", "QueryRowContext", "Prepare", "PrepareContext":
		return true
	}
	return false
}
