package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/newsvault/newsvault/archive"
)

// BenchmarkArchivePut saves a 60 KB page and its article: "changed" adds a
// version (capture compressed and stored), "unchanged" only confirms one.
//
//	go test -run '^$' -bench . -benchmem ./archive/sqlite
func BenchmarkArchivePut(b *testing.B) {
	body := realisticPage(60 << 10)
	text := articleText(5 << 10)
	for _, bc := range []struct {
		name    string
		changed bool
	}{{"changed", true}, {"unchanged", false}} {
		b.Run(bc.name, func(b *testing.B) {
			s := openTest(b, "")
			ctx := context.Background()
			const keys = 500
			for i := range keys { // the pages exist: later saves change them or not
				c, a := page(fmt.Sprintf("https://example.com/news/%d", i), i, text)
				c.Body = body
				if _, err := s.Save(ctx, c, a); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				t := text
				if bc.changed {
					t = fmt.Sprint(text, i)
				}
				c, a := page(fmt.Sprintf("https://example.com/news/%d", i%keys), keys+i, t)
				c.Body = body
				if _, err := s.Save(ctx, c, a); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkArticles exports 2,000 articles of 5 KB text each.
func BenchmarkArticles(b *testing.B) {
	const n = 2000
	s := openTest(b, "")
	ctx := context.Background()
	text := articleText(5 << 10)
	for i := range n {
		c, a := page(fmt.Sprintf("https://example.com/news/%05d", i), i, fmt.Sprint(text, i))
		if _, err := s.Save(ctx, c, a); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got := 0
		err := s.Articles(ctx, archive.Filter{}, func(*archive.Article) error {
			got++
			return nil
		})
		if err != nil || got != n {
			b.Fatalf("exported %d, %v", got, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/article")
}

func articleText(size int) string {
	p := "The minister said on Tuesday that the government would review the budget proposal. "
	return strings.Repeat(p, size/len(p))
}

// BenchmarkArticlesAfter follows the change cursor over 2,000 articles of
// 5 KB text with one new version each (4,000 versions): "all" reads every
// article from the start, "recent" the last 20 changes.
func BenchmarkArticlesAfter(b *testing.B) {
	const n = 2000
	s := openTest(b, "")
	ctx := context.Background()
	text := articleText(5 << 10)
	for round := range 2 {
		for i := range n {
			c, a := page(fmt.Sprintf("https://example.com/news/%05d", i), round*n+i, fmt.Sprint(text, round, i))
			if _, err := s.Save(ctx, c, a); err != nil {
				b.Fatal(err)
			}
		}
	}
	end, err := s.ArticlesAfter(ctx, archive.Filter{}, func(*archive.Article) error { return nil })
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		after archive.Cursor
		want  int
	}{{"all", 0, n}, {"recent", end - 20, 20}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				got := 0
				next, err := s.ArticlesAfter(ctx, archive.Filter{After: bc.after}, func(*archive.Article) error {
					got++
					return nil
				})
				if err != nil || got != bc.want || next != end {
					b.Fatalf("read %d to cursor %d, %v", got, next, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*bc.want), "ns/article")
		})
	}
}
