package sqlite

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/newsvault/newsvault/archive"
)

// articleColumns are the columns scanArticle reads: a version v joined
// with the capture c it was extracted from (whose fetch time is the
// article's FetchedAt). A constant of column names, never of values.
const articleColumns = `v.version, v.url, v.canonical_url, v.site, v.title, v.authors,
	v.published_at, v.modified_at, v.language, v.description, v.text, v.tags,
	v.image_url, v.content_sha256, c.fetched_at`

// fromLatest joins each article with its latest version and that
// version's capture. CROSS JOIN keeps articles the outer loop: without it a
// filter on the change position (v.id > ?) makes SQLite walk versions by
// id and sort the result by key in a temporary b-tree before the first row.
const fromLatest = `FROM articles a
	CROSS JOIN versions v ON v.article_id = a.id AND v.version = a.latest_version
	JOIN captures c ON c.id = v.capture_id`

type scanner interface{ Scan(dest ...any) error }

// scanArticle reads one row of articleColumns. The error of Scan itself
// (sql.ErrNoRows included) is returned unwrapped for the caller to judge.
func scanArticle(row scanner) (*archive.Article, error) {
	var (
		a                            archive.Article
		authors, tags                string
		published, modified, fetched string
	)
	err := row.Scan(&a.Version, &a.URL, &a.CanonicalURL, &a.Site, &a.Title, &authors,
		&published, &modified, &a.Language, &a.Description, &a.Text, &tags,
		&a.ImageURL, &a.ContentSHA256, &fetched)
	if err != nil {
		return nil, err
	}
	if a.Authors, err = decodeList(authors); err != nil {
		return nil, fmt.Errorf("authors: %w", err)
	}
	if a.Tags, err = decodeList(tags); err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	if a.PublishedAt, err = parsePublisherTime(published); err != nil {
		return nil, fmt.Errorf("published_at: %w", err)
	}
	if a.ModifiedAt, err = parsePublisherTime(modified); err != nil {
		return nil, fmt.Errorf("modified_at: %w", err)
	}
	if a.FetchedAt, err = parseStamp(fetched); err != nil {
		return nil, fmt.Errorf("fetched_at: %w", err)
	}
	return &a, nil
}

// decodeList reads a JSON array of strings; an empty one is nil, as in an
// Article that was never stored. Lists are stored as json.Marshal writes
// them, so most (those with no escaped character) are read by slicing s;
// anything else goes to encoding/json, whose reading is the reference.
func decodeList(s string) ([]string, error) {
	if ss, ok := splitPlainList(s); ok {
		return ss, nil
	}
	var ss []string
	if err := json.Unmarshal([]byte(s), &ss); err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return nil, nil
	}
	return ss, nil
}

// splitPlainList reads s when it is a compact JSON array of strings
// without escapes or control characters, in valid UTF-8: those strings
// are their own bytes. ok is false for anything else.
func splitPlainList(s string) (ss []string, ok bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' || !utf8.ValidString(s) {
		return nil, false
	}
	rest := s[1 : len(s)-1]
	if rest == "" {
		return nil, true
	}
	for {
		if len(rest) < 2 || rest[0] != '"' {
			return nil, false
		}
		end := 1
		for end < len(rest) && rest[end] != '"' {
			if b := rest[end]; b == '\\' || b < 0x20 {
				return nil, false
			}
			end++
		}
		if end == len(rest) {
			return nil, false
		}
		ss = append(ss, rest[1:end])
		rest = rest[end+1:]
		if rest == "" {
			return ss, true
		}
		if rest[0] != ',' {
			return nil, false
		}
		rest = rest[1:]
	}
}
