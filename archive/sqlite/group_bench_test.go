package sqlite

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
)

// BenchmarkArchivePutParallel saves new articles (a 60 KB page, 5 KB of
// text) from as many goroutines as a crawl has pages in flight, so saves
// share transactions as they do in a crawl. ns/op is per article.
//
//	go test -run '^$' -bench ArchivePutParallel -cpu 2 ./archive/sqlite
func BenchmarkArchivePutParallel(b *testing.B) {
	body := realisticPage(60 << 10)
	text := articleText(5 << 10)
	s := openTest(b, "")
	ctx := context.Background()
	var n atomic.Int64
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.SetParallelism(16) // goroutines per GOMAXPROCS: 32 on 2 cores, a crawl's Parallel
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			c, a := page(fmt.Sprintf("https://example.com/news/%d", i), i, fmt.Sprint(text, i))
			c.Body = body
			if _, err := s.Save(ctx, c, a); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
