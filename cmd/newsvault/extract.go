package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime/debug"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/scraper"
	"github.com/newsvault/newsvault/selectors"
)

const extractUsage = "[--url URL] [--jsonl] [--selectors FILE] FILE... (.html, .html.gz, or - for stdin)"

// maxExtractFile bounds what extract reads of one file, after gunzip, so a
// stray huge or bomb file fails alone instead of taking the process down.
const maxExtractFile = 64 << 20

func runExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("extract", extractUsage, e.stderr)
	var (
		pageURL  = fs.String("url", "", "the `URL` the pages were fetched from (resolves relative links, names the site)")
		jsonl    = fs.Bool("jsonl", false, "one compact JSON object per line instead of indented objects")
		profiles = fs.String("selectors", "", "YAML `file` of extra site profiles")
	)
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return usagef("extract needs at least one file")
	}
	var base *url.URL
	if *pageURL != "" {
		if base, err = url.Parse(*pageURL); err != nil || !base.IsAbs() {
			return usagef("--url %q is not an absolute URL", *pageURL)
		}
	}
	set, err := loadProfiles(*profiles)
	if err != nil {
		return err
	}
	// A batch allocates a DOM per page and keeps little of it: a few MiB
	// more heap buy a quarter of the GC work, about a fifth of the CPU at
	// Go's default (zyte: 7.7 -> 6.0 ms/page, peak RSS 26 -> 39 MiB).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	out := bufio.NewWriterSize(e.stdout, 64<<10)
	failed := 0
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		a, err := extractFile(set, e.stdin, name, base)
		if err != nil {
			failed++
		}
		line, err := extractRecord(name, &a, err, *jsonl)
		if err != nil {
			return err
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if failed == len(files) {
		return fmt.Errorf("no file could be extracted (%d failed)", failed)
	}
	return nil
}

func extractFile(set *selectors.Set, stdin io.Reader, name string, base *url.URL) (archive.Article, error) {
	body, err := readPage(stdin, name)
	if err != nil {
		return archive.Article{}, err
	}
	text, _, _, err := scraper.DecodeHTML(body, "")
	if err != nil {
		return archive.Article{}, fmt.Errorf("decode %s: %w", name, err)
	}
	a, err := set.ExtractHTML(bytes.NewReader(text), base)
	if err != nil {
		return archive.Article{}, fmt.Errorf("extract %s: %w", name, err)
	}
	a.ContentSHA256 = archive.TextSHA256(a.Text)
	return a, nil
}

// readPage reads a file, or stdin for "-", gunzipping when the content is
// gzip whatever the name says.
func readPage(stdin io.Reader, name string) ([]byte, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gunzip %s: %w", name, err)
		}
		defer zr.Close()
		r = zr
	} else {
		r = br
	}
	body, err := io.ReadAll(io.LimitReader(r, maxExtractFile+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(body) > maxExtractFile {
		return nil, fmt.Errorf("read %s: larger than %d MiB", name, maxExtractFile>>20)
	}
	return body, nil
}

// extractRecord renders one output object: the article's export fields
// followed by "source" (the name exactly as given) and "error".
func extractRecord(source string, a *archive.Article, extractErr error, compact bool) ([]byte, error) {
	article, err := marshalJSON(a)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", source, err)
	}
	msg := ""
	if extractErr != nil {
		msg = extractErr.Error()
	}
	tail, err := marshalJSON(struct {
		Source string `json:"source"`
		Error  string `json:"error"`
	}{source, msg})
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", source, err)
	}
	// Splice the two objects: {...article} + {"source":..} -> {...article,"source":..}.
	var b bytes.Buffer
	b.Write(article[:len(article)-1])
	b.WriteByte(',')
	b.Write(tail[1:])
	if compact {
		return b.Bytes(), nil
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, b.Bytes(), "", "  "); err != nil {
		return nil, fmt.Errorf("encode %s: %w", source, err)
	}
	return pretty.Bytes(), nil
}

// marshalJSON is json.Marshal without HTML escaping, as in exports.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
