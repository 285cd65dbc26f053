package sqlite

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/newsvault/newsvault/archive"
)

// foldYo reads ё as е, as the index does (migration 0006).
var foldYo = strings.NewReplacer("ё", "е", "Ё", "Е")

// ftsColumns are the fields a query may name, as in versions_fts.
var ftsColumns = map[string]bool{"title": true, "text": true}

// term is one word or phrase of a query, as FTS5 syntax.
type term struct {
	fts     string
	exclude bool
}

// ftsQuery translates the query language of archive.Query into an FTS5
// expression. Every word and phrase the user typed becomes an FTS5 string
// ("..." with quotes doubled), so nothing typed can be read as FTS5
// syntax: operators are only those this function writes. Errors wrap
// archive.ErrBadQuery.
func ftsQuery(q string) (string, error) {
	terms, err := parseTerms(foldYo.Replace(archive.CleanString(q)))
	if err != nil {
		return "", fmt.Errorf("%w: %s", archive.ErrBadQuery, err)
	}
	var (
		groups   [][]string // AND of ORs
		excluded []string
		orNext   bool
	)
	for i, t := range terms {
		switch {
		case t.fts == "OR":
			if i == 0 || i == len(terms)-1 || orNext || terms[i-1].exclude || terms[i+1].exclude {
				return "", fmt.Errorf("%w: OR needs a word on each side", archive.ErrBadQuery)
			}
			orNext = true
		case t.exclude:
			excluded = append(excluded, t.fts)
		case orNext:
			groups[len(groups)-1] = append(groups[len(groups)-1], t.fts)
			orNext = false
		default:
			groups = append(groups, []string{t.fts})
		}
	}
	if len(groups) == 0 {
		if len(excluded) > 0 {
			return "", fmt.Errorf("%w: %q only excludes words; give at least one to find", archive.ErrBadQuery, q)
		}
		return "", fmt.Errorf("%w: %q has no words to search for", archive.ErrBadQuery, q)
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = "(" + strings.Join(g, " OR ") + ")"
	}
	expr := strings.Join(parts, " AND ")
	for _, e := range excluded {
		expr = "(" + expr + ") NOT " + e
	}
	return expr, nil
}

// parseTerms splits a query into terms. A term without a letter or digit
// ("--", "%_", "');") is dropped: it would match nothing in the index.
func parseTerms(q string) ([]term, error) {
	var terms []term
	rs := []rune(q)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		start := i
		var t term
		if rs[i] == '-' {
			if i+1 == len(rs) || unicode.IsSpace(rs[i+1]) {
				return nil, fmt.Errorf(`a lone "-" excludes nothing (write -word)`)
			}
			t.exclude = true
			i++
		}
		column := ""
		if j := fieldEnd(rs, i); j > i {
			column = strings.ToLower(string(rs[i:j]))
			if !ftsColumns[column] {
				return nil, fmt.Errorf("unknown field %q in %q (want title: or text:)", string(rs[i:j]), string(rs[start:min(len(rs), j+16)]))
			}
			i = j + 1
		}
		var body string
		prefix := false
		if i < len(rs) && rs[i] == '"' {
			end := i + 1
			for end < len(rs) && rs[end] != '"' {
				end++
			}
			if end == len(rs) {
				return nil, fmt.Errorf("unbalanced quote in %q", string(rs[start:]))
			}
			body, i = string(rs[i+1:end]), end+1
		} else {
			end := i
			for end < len(rs) && !unicode.IsSpace(rs[end]) {
				end++
			}
			body, i = string(rs[i:end]), end
			if column == "" && !t.exclude {
				switch body {
				case "OR":
					terms = append(terms, term{fts: "OR"})
					continue
				case "AND":
					continue // the default
				}
			}
			if strings.HasSuffix(body, "*") {
				body, prefix = strings.TrimRight(body, "*"), true
			}
		}
		if !hasWord(body) {
			continue
		}
		t.fts = `"` + strings.ReplaceAll(body, `"`, `""`) + `"`
		if prefix {
			t.fts += "*"
		}
		if column != "" {
			t.fts = column + " : " + t.fts
		}
		terms = append(terms, t)
	}
	return terms, nil
}

// fieldEnd returns the index of the ':' ending a field name ("title:")
// that starts at i, or i when there is none.
func fieldEnd(rs []rune, i int) int {
	j := i
	for j < len(rs) && (rs[j] >= 'a' && rs[j] <= 'z' || rs[j] >= 'A' && rs[j] <= 'Z' || rs[j] == '_') {
		j++
	}
	if j > i && j+1 < len(rs) && rs[j] == ':' && !unicode.IsSpace(rs[j+1]) && rs[j+1] != '/' {
		return j
	}
	return i
}

func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
